"""Scoring a file in processes that read their own parts of it (``--jobs`` N > 1).

Parquet, JSON Lines and Excel files are read by the parent instead (a :class:`RawPart` per raw
chunk: validating and scoring, not decoding, is the cost) and put together in the same way.

The parent plans the parts (byte ranges cut at record starts, :mod:`hvpscore.io._parts`),
keeps N - 1 loky workers busy (two parts queued each) and scores the next part itself whenever
it would otherwise wait for them (it has the model loaded already: one process fewer to start
than N workers, and the parent is not idle). Whoever scores
a part reads its range, validates it (rows numbered from 1 within the part), scores it, and
returns the score tables, its rejects, its problems and its read summary, plus the patent ids of
the rows it accepted: no records cross processes, only score tables. At most ``2 N + 1`` parts
are in flight (bounded memory). Native thread pools get ``cores // N`` threads in every process.
The parent takes the parts in file order and makes them what one reader would have produced:

* row numbers: shifted by the rows of the parts before (rejects, problems, messages);
* duplicate patent ids across parts (the first occurrence in the file wins, as in one piece): a
  row whose id an earlier part accepted is taken out of the score table and rejected, with its
  raw columns read again from its part (only for such rows); a duplicate a worker found within
  its part names the first row of the whole file;
* a part whose last record ran past its end (a cut inside quotes: a broken quote in the part
  makes the planner's quote parity wrong after it) is read on by its worker to the next clean
  record end; the parts planned after it are dropped and the rest of the file is planned again
  from where that part really ended.

The output, the rejects file and the counts are the same as with one process, whatever the
chunk size (a test compares them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hvpscore._errors import Problem

__all__ = ["PartResult", "PartRun", "RawPart", "RawPlan", "raw_parts", "score_part"]


@dataclass
class PartResult:
    """What a worker returns for one part (rows numbered from 1 within the part)."""

    tables: list
    rejects: list
    problems: list
    summary: object
    ids: np.ndarray  # patent_id of the accepted rows, in order
    rows: np.ndarray  # their row numbers within the part
    lines: np.ndarray  # their physical lines (global)
    dups: list  # (row, patent_id, first row within the part) of duplicates found in the part
    n_rows: int
    end_at: int  # where the part ended (past part.end when its last record ran on)
    end_line: int
    columns: list
    hits: int = 0
    misses: int = 0
    stopped: bool = False  # strict: stopped at the first chunk with a problem


@dataclass
class RawPart:
    """A chunk of raw rows of a Parquet, JSON Lines or Excel source, read by the parent, for a
    worker to validate and score (rows numbered from 1 within the part). ``start``, ``end``
    and ``first_line`` make it look like a :class:`hvpscore.io._csv.CsvPart` that never runs
    past its end."""

    chunk: object  # hvpscore.io._read.RawChunk
    start: int = 0
    end: int = 0
    first_line: int = 0


@dataclass
class RawPlan:
    """What :class:`PartRun` needs of a plan when the parts are raw chunks (never re-planned)."""

    header: tuple = ()
    notes: list = dataclasses.field(default_factory=list)
    size: int = 0


def raw_parts(chunks) -> Iterator[RawPart]:
    """The raw chunks of a source as parts, each renumbered from row 1."""
    for chunk in chunks:
        shift = chunk.first_row - 1
        bad = [dataclasses.replace(b, row=b.row - shift) for b in chunk.bad_rows]
        rows = np.asarray(chunk.rows, dtype=np.int64) - shift
        yield RawPart(dataclasses.replace(chunk, first_row=1, rows=rows, bad_rows=bad))


def part_executor(jobs: int):
    """The ``jobs - 1`` worker processes of a part run: joblib's factory of loky's reusable
    executor (the one joblib.Parallel shares), native thread pools limited to ``cores //
    jobs`` threads each. The same executor for the same ``jobs`` (see :func:`warm_workers`)."""
    from joblib.executor import get_memmapping_executor

    from hvpscore._scorefile import available_cores

    threads = str(max(1, available_cores() // jobs))
    limits = dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"),
                           threads)
    return get_memmapping_executor(jobs - 1, env=limits)


def stop_workers() -> None:
    """Stop the workers of a part run, if any were started, without waiting for each to tear
    down its interpreter (they are idle once a run is over: every result has been taken)."""
    import sys

    mod = sys.modules.get("joblib.externals.loky.reusable_executor")
    executor = getattr(mod, "_executor", None) if mod is not None else None
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)
        # its queues' semaphores are released when it is collected: now, so that an exit that
        # skips the interpreter's teardown leaves none for loky's tracker to warn about
        mod._executor = mod._executor_kwargs = None
        del executor
        import gc

        gc.collect()


def _load_model(path: str) -> None:
    from hvpscore._scorefile import _model_at

    _model_at(path)  # kept by the worker for its parts (nothing sent back)


def warm_workers(jobs: int, model_ref: str) -> None:
    """Start the workers of a part run and have each load the model now, while this process
    still imports LightGBM and loads it (~3 s of start-up each on the 2-core machine, in
    parallel instead of one after the other). A model that fails to load fails in the worker
    too: that error is not read, this process reports its own when it loads the model."""
    executor = part_executor(jobs)
    for _ in range(jobs - 1):
        executor.submit(_load_model, model_ref)


def _part_step(chunksize: int) -> int:
    """Records per chunk within a part: half as many again as the part was planned for."""
    return chunksize + chunksize // 2


def score_part(plan, part, prof, name: str, chunksize: int, model, kwargs: dict, cache,
               strict: bool) -> PartResult:
    """Read, validate and score one part (runs in a worker).

    The cyclic garbage collector is paused for the part: its records are hundreds of thousands
    of small lists (they hold strings, they form no cycles) that collections during scoring
    would traverse and promote again and again, ~3 % of a row's CPU without text; by the end of
    the part they are freed by reference counting, and what is left is collected as usual."""
    from hvpscore.io._convert import _no_gc

    with _no_gc():
        return _score_part(plan, part, prof, name, chunksize, model, kwargs, cache, strict)


def _score_part(plan, part, prof, name: str, chunksize: int, model, kwargs: dict, cache,
                strict: bool) -> PartResult:
    from hvpscore._scorefile import _score_chunk
    from hvpscore.io._read import _iter_csv
    from hvpscore.io._records import _convert_chunk

    seen: dict = {}
    readers: list = []
    tables, rejects, problems, dups = [], [], [], []
    ids, rows, lines = [], [], []
    summary = None
    n_rows = hits = misses = 0
    stopped = False
    if isinstance(part, RawPart):  # read by the parent already
        columns = part.chunk.columns
        chunks = iter([part.chunk])
    else:
        columns = list(plan.header)
        # a part is planned at about ``chunksize`` records from a sample's bytes per record:
        # read it as one chunk when it holds a few more (10,050 records were a chunk of 10,000
        # and one of 50, and a chunk costs ~25 ms of fixed work in scoring: 31 chunks for 20
        # parts of 200,000 records, 56.5 -> 52.8 us a row); only a part far off the estimate is
        # split
        chunks = _iter_csv(plan.path, plan.encoding, _part_step(chunksize), plan.delimiter,
                           part=part, explicit=plan.explicit, readers=readers)
    for chunk in chunks:
        res = _convert_chunk(chunk, prof, name, seen)
        n_rows += chunk.n_rows
        summary = res.summary if summary is None else summary.merge(res.summary)
        if len(res.rejects):
            rejects.append(res.rejects)
        problems.extend(res.problems)
        dups.extend((p.row, p.value, seen[p.value]) for p in res.problems
                    if p.code == "duplicate_id")
        if strict and res.problems:
            stopped = True
            break
        recs = res.records
        r = recs.index.to_numpy(dtype=np.int64)
        ids.append(recs["patent_id"].to_numpy(dtype=object))
        rows.append(r)
        pos = np.searchsorted(np.asarray(chunk.rows, dtype=np.int64), r)
        # (-1: a source without lines, Parquet)
        lines.append(np.asarray(chunk.lines, dtype=np.int64)[pos] if chunk.lines is not None
                     else np.full(len(r), -1, dtype=np.int64))
        table, (h, m) = _score_chunk(recs, model, kwargs, cache)
        tables.append(table)
        hits += h
        misses += m
    def cat(xs, dt):
        return np.concatenate(xs) if xs else np.zeros(0, dtype=dt)

    return PartResult(tables, rejects, problems, summary, cat(ids, object), cat(rows, np.int64),
                      cat(lines, np.int64), dups, n_rows,
                      readers[0].end_at if readers and not stopped else part.end,
                      readers[0].end_line if readers and not stopped else part.first_line,
                      columns, hits, misses, stopped)


def _raw_rows(plan, part, lines: np.ndarray) -> pd.DataFrame:
    """The raw columns of the records of ``part`` (as its worker read it) that start on
    ``lines`` (in that order)."""
    from hvpscore.io._csv import CsvReader
    from hvpscore.io._records import _frame_rows

    want = {int(x): i for i, x in enumerate(lines.tolist())}
    got: list = [None] * len(want)
    reader = CsvReader(plan.path, encoding=plan.encoding, explicit=plan.explicit,
                       delimiter=plan.delimiter, sniff=False, part=part)
    for block in reader.blocks():
        ln = np.asarray(block.lines, dtype=np.int64)
        hit = np.flatnonzero(np.isin(ln, list(want)))
        if len(hit):
            frame = _frame_rows(block.table, hit)
            for k, j in enumerate(hit.tolist()):
                got[want[int(ln[j])]] = frame.iloc[k]
    return pd.DataFrame(got, columns=list(plan.header)).reset_index(drop=True).astype(object)


def _raw_rejects(chunk, rows: np.ndarray, off: int, problems: list) -> pd.DataFrame:
    """The rejects rows of ``chunk``'s rows ``rows`` (numbered within the part) with their
    ``problems``, as the one-piece reader writes them (the same function)."""
    from hvpscore.io._records import _rejects

    numbers = np.asarray(chunk.rows, dtype=np.int64)
    bad = np.zeros(len(numbers), dtype=bool)
    bad[np.searchsorted(numbers, rows)] = True
    sub = dataclasses.replace(chunk, rows=numbers + off, bad_rows=[])
    return _rejects(sub, bad, {p.row: [p] for p in problems})


class PartRun:
    """The parent's side: plan, dispatch, put the parts together (see the module doc).

    Iterate it for the score tables in file order; ``summary`` and :meth:`write_rejects` as for
    :class:`hvpscore._batch.RecordBatches`.
    """

    def __init__(self, plan, first_parts: list, rest_parts: Iterator, prof, name: str, *,
                 chunksize: int, strict: bool, model, model_ref, kwargs: dict, jobs: int,
                 cache):
        self.plan = plan
        self._first = first_parts
        self._rest = rest_parts
        self.prof = prof
        self.name = name
        self.chunksize = chunksize
        self.strict = strict
        self.model = model  # scores this process's parts
        self.model_ref = model_ref  # what the workers load (a directory, or the model)
        self.kwargs = kwargs
        self.jobs = jobs
        self.cache = cache
        self.summary = None
        self._rejected: list[pd.DataFrame] = []
        self.seen: dict = {}
        self.offset = 0  # rows of the parts taken so far
        self.parts_read = 0
        self.replans = 0  # parts read on past their end (cuts inside quotes)

    def _parts(self):
        yield from self._first
        yield from self._rest

    def __iter__(self) -> Iterator[pd.DataFrame]:
        from hvpscore._scorefile import available_cores

        threads = max(1, available_cores() // self.jobs)
        executor = None
        if self.jobs > 1:
            executor = part_executor(self.jobs)
        todo = self._parts()
        while todo is not None:
            restart = yield from self._run(todo, executor, threads)
            todo = None
            if restart is not None and restart[0] < self.plan.size:
                self.replans += 1
                todo = self.plan.parts(*restart)

    def _run(self, todo, executor, threads):
        """Score the parts of ``todo`` in order: the workers' queues kept full, the next part
        scored here whenever the oldest one is not back yet; at most ``2 * jobs + 1`` in
        flight. Returns where to plan again (a part read on past its end) or None."""
        from collections import deque

        from threadpoolctl import threadpool_limits

        def args(part, model):
            return (self.plan, part, self.prof, self.name, self.chunksize, model, self.kwargs,
                    self.cache, self.strict)

        window: deque = deque()  # [part, future or None, result or None], in file order
        todo = iter(todo)
        limit = 2 * self.jobs + 1
        queued = 2 * (self.jobs - 1)  # parts waiting or running in the workers
        done = False
        pending = None  # a part of the file's end kept for this process (see below)
        try:
            while True:
                # keep the workers busy: up to two parts each, submitted in file order; in the
                # last parts of the file one each, so that none holds a queued part while this
                # process has nothing left to take (it waited ~0.4 s of 16 at the end of a
                # 1M-row run for the worker's two last parts)
                while executor is not None and not done and len(window) < limit:
                    busy = sum(1 for e in window if e[1] is not None and not e[1].done())
                    if busy >= queued:
                        break
                    part = pending if pending is not None else next(todo, None)
                    pending = None
                    if part is None:
                        done = True
                        break
                    if busy >= self.jobs - 1 and self._near_end(part):
                        pending = part
                        break
                    window.append([part, executor.submit(score_part,
                                                         *args(part, self.model_ref)), None])
                head = window[0] if window else None
                ready = head is not None and (head[1] is None or head[1].done())
                if not ready and not done and len(window) < limit:
                    # rather than wait for the workers, this process takes the next part
                    part = pending if pending is not None else next(todo, None)
                    pending = None
                    if part is None:
                        done = True
                    else:
                        with threadpool_limits(limits=threads):
                            window.append([part, None, score_part(*args(part, self.model))])
                    continue
                if head is None:
                    return None
                part, fut, res = window.popleft()
                if fut is not None:
                    res = fut.result()
                    if self.cache is not None:  # the worker's lookups, counted here
                        self.cache.hits += res.hits
                        self.cache.misses += res.misses
                self.parts_read += 1
                restart = None
                if res.end_at != part.end:  # read on past a cut inside quotes
                    part = dataclasses.replace(part, end=res.end_at)
                    restart = (res.end_at, res.end_line)
                yield from self._absorb(res, part)
                if restart is not None:
                    return restart
        finally:
            for entry in window:  # parts planned after a bad cut, or an error
                if entry[1] is not None:
                    entry[1].cancel()

    def _near_end(self, part) -> bool:
        """Whether ``part`` is among the file's last parts (the planner's smaller ones: the
        last three parts' worth of bytes). Raw parts (Parquet, JSON Lines, Excel): never."""
        part_bytes = getattr(self.plan, "part_bytes", None)
        end = getattr(part, "end", 0)
        return bool(part_bytes and end) and self.plan.size - part.start <= 3 * part_bytes

    # ------------------------------------------------------------------ putting parts together
    def _absorb(self, res: PartResult, part) -> list[pd.DataFrame]:
        from hvpscore.io._records import (
            ReadResult,
            duplicate_message,
            reasons_text,
            reject_column_names,
        )

        off, seen = self.offset, self.seen
        names = reject_column_names(res.columns)
        first_of = {r: seen.get(pid, first + off) for r, pid, first in res.dups}
        problems = [Problem(p.row + off, p.column, p.value,
                            duplicate_message(first_of[p.row]) if p.code == "duplicate_id"
                            else p.message, p.code, p.line) for p in res.problems]
        fixed = {p.row: p for p in problems if p.code == "duplicate_id"}
        rejects = []
        for rj in res.rejects:
            rj[names["row"]] = rj[names["row"]].to_numpy(dtype=np.int64) + off
            if fixed:
                rows = rj[names["row"]].tolist()
                cur = rj[names["reasons"]].tolist()
                rj[names["reasons"]] = pd.Series(
                    [reasons_text([fixed[r]]) if r in fixed else c for r, c in zip(rows, cur,
                                                                                    strict=True)],
                    dtype=object, index=rj.index)
            rejects.append(rj)
        ids = res.ids
        id_list = ids.tolist()
        # (most parts share no id with the parts before: one C-level test of the whole part)
        cross = (np.zeros(len(id_list), dtype=bool) if seen.keys().isdisjoint(id_list)
                 else np.array([pid in seen for pid in id_list], dtype=bool))
        tables = res.tables
        summary = res.summary
        if cross.any():
            c_rows, c_lines, c_ids = res.rows[cross], res.lines[cross], ids[cross]
            new = [Problem(int(r) + off, "patent_id", pid, duplicate_message(seen[pid]),
                           "duplicate_id", int(ln) if ln >= 0 else None)
                   for r, ln, pid in zip(c_rows.tolist(), c_lines.tolist(), c_ids.tolist(),
                                         strict=True)]
            problems = sorted(problems + new, key=lambda p: p.row)
            if isinstance(part, RawPart):  # the parent has its raw rows: as one reader writes them
                raw = _raw_rejects(part.chunk, c_rows, off, new)
            else:
                raw = _raw_rows(self.plan, part, c_lines)
                raw.insert(0, names["row"], pd.Series(c_rows + off, dtype="int64"))
                raw[names["line"]] = pd.Series(c_lines, dtype="Int64")
                raw[names["raw_line"]] = pd.Series([None] * len(new), dtype=object)
                raw[names["codes"]] = pd.Series([p.code for p in new], dtype=object)
                raw[names["reasons"]] = pd.Series([reasons_text([p]) for p in new],
                                                  dtype=object)
            both = pd.concat(rejects + [raw], ignore_index=True)
            if names["line"] in both.columns:
                both[names["line"]] = both[names["line"]].astype("Int64")
            rejects = [both.sort_values(names["row"], kind="stable").reset_index(drop=True)]
            drop = set(c_rows.tolist())
            tables = [t.loc[~t.index.isin(drop)] if len(t) else t for t in tables]
            k = int(cross.sum())
            summary.accepted -= k
            summary.rejected += k
            summary.duplicates += k
            summary.problems_by_column["patent_id"] += k
            summary.problems_by_code["duplicate_id"] += k
        keep = ~cross & pd.notna(ids)
        if keep.all():
            seen.update(zip(id_list, (res.rows + off).tolist(), strict=True))
        else:
            seen.update(zip(ids[keep].tolist(), (res.rows[keep] + off).tolist(), strict=True))
        self.offset += res.n_rows
        if self.strict and (problems or res.stopped):
            ReadResult(pd.DataFrame(), pd.DataFrame(), summary, problems).raise_if_rejected()
        self._take(summary)
        self._rejected.extend(r for r in rejects if len(r))
        return tables

    def _take(self, summary) -> None:
        if summary is None:
            return
        if self.summary is None:
            notes = list(self.plan.notes)
            summary.notes = notes + [n for n in summary.notes if n not in notes]
            self.summary = summary
        else:
            self.summary = self.summary.merge(summary)

    def write_rejects(self, output, rejects=None):
        from hvpscore._batch import RecordBatches

        rb = RecordBatches(None)
        rb._rejected = self._rejected
        return rb.write_rejects(output, rejects)
