"""The machinery of :func:`hvpscore.scoring.score_file`: chunks scored in worker processes,
output written incrementally and atomically, the whole-run percentile patched in a second pass.

* Memory stays bounded whatever the number of chunks: each scored chunk is spilled to its own
  Arrow IPC file (LZ4: 66 MB for 1,000,000 score rows, 287 MB uncompressed, 39 MB as Parquet;
  1.5 s of CPU to write and read back, 2.2 s as Parquet) in a temporary directory beside the
  output; only ``p_high_value`` of every row is kept in memory (8 bytes a row) for the
  whole-run percentile.
* The final file is assembled part by part under a temporary name in the output's directory and
  renamed at the end (the rejects file too): an interrupted run leaves no file that looks
  complete, and never a half-written one under the final name.
* Chunks are scored in ``jobs`` processes (joblib/loky, in order) with LightGBM's and the other
  native thread pools limited to ``cores // jobs`` threads each, so processes x threads never
  exceed the machine. The output is the same whatever the chunk size or the number of processes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore.io._chunksize import (  # noqa: F401 - re-exported: the scoring path's names
    AUTO_CHUNK_BYTES,
    AUTO_CHUNK_RANGE,
    AUTO_MIN_PARTS,
    DEFAULT_CHUNKSIZE,
    auto_chunksize,
    head_bytes_per_record,
    resolve_chunksize,
)

__all__ = ["AUTO_CHUNK_BYTES", "AUTO_CHUNK_RANGE", "AUTO_MIN_PARTS", "DEFAULT_CHUNKSIZE",
           "TableAssembler", "atomic_target", "auto_chunksize", "auto_jobs", "available_cores",
           "estimate_rows", "plan_early", "plan_parts", "raw_part_count", "raw_part_run",
           "replace_atomic", "resolve_chunksize", "resolve_jobs", "run_chunks"]


def available_cores() -> int:
    """CPU cores this process may use (affinity-aware)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``jobs``: a count, or 0/None for one process per available core (``"auto"``: see
    :func:`auto_jobs`)."""
    if jobs == "auto":
        return auto_jobs()
    if jobs is None or jobs <= 0:
        return available_cores()
    return int(jobs)




def _cpu_ticks() -> tuple[int, int] | None:
    """(idle + iowait ticks, all ticks) of all CPUs from ``/proc/stat``, or None."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(fields) < 5:
        return None
    return fields[3] + fields[4], sum(fields[:8])


def auto_jobs() -> int:
    """How many processes ``jobs="auto"`` uses: the cores idle over 0.1 s (``/proc/stat``
    read before and after a sleep), between 1 and :func:`available_cores`. A core another job
    keeps busy is not counted, so a shared machine gets one process where two would only
    compete (measured slower under load). Without ``/proc/stat``: every available core."""
    return auto_jobs_while(None)[0]


def auto_jobs_while(work: Callable[[], object] | None) -> tuple[int, object]:
    """:func:`auto_jobs` measured while this process runs ``work()`` (planning the parts of a
    file) instead of sleeping: the CPU time this process spends meanwhile is not counted as
    another job's. At least 0.1 s is measured (the rest slept). Returns (jobs, what ``work``
    returned)."""
    cores = available_cores()
    t0, own0, w0 = _cpu_ticks(), _own_seconds(), time.perf_counter()
    result = work() if work is not None else None
    if cores == 1:
        return 1, result
    rest = 0.1 - (time.perf_counter() - w0)
    if rest > 0:
        time.sleep(rest)
    t1, own1 = _cpu_ticks(), _own_seconds()
    if t0 is None or t1 is None or t1[1] <= t0[1]:
        return cores, result
    total = t1[1] - t0[1]
    # this process's own ticks are busy ticks of this run, not of another job
    own = (own1 - own0) * _TICKS
    idle = min(1.0, (t1[0] - t0[0] + own) / total)  # share of all CPUs' time
    return max(1, min(cores, int(idle * (os.cpu_count() or cores) + 0.25))), result


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100  # /proc/stat's unit


def _own_seconds() -> float:
    t = os.times()
    return t.user + t.system


