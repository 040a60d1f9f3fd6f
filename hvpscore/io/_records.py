"""``read_records``: any source -> validated canonical records + rejects + summary; ``write_table``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._errors import InputError, Problem
from hvpscore.io._convert import convert_frame
from hvpscore.io._profile import Profile, load_profile
from hvpscore.io._read import RawChunk, iter_raw

__all__ = ["ReadResult", "ReadSummary", "iter_records", "read_records", "write_table",
           "rejects_path_for"]

_MAX_LISTED = 20


@dataclass
class ReadSummary:
    """Counts of one read (or of the chunks read so far). ``read == accepted + rejected`` always.

    ``problems_by_column`` / ``problems_by_code`` count problems (a row may have several);
    ``bytes_read`` / ``bytes_total`` tell how far into a file the read is (for progress bars;
    None for a DataFrame).
    """

    source: str
    profile: str
    encoding: str | None = None
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    problems_by_column: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    problems_by_code: Counter = field(default_factory=Counter)
    bytes_read: int | None = None
    bytes_total: int | None = None

    def merge(self, other: ReadSummary) -> ReadSummary:
        """The summary of two consecutive chunks of one source."""
        return ReadSummary(
            source=self.source, profile=self.profile, encoding=self.encoding or other.encoding,
            read=self.read + other.read, accepted=self.accepted + other.accepted,
            rejected=self.rejected + other.rejected, duplicates=self.duplicates + other.duplicates,
            problems_by_column=self.problems_by_column + other.problems_by_column,
            notes=self.notes + [n for n in other.notes if n not in self.notes],
            problems_by_code=self.problems_by_code + other.problems_by_code,
            bytes_read=_later(self.bytes_read, other.bytes_read),
            bytes_total=other.bytes_total if other.bytes_total is not None else self.bytes_total,
        )

    @property
    def fraction_done(self) -> float | None:
        """How much of the file has been read, 0–1 (None when unknown)."""
        if not self.bytes_total or self.bytes_read is None:
            return None
        return min(self.bytes_read / self.bytes_total, 1.0)

    def to_dict(self) -> dict:
        """Plain types (for JSON logs)."""
        d = dict(self.__dict__)
        d["problems_by_column"] = dict(self.problems_by_column)
        d["problems_by_code"] = dict(self.problems_by_code)
        return d

    def text(self, lang: str = "zh") -> str:
        """The summary as people read it (``zh`` or ``en``)."""
        codes = ", ".join(f"{c} {k}" for c, k in self.problems_by_code.most_common())
        if lang == "zh":
            lines = [f"读取 {self.read} 行，接受 {self.accepted} 行，拒绝 {self.rejected} 行"
                     f"（来源 {self.source}，配置 {self.profile}，编码 {self.encoding or '—'}）"]
            if self.duplicates:
                lines.append(f"重复的专利号：{self.duplicates} 行")
            for col, k in self.problems_by_column.most_common():
                lines.append(f"  问题 {col}: {k}")
            if codes:
                lines.append(f"  问题代码：{codes}")
            lines += [f"  说明：{n}" for n in self.notes]
        else:
            lines = [f"read {self.read} rows, accepted {self.accepted}, rejected {self.rejected} "
                     f"(source {self.source}, profile {self.profile}, "
                     f"encoding {self.encoding or '-'})"]
            if self.duplicates:
                lines.append(f"duplicate patent_id: {self.duplicates} rows")
            for col, k in self.problems_by_column.most_common():
                lines.append(f"  problems in {col}: {k}")
            if codes:
                lines.append(f"  problem codes: {codes}")
            lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _later(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


@dataclass
class ReadResult:
    """Validated records (canonical columns), the rejected raw rows with reasons, and counts.

    ``rejects`` holds the raw columns of each rejected row, then ``row`` (first), ``line`` (the
    physical line or sheet row, when the source has lines), ``sheet`` (Excel), ``raw_line``
    (the raw text of a line that could not be split into columns), ``codes`` and ``reasons``
    (last). A source column with one of those names keeps its name; ours become ``hvpscore_*``.
    """

    records: pd.DataFrame
    rejects: pd.DataFrame
    summary: ReadSummary
    problems: list[Problem]

    def raise_if_rejected(self) -> None:
        """Fail with every problem listed (what ``--strict`` does)."""
        if not self.problems:
            return
        shown = "\n".join(f"  {p}" for p in self.problems[:_MAX_LISTED])
        more = len(self.problems) - _MAX_LISTED
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise InputError(
            f"{self.summary.source}: {self.summary.rejected} of {self.summary.read} rows have "
            f"problems:\n{shown}{tail}"
        )


def _source_name(source) -> str:
    return "<DataFrame>" if isinstance(source, pd.DataFrame) else str(source)


def iter_records(
    source: str | Path | pd.DataFrame,
    profile: str | Path | Profile = "canonical",
    *,
    encoding: str | None = None,
    chunksize: int | str = 50_000,
) -> Iterator[ReadResult]:
    """Read ``source`` in chunks of ``chunksize`` rows (or ``"auto"``: see
    :func:`hvpscore.io._chunksize.auto_chunksize`), each a :class:`ReadResult`.

    Duplicate ``patent_id`` detection spans chunks (the first occurrence wins). Memory stays
    bounded by the chunk size plus the set of ids seen.
    """
    if chunksize == "auto":
        from hvpscore.io._chunksize import auto_chunksize

        chunksize = auto_chunksize(source)
    prof = load_profile(profile)
    seen: dict[str, int] = {}
    yield from _iter(source, prof, encoding, chunksize, seen)


def _patent_id_sources(prof: Profile) -> tuple[str, ...]:
    pid = next(f for f in prof.fields if f.target == "patent_id")
    return pid.sources


def _iter(source, prof: Profile, encoding, chunksize, seen) -> Iterator[ReadResult]:
    name = _source_name(source)
    for chunk in raw_chunks(source, prof, encoding, chunksize):
        yield _convert_chunk(chunk, prof, name, seen)


def raw_chunks(source, prof: Profile, encoding, chunksize) -> Iterator[RawChunk]:
    """The raw chunks of ``source`` as the profile reads them, the first one's columns checked
    against the profile's patent_id source."""
    checked_columns = False
    for chunk in iter_raw(source, encoding=encoding or _enc(prof), chunksize=chunksize,
                          header_columns=_patent_id_sources(prof)):
        if not checked_columns:
            if not _is_jsonl(source):  # JSON Lines: every key is optional in every line
                _check_columns(chunk.columns, prof, source)
            checked_columns = True
        yield chunk


