"""``validate_file``: read and validate a source in chunks, write the records and the rejects.

Memory stays bounded by the chunk size (plus the ids seen, for duplicates): chunks are written
as they come (Parquet row groups, CSV/JSONL appended; Excel output is collected, it cannot be
appended). Output goes to a temporary name beside the target and is renamed at the end, so an
interrupted run never leaves a file that looks complete.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hvpscore._errors import InputError
from hvpscore.io._records import (
    ReadSummary,
    _jsonable,
    _listify_for_text,
    iter_records,
    rejects_path_for,
    write_table,
)
from hvpscore.schema import COLUMNS, OUTCOME_PREFIX

__all__ = ["ValidateRun", "arrow_schema", "validate_file"]

def arrow_schema(df: pd.DataFrame):
    """The pyarrow schema of a records frame: canonical columns by their kind (so that every
    chunk writes the same types, even a chunk where a column is all empty), others by value."""
    import pyarrow as pa

    kinds = {"str": pa.string(), "category": pa.string(), "bool": pa.bool_(),
             "int": pa.int64(), "float": pa.float64(), "date": pa.timestamp("ns"),
             "list": pa.list_(pa.string())}
    by_name = {c.name: kinds[c.kind] for c in COLUMNS}
    fields = []
    for name in df.columns:
        if name in by_name:
            t = by_name[name]
        elif str(name).startswith(OUTCOME_PREFIX):
            t = pa.int8()
        elif name == "row":
            t = pa.int64()
        elif pd.api.types.is_integer_dtype(df[name].dtype):
            t = pa.int64()
        elif pd.api.types.is_float_dtype(df[name].dtype):
            t = pa.float64()
        else:
            t = pa.string()
        fields.append(pa.field(str(name), t))
    return pa.schema(fields)


@dataclass
class ValidateRun:
    """What :func:`validate_file` did."""

    summary: ReadSummary | None
    output: Path | None
    rejects_path: Path | None
    rows_out: int
    seconds: float

    def to_dict(self) -> dict:
        """A JSON-ready summary."""
        s = self.summary
        return {"output": str(self.output) if self.output else None,
                "rejects": str(self.rejects_path) if self.rejects_path else None,
                "read": s.read if s else 0, "accepted": s.accepted if s else 0,
                "rejected": s.rejected if s else 0, "rows_out": self.rows_out,
                "seconds": round(self.seconds, 3)}


class _Sink:
    """Writes record chunks to ``path`` under a temporary name; :meth:`close` renames it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        if self.suffix not in (".parquet", ".pq", ".csv", ".jsonl", ".ndjson", ".xlsx"):
            raise InputError(f"{self.path}: cannot write {self.suffix!r}; use .parquet, .csv, "
                             ".xlsx or .jsonl")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        self.writer = None
        self.schema = None
        self.frames: list[pd.DataFrame] = []
        self.rows = 0
        self.started = False

    def write(self, df: pd.DataFrame) -> None:
        self.rows += len(df)
        if self.suffix in (".parquet", ".pq"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self.schema is None:
                self.schema = arrow_schema(df)
                self.writer = pq.ParquetWriter(self.tmp, self.schema)
            self.writer.write_table(pa.Table.from_pandas(df, schema=self.schema,
                                                         preserve_index=False))
        elif self.suffix == ".csv":
            flat = _listify_for_text(df)
            flat.to_csv(self.tmp, index=False, mode="a" if self.started else "w",
                        header=not self.started, encoding="utf-8-sig" if not self.started
                        else "utf-8")
        elif self.suffix in (".jsonl", ".ndjson"):
            with open(self.tmp, "a" if self.started else "w", encoding="utf-8") as fh:
                for rec in df.to_dict(orient="records"):
                    fh.write(json.dumps({k: _jsonable(v) for k, v in rec.items()},
                                        ensure_ascii=False) + "\n")
        else:
            self.frames.append(df)
        self.started = True

    def close(self) -> Path:
        if self.suffix == ".xlsx":
            frames = self.frames or [pd.DataFrame()]
            write_table(pd.concat(frames, ignore_index=True), self.tmp.with_suffix(".xlsx"))
            os.replace(self.tmp.with_suffix(".xlsx"), self.path)
            return self.path
        if self.writer is not None:
            self.writer.close()
        if not self.started:
            write_table(pd.DataFrame(), self.tmp.with_suffix(self.suffix))
            os.replace(self.tmp.with_suffix(self.suffix), self.path)
            return self.path
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # noqa: BLE001 - cleaning up after another error
                pass
        for p in (self.tmp, self.tmp.with_suffix(".xlsx")):
            if p.exists():
                p.unlink()


def validate_file(source, output=None, *, profile="canonical", encoding=None,
                  strict: bool = False, rejects=None, chunksize: int | str = 10_000,
                  progress=None) -> ValidateRun:
    """Read and validate ``source`` chunk by chunk; write the accepted records (with their
    source ``row``) to ``output`` if given, and the rejected rows with ``codes`` and
    ``reasons`` to ``rejects`` (default: beside ``output``, or beside the source's name).

    ``chunksize``: rows read at a time (10,000 by default: 200,000 rows with claims text read in
    7.9 s at 0.52 GB peak, against 11.7 s at 1.68 GB in 100,000-row chunks; the same output;
    ``"auto"``, the CLI's default: from the bytes per record, see :func:`iter_records`).
    ``strict=True`` raises :class:`~hvpscore.InputError` at the first chunk with a problem.
    ``progress``, if given, is called with the running :class:`ReadSummary` after each chunk.
    """
    t0 = time.perf_counter()
    sink = _Sink(Path(output)) if output is not None else None
    summary = None
    rejected: list[pd.DataFrame] = []
    try:
        for res in iter_records(source, profile, encoding=encoding, chunksize=chunksize):
            if strict:
                res.raise_if_rejected()
            summary = res.summary if summary is None else summary.merge(res.summary)
            if len(res.rejects):
                rejected.append(res.rejects)
            if sink is not None:
                sink.write(res.records.reset_index())
            if progress is not None:
                progress(summary)
        out = sink.close() if sink is not None else None
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    target = None
    if rejected:
        base = output if output is not None else (
            Path(str(source)).name if not isinstance(source, pd.DataFrame) else "records")
        target = Path(rejects) if rejects else rejects_path_for(base)
        write_table(pd.concat(rejected, ignore_index=True), target)
    return ValidateRun(summary, out, target, sink.rows if sink else 0,
                       time.perf_counter() - t0)