def estimate_rows(source) -> int | None:
    """Rows in ``source`` for a progress bar's ETA: exact for Parquet and DataFrames; for CSV
    counted with pyarrow's streaming reader (quoted line breaks in claims texts are read as
    such), for JSONL the line count; None when it cannot tell. Meant to run in a background
    thread while scoring starts."""
    if isinstance(source, pd.DataFrame):
        return len(source)
    try:
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix in (".jsonl", ".ndjson"):
            n = 0
            with open(path, "rb") as fh:
                while block := fh.read(1 << 24):
                    n += block.count(b"\n")
            return n
        if suffix in (".csv", ".tsv", ".txt"):
            from pyarrow import csv

            with open(path, "rb") as fh:
                first = fh.readline()
            delim = "\t" if suffix == ".tsv" or first.count(b"\t") > first.count(b",") else ","
            reader = csv.open_csv(
                path, read_options=csv.ReadOptions(block_size=1 << 24),
                parse_options=csv.ParseOptions(delimiter=delim, newlines_in_values=True),
                convert_options=csv.ConvertOptions(include_columns=[], column_types={}))
            return sum(batch.num_rows for batch in reader)
    except Exception:  # noqa: BLE001 - an estimate only: no ETA rather than a failed run
        return None
    return None


# ----- scoring in worker processes ----------------------------------------------------------

@lru_cache(maxsize=2)
def _model_at(path: str):
    from hvpscore.model import load_model

    return load_model(path)


def _score_chunk(records: pd.DataFrame, model, kwargs: dict, cache):
    """The score table of one chunk, and the claims cache's (hits, misses) while scoring it."""
    from hvpscore.claims._cache import in_worker
    from hvpscore.scoring import score_records

    if isinstance(model, str):
        model = _model_at(model)
    cache = in_worker(cache)  # a worker: one connection for all its tasks
    if cache is None:
        return score_records(records, model=model, **kwargs), (0, 0)
    h, m = cache.hits, cache.misses
    table = score_records(records, model=model, claims_cache=cache, **kwargs)
    return table, (cache.hits - h, cache.misses - m)


