"""How many records a chunk holds: ``chunksize="auto"`` from the input's bytes per record.

Shared by every command that reads in chunks (:func:`hvpscore.io.iter_records` resolves
``"auto"``; ``hvpscore score`` resolves it before planning its parts).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["AUTO_CHUNK_BYTES", "AUTO_CHUNK_RANGE", "AUTO_MIN_PARTS", "DEFAULT_CHUNKSIZE",
           "auto_chunksize", "head_bytes_per_record", "resolve_chunksize"]

#: ``jobs="auto"`` runs several processes only on a CSV file planned into at least this many
#: parts: a worker costs a second interpreter, its imports and a model load (~3 s of CPU on the
#: 2-core machine of benchmarks/SCALE_NOTES.md), which a few 10,000-row parts do not pay back.
AUTO_MIN_PARTS = 8

_HEAD = 1 << 20  # bytes read for the average record size


def head_bytes_per_record(path: Path) -> float | None:
    """Average bytes per record in the first MiB of a CSV/TSV or JSON Lines file (JSON Lines: a
    line a record, a cut-off last line counted; CSV: line ends outside quotes), None when empty."""
    from hvpscore.io._parts import _bytes_per_record

    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    if not head:
        return None
    if Path(path).suffix.lower() in (".jsonl", ".ndjson"):  # quotes inside are escaped
        return len(head) / (head.count(b"\n") + (not head.endswith(b"\n")))
    return _bytes_per_record(head)


#: ``chunksize="auto"``: records per chunk from the input's bytes per record, about this many
#: bytes of input a chunk, between :data:`AUTO_CHUNK_RANGE` records. A chunk costs ~25 ms of
#: fixed work in scoring (the criteria's, the features' and the predictors' per-call setup):
#: 2.5 us a row at 10,000 rows, a tenth of a row's cost without text; a chunk with claims text
#: costs ~11 KB a record in each process. 1,000,000 records, 2 processes (SCALE_NOTES.md):
#: without text (300 bytes a record) 10,000 -> 25,000 rows cut the CPU 49 -> 46 s; with text
#: (2,186 bytes) 10,000 / 15,000 / 25,000 rows: 115 / 104 / 102 s of CPU, 1.13 / 1.38 / 1.59 GB
#: peak RSS (2.06 GB filling a claims cache at 25,000). Without text, 25,000 / 50,000 / 100,000
#: rows: 29-30 / 28 / 27 s of CPU, 1.17 / 1.35 / 1.58 GB (issue 9's later session): 50,000 at
#: most. (The parts of a CSV file are bounded in bytes too: a part holds about ``chunksize``
#: records of the sampled size, fewer where the records are longer.)
AUTO_CHUNK_BYTES = 32 << 20
AUTO_CHUNK_RANGE = (10_000, 50_000)
#: the default chunk size where the bytes per record are not known before reading
DEFAULT_CHUNKSIZE = 10_000


def auto_chunksize(source, min_parts: int = AUTO_MIN_PARTS) -> int:
    """Records per chunk for ``chunksize="auto"``: :data:`AUTO_CHUNK_BYTES` over the bytes per
    record (a CSV/TSV/JSONL file: its first MiB; Parquet: the row groups' uncompressed size),
    within :data:`AUTO_CHUNK_RANGE`, and no larger than keeps ``min_parts`` parts in a file that
    has them at the smallest size (parallel runs need parts); :data:`DEFAULT_CHUNKSIZE` for
    other sources (Excel, a DataFrame) or when the file cannot be read."""
    lo, hi = AUTO_CHUNK_RANGE
    if isinstance(source, pd.DataFrame):
        return DEFAULT_CHUNKSIZE
    try:
        path = Path(source)
        suffix = path.suffix.lower()
        size = path.stat().st_size
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(path).metadata
            rows = meta.num_rows
            raw = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            per_record = raw / rows if rows else 0.0
        elif suffix in (".csv", ".tsv", ".txt", ".jsonl", ".ndjson"):
            per_record = head_bytes_per_record(path) or 0.0
            rows = size / per_record if per_record else 0
        else:
            return DEFAULT_CHUNKSIZE
    except Exception:  # noqa: BLE001 - the reader reports what is wrong with the file
        return DEFAULT_CHUNKSIZE
    if per_record <= 0:
        return DEFAULT_CHUNKSIZE
    n = int(min(hi, max(lo, AUTO_CHUNK_BYTES // per_record)))
    if rows >= min_parts * lo:  # as many parts as the smallest chunks would give, at least
        n = min(n, max(lo, int(rows // min_parts)))
    return int(n)


def resolve_chunksize(chunksize, source) -> int:
    """``chunksize``: a positive count of records, or ``"auto"``/None (:func:`auto_chunksize`
    of ``source``)."""
    from hvpscore._errors import InputError

    if chunksize is None or chunksize == "auto":
        return auto_chunksize(source)
    if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) \
            or chunksize < 1:
        raise InputError(f"chunksize: {chunksize!r} is not a record count; use \"auto\" or "
                         "e.g. 10000")
    return int(chunksize)