def _is_jsonl(source) -> bool:
    return not isinstance(source, pd.DataFrame) and Path(source).suffix.lower() in (
        ".jsonl", ".ndjson")


def _convert_chunk(chunk: RawChunk, prof: Profile, name: str, seen: dict) -> ReadResult:
    frame = chunk.frame
    n = len(chunk.rows)
    records, by_pos, notes = convert_frame(frame, prof, 0, excel=chunk.excel)
    rows = np.asarray(chunk.rows, dtype=np.int64)
    # duplicates (the first occurrence wins, across chunks), among rows without other problems
    dup_rows = 0
    ids = records["patent_id"].to_numpy(dtype=object)
    clean = np.ones(n, dtype=bool)
    if by_pos:
        clean[list(by_pos)] = False
    cand = np.flatnonzero(clean & pd.notna(ids))
    if len(cand):
        cid = ids[cand]
        crow = rows[cand]
        prev = np.array(list(map(seen.get, cid.tolist())), dtype=object)
        again = pd.Series(cid, dtype=object).duplicated().to_numpy()
        new = pd.isna(prev) & ~again
        seen.update(zip(cid[new].tolist(), crow[new].tolist(), strict=True))
        for j in np.flatnonzero(~new).tolist():
            pid = cid[j]
            first = prev[j] if prev[j] is not None else seen[pid]
            dup_rows += 1
            by_pos[int(cand[j])] = [Problem(0, "patent_id", pid, duplicate_message(first),
                                            "duplicate_id")]
    # problems carry the row numbers of the source (and lines)
    lines = chunk.lines
    problems_by_row: dict[int, list[Problem]] = {}
    for pos, plist in by_pos.items():
        r = int(rows[pos])
        ln = int(lines[pos]) if lines is not None and len(lines) else None
        problems_by_row[r] = [Problem(r, p.column, p.value, p.message, p.code, ln) for p in plist]
    for b in chunk.bad_rows:
        problems_by_row[b.row] = [Problem(b.row, "<line>", b.raw[:200], b.message, b.code,
                                          b.line)]
    bad_pos = np.zeros(n, dtype=bool)
    if by_pos:
        bad_pos[list(by_pos)] = True
    accepted = records[~bad_pos] if bad_pos.any() else records
    accepted.index = pd.Index(rows[~bad_pos], name="row")
    rejects = _rejects(chunk, bad_pos, problems_by_row)
    problems = [p for r in sorted(problems_by_row) for p in problems_by_row[r]]
    summary = ReadSummary(
        source=name, profile=prof.id, encoding=chunk.encoding,
        read=chunk.n_rows, accepted=int((~bad_pos).sum()),
        rejected=int(bad_pos.sum()) + len(chunk.bad_rows), duplicates=dup_rows,
        problems_by_column=Counter(p.column for p in problems),
        problems_by_code=Counter(p.code for p in problems),
        notes=list(chunk.notes) + [x for x in notes if x not in chunk.notes],
        bytes_read=chunk.bytes_done, bytes_total=chunk.bytes_total,
    )
    return ReadResult(accepted, rejects, summary, problems)