def run_chunks(chunks: Iterator[pd.DataFrame], model, kwargs: dict, *, jobs: int = 1,
               cache=None) -> Iterator[pd.DataFrame]:
    """Score ``chunks`` (canonical records) in order, in ``jobs`` processes.

    ``model`` is a model directory (each worker loads it once) or an HvpModel (sent to the
    workers). With ``jobs == 1`` everything runs in this process.
    """
    if jobs <= 1:
        for recs in chunks:
            yield _score_chunk(recs, model, kwargs, cache)[0]
        return
    from joblib import Parallel, delayed, parallel_config

    threads = max(1, available_cores() // jobs)
    with parallel_config(backend="loky", inner_max_num_threads=threads):
        # at most jobs + 1 chunks in flight: bounded memory, the reader one chunk ahead
        par = Parallel(n_jobs=jobs, return_as="generator", pre_dispatch=f"{jobs + 1}",
                       batch_size=1, max_nbytes=None)
        for table, (hits, misses) in par(delayed(_score_chunk)(recs, model, kwargs, cache)
                                         for recs in chunks):
            if cache is not None:  # the workers' lookups, counted here
                cache.hits += hits
                cache.misses += misses
            yield table


def plan_parts(plan) -> int:
    """The parts a plan will cut, estimated from the file's size and the bytes per part."""
    return -(-(plan.size - plan.data_start) // plan.part_bytes)


def plan_early(source, profile, *, encoding, chunksize: int):
    """The part plan of a CSV/TSV ``source`` made before the model is loaded (to start the
    workers in the meantime), for :func:`part_run` to use; None when it is not a CSV file or
    planning fails (``part_run`` then plans again and reports what is wrong)."""
    if isinstance(source, pd.DataFrame):
        return None
    from hvpscore.io._parts import plan_csv
    from hvpscore.io._profile import load_profile
    from hvpscore.io._records import _enc

    try:
        return plan_csv(source, encoding or _enc(load_profile(profile)), chunksize)
    except Exception:  # noqa: BLE001 - the real run reports it
        return None


def part_run(source, profile, *, encoding, chunksize: int, strict: bool, model, model_ref,
             kwargs: dict, jobs: int, cache, min_parts: int = 2, plan=None):
    """A :class:`hvpscore._scoreparts.PartRun` when ``source`` is a CSV/TSV file that cuts into
    two parts or more (this process and ``jobs - 1`` workers then each read, validate and score
    their own parts), else None (read in one piece). ``min_parts``: None as well when the plan
    estimates fewer parts (the file's size over the planned bytes per part). ``plan``: the
    file's plan from :func:`plan_early` (None: planned here)."""
    from itertools import islice

    from hvpscore._scoreparts import PartRun
    from hvpscore.io._parts import plan_csv
    from hvpscore.io._profile import load_profile
    from hvpscore.io._records import _check_columns, _enc, _source_name

    if isinstance(source, pd.DataFrame):
        return None
    prof = load_profile(profile)
    if plan is None:
        plan = plan_csv(source, encoding or _enc(prof), chunksize)
    if plan is None:
        return None
    _check_columns(list(plan.header), prof, source)
    if plan_parts(plan) < min_parts:
        return None
    parts = plan.parts()
    first = list(islice(parts, 2))
    if len(first) < 2:
        return None
    return PartRun(plan, first, parts, prof, _source_name(source), chunksize=chunksize,
                   strict=strict, model=model, model_ref=model_ref, kwargs=kwargs, jobs=jobs,
                   cache=cache)


_RAW_SUFFIXES = (".parquet", ".pq", ".jsonl", ".ndjson", ".xlsx", ".xlsm")


def raw_part_count(source, chunksize: int) -> int | None:
    """The parts (chunks) a Parquet, JSON Lines or Excel ``source`` will be read into: from the
    Parquet metadata, estimated from the size and the first MiB's lines for JSON Lines, -1 (not
    known before reading) for Excel, None for other sources."""
    if isinstance(source, pd.DataFrame):
        return None
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in _RAW_SUFFIXES or not path.is_file():
        return None
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq

            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception:  # noqa: BLE001 - the one-piece reader says what is wrong
            return None
        return -(-rows // chunksize)
    if suffix in (".jsonl", ".ndjson"):
        per_record = head_bytes_per_record(path)
        if not per_record:
            return 1
        rows = path.stat().st_size / per_record
        return max(1, -(-int(rows) // chunksize))
    return -1


def raw_part_run(source, profile, *, encoding, chunksize: int, strict: bool, model, model_ref,
                 kwargs: dict, jobs: int, cache):
    """A :class:`hvpscore._scoreparts.PartRun` over the raw chunks of a Parquet, JSON Lines or
    Excel file: this process reads them (cheap next to validating and scoring: Parquet decodes
    at a few microseconds a row) and sends each, as read, to a worker or takes it itself; rows,
    duplicates across chunks and rejects are put together as for the parts of a CSV file."""
    from itertools import chain, islice

    from hvpscore._scoreparts import PartRun, RawPlan, raw_parts
    from hvpscore.io._profile import load_profile
    from hvpscore.io._records import _source_name, raw_chunks

    prof = load_profile(profile)
    chunks = raw_chunks(source, prof, encoding, chunksize)
    first = next(chunks)
    parts = raw_parts(chain([first], chunks))
    return PartRun(RawPlan(tuple(first.columns)), list(islice(parts, 2)), parts, prof,
                   _source_name(source), chunksize=chunksize, strict=strict, model=model,
                   model_ref=model_ref, kwargs=kwargs, jobs=jobs, cache=cache)


# ----- writing ------------------------------------------------------------------------------

def atomic_target(path: Path) -> Path:
    """A temporary name in ``path``'s directory (same file system: the rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial" + path.suffix,
                               dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _umask() -> int:
    try:  # Linux: read, not set (setting it would race with other threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def replace_atomic(tmp: Path, path: Path) -> None:
    """Give the finished temporary file its final name, with the permissions a file written
    in place would have: those of the file it replaces, else read/write as the umask allows
    (``mkstemp`` makes it readable by its owner only, which would lock colleagues out of a
    score table in a shared folder)."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _read_part(path: Path):
    """A spilled part (Arrow IPC file), memory-mapped: its buffers are read as they are used
    and keep the map open while a table holds them."""
    import pyarrow as pa

    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()



_ROW_GROUP = 100_000  # rows of a Parquet output's row groups (at least; parts are not split)


class TableAssembler:
    """Collect scored chunks as Arrow IPC parts, then write the output with the whole-run
    percentile (see the module docstring); ``percentile`` None: tables without one (the
    criteria), written as they came. Use as a context manager: the temporary files are
    removed whatever happens."""

    def __init__(self, output,
                 percentile: Callable[[np.ndarray], np.ndarray] | None) -> None:
        self.output = Path(output)
        self.percentile = percentile
        self._dir: Path | None = None
        self._parts: list[Path] = []
        self._schemas: list = []  # of the parts, unified for a Parquet output
        self._p: list[np.ndarray] = []
        self.rows = 0
        self.high_value = 0

    def __enter__(self) -> TableAssembler:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self._dir = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.", suffix=".parts",
                                          dir=self.output.parent))
        return self

    def __exit__(self, *exc) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def add(self, table: pd.DataFrame) -> None:
        """Spill one scored chunk (any index; written without it)."""
        import pyarrow as pa

        part = self._dir / f"{len(self._parts):06d}.arrow"
        t = pa.Table.from_pandas(table.reset_index(drop=True), preserve_index=False)
        opts = pa.ipc.IpcWriteOptions(compression="lz4")
        with pa.OSFile(str(part), "wb") as sink, pa.ipc.new_file(sink, t.schema,
                                                                options=opts) as w:
            w.write_table(t)
        self._parts.append(part)
        self._schemas.append(t.schema)
        if self.percentile is not None:
            self._p.append(table["p_high_value"].to_numpy(dtype=float))
        self.rows += len(table)
        self.high_value += int(table["is_high_value"].fillna(False).astype(bool).sum())

    def finish(self, empty: Callable[[], pd.DataFrame]) -> Path:
        """Write the output (``empty()`` gives the table of a run without rows)."""
        from hvpscore.io import write_table

        if not self._parts:
            self.add(empty())
        pct = self.percentile(np.concatenate(self._p)) if self.percentile is not None else None
        tmp = atomic_target(self.output)
        try:
            suffix = self.output.suffix.lower()
            if suffix in (".parquet", ".pq"):
                self._write_parquet(tmp, pct)
            elif suffix in (".csv", ".jsonl", ".ndjson"):
                self._write_text(tmp, pct, suffix)
            else:  # .xlsx (at most 1,048,576 rows by Excel's limit) and anything write_table knows
                tmp = tmp.with_suffix(self.output.suffix)
                write_table(self._frame(pct), tmp)
            replace_atomic(tmp, self.output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return self.output

    def _chunks(self, pct: np.ndarray):
        start = 0
        for part in self._parts:
            t = _read_part(part)
            n = t.num_rows
            yield t, None if pct is None else pct[start : start + n]
            start += n

    def _frame(self, pct) -> pd.DataFrame:
        frames = []
        for t, p in self._chunks(pct):
            df = t.to_pandas()
            if p is not None:
                df["percentile"] = p
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def _write_parquet(self, tmp: Path, pct: np.ndarray) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.unify_schemas(self._schemas, promote_options="permissive")
        group: list = []  # parts gathered into row groups of >= _ROW_GROUP rows (fewer, larger
        rows = 0  # groups: 0.37 -> 0.26 s for a million rows in 40 parts)
        # patent_id is unique per row (duplicates are rejected): no dictionary tried for it
        # (the writer builds one per row group and drops it; 0.295 -> 0.275 s and 4 % smaller
        # at 1M rows); every other column keeps its dictionary
        dictionary = [c for c in schema.names if c != "patent_id"]
        with pq.ParquetWriter(tmp, schema, use_dictionary=dictionary) as w:
            for t, p in self._chunks(pct):
                if p is not None:
                    i = t.schema.get_field_index("percentile")
                    t = t.set_column(i, "percentile", pa.array(p, type=pa.float64()))
                group.append(t.cast(schema) if t.schema != schema else t)
                rows += t.num_rows
                if rows >= _ROW_GROUP:
                    w.write_table(pa.concat_tables(group), row_group_size=rows)
                    group, rows = [], 0
            if group:
                w.write_table(pa.concat_tables(group), row_group_size=max(rows, 1))

    def _write_text(self, tmp: Path, pct: np.ndarray, suffix: str) -> None:
        from hvpscore.io import write_table

        part = self._dir / ("part" + suffix)
        with open(tmp, "wb") as out:
            for k, (t, p) in enumerate(self._chunks(pct)):
                df = t.to_pandas()
                if p is not None:
                    df["percentile"] = p
                write_table(df, part)  # the same formatting as a one-piece write
                data = part.read_bytes()
                if k and suffix == ".csv":  # later parts: no BOM, no header line
                    data = data[data.index(b"\n") + 1 :]
                out.write(data)
