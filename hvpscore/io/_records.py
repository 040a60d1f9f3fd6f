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
from hvpscore.io._read import iter_raw

__all__ = ["ReadResult", "ReadSummary", "iter_records", "read_records", "write_table",
           "rejects_path_for"]

_MAX_LISTED = 20


@dataclass
class ReadSummary:
    """Counts of one read. ``read == accepted + rejected`` always holds."""

    source: str
    profile: str
    encoding: str | None = None
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    problems_by_column: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def merge(self, other: ReadSummary) -> ReadSummary:
        """The summary of two consecutive chunks of one source."""
        return ReadSummary(
            source=self.source, profile=self.profile, encoding=self.encoding or other.encoding,
            read=self.read + other.read, accepted=self.accepted + other.accepted,
            rejected=self.rejected + other.rejected, duplicates=self.duplicates + other.duplicates,
            problems_by_column=self.problems_by_column + other.problems_by_column,
            notes=self.notes + [n for n in other.notes if n not in self.notes],
        )

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["problems_by_column"] = dict(self.problems_by_column)
        return d

    def text(self, lang: str = "zh") -> str:
        if lang == "zh":
            lines = [f"读取 {self.read} 行，接受 {self.accepted} 行，拒绝 {self.rejected} 行"
                     f"（来源 {self.source}，配置 {self.profile}，编码 {self.encoding or '—'}）"]
            if self.duplicates:
                lines.append(f"重复的专利号：{self.duplicates} 行")
            for col, k in self.problems_by_column.most_common():
                lines.append(f"  问题 {col}: {k}")
        else:
            lines = [f"read {self.read} rows, accepted {self.accepted}, rejected {self.rejected} "
                     f"(source {self.source}, profile {self.profile}, "
                     f"encoding {self.encoding or '-'})"]
            if self.duplicates:
                lines.append(f"duplicate patent_id: {self.duplicates} rows")
            for col, k in self.problems_by_column.most_common():
                lines.append(f"  problems in {col}: {k}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass
class ReadResult:
    """Validated records (canonical columns), the rejected raw rows with reasons, and counts."""

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
    chunksize: int = 50_000,
) -> Iterator[ReadResult]:
    """Read ``source`` in chunks of ``chunksize`` rows, each a :class:`ReadResult`.

    Duplicate ``patent_id`` detection spans chunks (the first occurrence wins). Memory stays
    bounded by the chunk size plus the set of ids seen.
    """
    prof = load_profile(profile)
    seen: dict[str, int] = {}
    yield from _iter(source, prof, encoding, chunksize, seen)


def _iter(source, prof: Profile, encoding, chunksize, seen) -> Iterator[ReadResult]:
    checked_columns = False
    for chunk in iter_raw(source, encoding=encoding or _enc(prof), chunksize=chunksize):
        raw = chunk.frame.reset_index(drop=True)
        if not checked_columns:
            _check_columns(raw, prof, source)
            checked_columns = True
        records, by_row, notes = convert_frame(raw, prof, chunk.first_row)
        for pos_row, text, reason in chunk.bad_rows:
            pos = pos_row - chunk.first_row
            by_row[pos] = [Problem(pos_row, "<line>", text, reason)]
        dup_rows = 0
        ids = records["patent_id"].to_numpy(dtype=object)
        for pos, pid in enumerate(ids):
            if pid is None or pos in by_row:
                continue
            first = seen.get(pid)
            if first is None:
                seen[pid] = chunk.first_row + pos
            else:
                dup_rows += 1
                by_row[pos] = [Problem(chunk.first_row + pos, "patent_id", pid,
                                       f"duplicates row {first}; keep one row per patent")]
        bad = np.zeros(len(raw), dtype=bool)
        if by_row:
            bad[list(by_row)] = True
        problems = [p for pos in sorted(by_row) for p in by_row[pos]]
        rejects = raw[bad].copy()
        row_col = "row" if "row" not in rejects.columns else "hvpscore_row"
        rejects.insert(0, row_col, chunk.first_row + np.flatnonzero(bad))
        rejects["reasons"] = ["; ".join(f"{p.column}: {p.value!r} {p.message}" for p in by_row[pos])
                              for pos in np.flatnonzero(bad)]
        accepted = records[~bad].copy()
        accepted.index = chunk.first_row + np.flatnonzero(~bad)
        accepted.index.name = "row"
        summary = ReadSummary(
            source=_source_name(source), profile=prof.id, encoding=chunk.encoding,
            read=len(raw), accepted=int((~bad).sum()), rejected=int(bad.sum()),
            duplicates=dup_rows,
            problems_by_column=Counter(p.column for p in problems), notes=notes,
        )
        yield ReadResult(accepted, rejects.reset_index(drop=True), summary, problems)


def _enc(prof: Profile) -> str | None:
    return None if prof.encoding == "auto" else prof.encoding


def _check_columns(raw: pd.DataFrame, prof: Profile, source) -> None:
    pid = next(f for f in prof.fields if f.target == "patent_id")
    missing = [c for c in pid.sources if c not in raw.columns]
    if missing:
        have = ", ".join(map(str, list(raw.columns)[:15]))
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
    if len(parts) == 1:
        result = parts[0]
    else:  # pragma: no cover - one chunk when chunksize is None
        result = _concat(parts)
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
    """``scores.parquet`` -> ``scores.rejects.csv`` (rejects are always CSV, readable in Excel)."""
    out = Path(out)
    return out.with_name(out.name.split(".")[0] + ".rejects.csv")


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


def write_table(df: pd.DataFrame, path: str | Path, *, list_sep: str = ";") -> Path:
    """Write ``df`` by suffix: .parquet, .csv (UTF-8 with BOM, lists joined), .xlsx, .jsonl."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    elif suffix in (".csv", ".xlsx"):
        flat = df.copy()
        for c in flat.columns:
            if flat[c].dtype == object:
                flat[c] = flat[c].map(
                    lambda v: list_sep.join(map(str, v)) if isinstance(v, (list, tuple,
                                                                            np.ndarray)) else v)
            if pd.api.types.is_datetime64_any_dtype(flat[c]):
                flat[c] = flat[c].dt.strftime("%Y-%m-%d")
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