def duplicate_message(first: int) -> str:
    """The problem of a row whose patent_id an earlier row (``first``) already has."""
    return f"duplicates row {first}; keep one row per patent"


def reasons_text(problems) -> str:
    """The ``reasons`` cell of a rejected row."""
    return "; ".join(f"{p.column}: {p.value!r} {p.message}" for p in problems)


def reject_column_names(columns) -> dict[str, str]:
    """Our rejects columns, renamed ``hvpscore_*`` where the source has a column of that name."""
    return {k: (k if k not in columns else f"hvpscore_{k}")
            for k in ("row", "line", "sheet", "raw_line", "codes", "reasons")}


def _frame_rows(frame, positions: np.ndarray) -> pd.DataFrame:
    """Raw rows at ``positions`` as a pandas frame of Python objects."""
    if hasattr(frame, "column_names"):  # pyarrow Table
        import pyarrow as pa

        part = frame.take(pa.array(positions, type=pa.int64()))
        data = {c: pd.Series(part.column(c).to_pylist(), dtype=object)
                for c in part.column_names}
        return pd.DataFrame(data, columns=list(part.column_names))
    part = frame.iloc[positions].reset_index(drop=True)
    return part.astype(object) if len(part.columns) else part


_EMPTY_REJECTS: dict = {}


def _rejects(chunk: RawChunk, bad_pos: np.ndarray, problems_by_row: dict) -> pd.DataFrame:
    cols = chunk.columns
    pos = np.flatnonzero(bad_pos)
    if not len(pos) and not chunk.bad_rows:
        # nothing rejected (most chunks): the empty table built once per layout, a copy each
        # time (building it took ~9 ms a chunk, a third of a chunk's fixed cost)
        key = (tuple(cols), chunk.lines is not None, chunk.sheet)
        empty = _EMPTY_REJECTS.get(key)
        if empty is None:
            if len(_EMPTY_REJECTS) > 64:
                _EMPTY_REJECTS.clear()
            empty = _EMPTY_REJECTS[key] = _rejects_of(chunk, pos, problems_by_row)
        return empty.copy()
    return _rejects_of(chunk, pos, problems_by_row)


def _rejects_of(chunk: RawChunk, pos: np.ndarray, problems_by_row: dict) -> pd.DataFrame:
    cols = chunk.columns
    parsed = _frame_rows(chunk.frame, pos)
    rows = np.asarray(chunk.rows, dtype=np.int64)[pos].tolist()
    has_lines = chunk.lines is not None
    parsed_lines = (np.asarray(chunk.lines, dtype=np.int64)[pos].tolist() if has_lines
                    else [None] * len(pos))
    bad = chunk.bad_rows
    names = reject_column_names(cols)
    all_rows = rows + [b.row for b in bad]
    order = np.argsort(np.asarray(all_rows, dtype=np.int64), kind="stable")
    if bad:
        empty = pd.DataFrame({c: pd.Series([None] * len(bad), dtype=object) for c in cols},
                             columns=cols)
        raw = pd.concat([parsed, empty], ignore_index=True) if len(parsed) else empty
    else:
        raw = parsed
    raw = raw.iloc[order].reset_index(drop=True) if len(raw) else raw
    all_rows = [all_rows[i] for i in order]
    out = raw
    out.insert(0, names["row"], pd.Series(all_rows, dtype="int64"))
    if has_lines or bad:
        lines = parsed_lines + [b.line for b in bad]
        out[names["line"]] = pd.Series([lines[i] for i in order], dtype="Int64")
    if chunk.sheet is not None:
        out[names["sheet"]] = chunk.sheet
    if has_lines or bad:
        raws = [None] * len(pos) + [b.raw for b in bad]
        out[names["raw_line"]] = pd.Series([raws[i] for i in order], dtype=object)
    plist = [problems_by_row[r] for r in all_rows]
    out[names["codes"]] = pd.Series([";".join(p.code for p in ps) for ps in plist], dtype=object)
    out[names["reasons"]] = pd.Series([reasons_text(ps) for ps in plist], dtype=object)
    return out


