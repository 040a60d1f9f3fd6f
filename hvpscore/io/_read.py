"""Raw readers: a file (CSV, TSV, JSONL, Parquet, Excel) or a DataFrame -> a raw DataFrame.

Text files are decoded with the requested encoding, or detected: a UTF-8 byte-order mark, then strict
UTF-8, then GB18030 (a superset of GBK and GB2312, what Chinese Windows exports use), then
charset-normalizer's best guess. Cells are read as text, never guessed into numbers, so that
``201910561574.9`` or ``00123`` survive unchanged; validation converts them.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hvpscore._errors import InputError

__all__ = ["RawChunk", "detect_encoding", "iter_raw", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".parquet", ".pq", ".xlsx", ".xlsm")
_SAMPLE = 1 << 20


@dataclass
class RawChunk:
    """A block of raw rows. ``first_row`` is the 1-based data-row number of its first row.

    ``bad_rows`` are rows that could not even be read (e.g. a JSONL line that is not JSON):
    (row number, raw text, reason). They go to the rejects like any other bad row.
    """

    frame: pd.DataFrame
    first_row: int
    encoding: str | None = None
    bad_rows: list[tuple[int, str, str]] = field(default_factory=list)


def detect_encoding(path: str | Path) -> str:
    """Guess the text encoding of a file: utf-8-sig, utf-8, gb18030 or charset-normalizer's guess."""
    with open(path, "rb") as fh:
        sample = fh.read(_SAMPLE)
        more = bool(fh.read(1))
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "gb18030"):
        dec = codecs.getincrementaldecoder(enc)()
        try:
            dec.decode(sample, final=not more)
            return enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InputError(
            f"{path}: cannot tell the text encoding; pass --encoding (e.g. utf-8, gb18030)"
        )
    return best.encoding


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return suffix


def iter_raw(
    source: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    chunksize: int | None = None,
) -> Iterator[RawChunk]:
    """Yield the raw rows of ``source`` in chunks (one chunk when ``chunksize`` is None)."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        step = chunksize or max(len(frame), 1)
        for start in range(0, max(len(frame), 1), step):
            yield RawChunk(frame.iloc[start : start + step], start + 1)
        return
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = _format(path)
    if suffix in (".csv", ".tsv", ".txt"):
        enc = encoding or detect_encoding(path)
        sep = "\t" if suffix == ".tsv" else ","
        try:
            reader = pd.read_csv(
                path, sep=sep, dtype=str, keep_default_na=False, encoding=enc,
                chunksize=chunksize, encoding_errors="strict",
            )
            if chunksize is None:
                yield RawChunk(reader, 1, enc)
                return
            row = 1
            for chunk in reader:
                yield RawChunk(chunk, row, enc)
                row += len(chunk)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not readable as {enc} ({exc.reason} at byte {exc.start}); "
                "pass --encoding gb18030 or utf-8"
            ) from None
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: not a well-formed CSV file: {exc}") from None
        return
    if suffix in (".jsonl", ".ndjson"):
        yield from _iter_jsonl(path, encoding or "utf-8-sig", chunksize)
        return
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        row = 1
        for batch in pf.iter_batches(batch_size=chunksize or max(pf.metadata.num_rows, 1)):
            frame = batch.to_pandas()
            yield RawChunk(frame, row)
            row += len(frame)
        if pf.metadata.num_rows == 0:
            yield RawChunk(pf.schema_arrow.empty_table().to_pandas(), 1)
        return
    # Excel: every cell as read by openpyxl (text, numbers, datetimes), nothing guessed as missing.
    frame = pd.read_excel(path, dtype=object, na_filter=False)
    step = chunksize or max(len(frame), 1)
    for start in range(0, max(len(frame), 1), step):
        yield RawChunk(frame.iloc[start : start + step].reset_index(drop=True), start + 1)


def _iter_jsonl(path: Path, encoding: str, chunksize: int | None) -> Iterator[RawChunk]:
    rows: list[dict] = []
    bad: list[tuple[int, str, str]] = []
    first = 1
    n = 0
    with open(path, encoding=encoding) as fh:
        for line in fh:
            if not line.strip():
                continue
            n += 1
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("a JSON object per line is expected")
                rows.append(obj)
            except ValueError as exc:
                bad.append((n, line.strip()[:200], f"line is not a JSON object ({exc})"))
                rows.append({})
            if chunksize and len(rows) >= chunksize:
                yield RawChunk(pd.DataFrame.from_records(rows), first, encoding, bad)
                first += len(rows)
                rows, bad = [], []
    if rows or first == 1:
        yield RawChunk(pd.DataFrame.from_records(rows), first, encoding, bad)


def read_text_sample(path: str | Path, encoding: str | None = None) -> str:
    """Decode a text file with the given or detected encoding (used by tests and tools)."""
    enc = encoding or detect_encoding(path)
    return open(path, encoding=enc).read()