def _enc(prof: Profile) -> str | None:
    return None if prof.encoding == "auto" else prof.encoding


def _check_columns(columns: list, prof: Profile, source) -> None:
    missing = [c for c in _patent_id_sources(prof) if c not in columns]
    if missing:
        have = ", ".join(map(str, list(columns)[:15]))
        raise InputError(
            f"{_source_name(source)}: column {missing[0]!r} (patent_id) is not in the file; "
            f"its columns are: {have}; choose the profile that fits this file (--profile) "
            f"or write your own"
        )


def read_records(
    source: str | Path | pd.DataFrame,
    profile: str | Path | Profile = "canonical",
    *,
    encoding: str | None = None,
    strict: bool = False,
) -> ReadResult:
    """Read and validate ``source`` (CSV/TSV/JSONL/Parquet/XLSX path or a DataFrame).

    Every row ends up in ``records`` or in ``rejects`` (with its reasons); the index of
    ``records`` is the 1-based data-row number in the source. With ``strict=True`` any problem
    raises :class:`~hvpscore.InputError` listing them all.

    >>> import pandas as pd
    >>> r = read_records(pd.DataFrame({"patent_id": ["ZL201910561574.9", "201910561574.1"]}))
    >>> r.records["patent_id"].tolist(), r.summary.rejected
    (['CN201910561574.9'], 1)
    """
    prof = load_profile(profile)
    parts = list(_iter(source, prof, encoding, None, {}))
    result = parts[0] if len(parts) == 1 else _concat(parts)
    if strict:
        result.raise_if_rejected()
    return result


def _concat(parts: list[ReadResult]) -> ReadResult:
    summary = parts[0].summary
    for p in parts[1:]:
        summary = summary.merge(p.summary)
    return ReadResult(
        pd.concat([p.records for p in parts]),
        pd.concat([p.rejects for p in parts], ignore_index=True),
        summary,
        [x for p in parts for x in p.problems],
    )


def rejects_path_for(out: str | Path) -> Path:
    """``scores.parquet`` -> ``scores.rejects.csv`` (rejects are always CSV, readable in Excel).

    Only the last suffix is replaced, so ``run.2025-12-31.parquet`` and ``run.2026-01-01.parquet``
    get ``run.2025-12-31.rejects.csv`` and ``run.2026-01-01.rejects.csv``; a name without a suffix
    gets ``.rejects.csv`` appended.
    """
    out = Path(out)
    stem = out.name[: -len(out.suffix)] if out.suffix else out.name
    return out.with_name(stem + ".rejects.csv")


def _jsonable(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


def _listify_for_text(df: pd.DataFrame, list_sep: str = ";") -> pd.DataFrame:
    """Lists joined with ``list_sep`` and dates as YYYY-MM-DD, for CSV and Excel."""
    flat = df.copy()
    for c in flat.columns:
        if flat[c].dtype == object:
            flat[c] = flat[c].map(
                lambda v: list_sep.join(map(str, v)) if isinstance(v, (list, tuple,
                                                                        np.ndarray)) else v)
        if pd.api.types.is_datetime64_any_dtype(flat[c]):
            flat[c] = flat[c].dt.strftime("%Y-%m-%d")
    return flat


def write_table(df: pd.DataFrame, path: str | Path, *, list_sep: str = ";") -> Path:
    """Write ``df`` by suffix: .parquet, .csv (UTF-8 with BOM, lists joined), .xlsx, .jsonl."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    elif suffix in (".csv", ".xlsx"):
        flat = _listify_for_text(df, list_sep)
        if suffix == ".csv":
            flat.to_csv(path, index=False, encoding="utf-8-sig")
        else:
            flat.to_excel(path, index=False)
    elif suffix in (".jsonl", ".ndjson"):
        with open(path, "w", encoding="utf-8") as fh:
            for rec in df.to_dict(orient="records"):
                fh.write(json.dumps({k: _jsonable(v) for k, v in rec.items()},
                                    ensure_ascii=False) + "\n")
    else:
        raise InputError(f"{path}: cannot write {suffix!r}; use .parquet, .csv, .xlsx or .jsonl")
    return path
