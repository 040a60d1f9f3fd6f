"""A content-hash cache of claim features: a SQLite sidecar file keyed by the text.

A monthly rescoring of the same stock parses only the claims texts that are new or changed: the
key is a BLAKE2b hash of the text as read (a hit costs no normalisation; the features are those
of the normalised text, and normalising twice changes nothing, so an entry keyed by a
normalised text is right for that text read again), the value the feature row. The file
records the feature version (:data:`CLAIM_FEATURES_VERSION`: the feature names, the code of the
claims analysis and its data files); opening a file written by another version empties it, so
a cached value is never stale.

SQLite (standard library) rather than Parquet because rows are added incrementally, chunk by
chunk, by one or several processes (WAL journal, a busy timeout for concurrent writers).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from hvpscore._errors import InputError

__all__ = ["CLAIM_FEATURES_VERSION", "ClaimFeatureCache", "feature_version"]

# bump when a definition changes in a way the source hash below would not see
CLAIM_FEATURES_VERSION = "2"
_SOURCES = ("_analyze.py", "_deps.py", "_features.py", "_lexicon.py", "_parse.py", "_text.py",
            "_model.py")
_DATA = ("features.yaml", "lexicon.yaml", "thresholds.yaml")
_BATCH = 900  # SQLite's default limit on host parameters is 999


@lru_cache(maxsize=1)
def feature_version() -> str:
    """The version string a cache entry is valid for: :data:`CLAIM_FEATURES_VERSION` plus a hash
    of the claims analysis code and data files (a changed lexicon or parser empties the cache)."""
    h = hashlib.blake2b(digest_size=8)
    pkg = resources.files("hvpscore.claims")
    for name in _SOURCES:
        h.update(pkg.joinpath(name).read_bytes())
    for name in _DATA:
        h.update(pkg.joinpath("data", name).read_bytes())
    return f"{CLAIM_FEATURES_VERSION}-{h.hexdigest()}"


def text_key(text: str) -> bytes:
    """The cache key of a claims text (16 bytes)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ClaimFeatureCache:
    """Claim features by content hash, in a SQLite file (created when missing).

    Parameters
    ----------
    path : str or Path
        The sidecar file, e.g. beside the stock (``patents.claims-cache.sqlite``) or the model.

    Pass it explicitly: to :func:`hvpscore.claims.claim_features` (``cache=``), to
    ``HvpModel.transform`` / :func:`hvpscore.features.transform_features` /
    :func:`hvpscore.scoring.score_records` (``claims_cache=``) or to
    :func:`hvpscore.scoring.score_file` (``claims_cache=``). ``hits`` and ``misses`` count the
    lookups of this object. The object can be sent to worker processes: each opens its own
    connection.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from hvpscore.claims import claim_features
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "claims.sqlite"
    >>> cache = ClaimFeatureCache(path)
    >>> a = claim_features(["1.一种杯子，包括杯体。"], cache=cache)
    >>> b = claim_features(["1.一种杯子，包括杯体。"], cache=cache)
    >>> (cache.misses, cache.hits, a.equals(b))
    (1, 1, True)
    """

    def __init__(self, path) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self._con: sqlite3.Connection | None = None
        self._width: int | None = None

    # pickling: the path and counters only (a worker reopens the file, once: see in_worker)
    def __getstate__(self) -> dict:
        return {"path": self.path, "hits": 0, "misses": 0, "_con": None, "_width": None,
                "_sent": True}

    def _connect(self) -> sqlite3.Connection:
        if self._con is not None:
            return self._con
        from hvpscore.claims._features import CLAIM_FEATURE_NAMES

        path = Path(self.path)
        if path.exists() and path.is_dir():
            raise InputError(f"claims cache {path}: is a directory; give a file path such as "
                             f"{path / 'claims-cache.sqlite'}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(path, timeout=60.0, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            # random 16-byte keys touch pages all over the B-tree: a 32 MiB page cache and
            # reads through a memory map (up to 256 MiB of the file) instead of SQLite's 2 MiB
            # cache and a read() per page (166,724 rows: inserts 28 -> 18 us, lookups 8.5 -> 4.6
            # us of CPU each; benchmarks/SCALE_NOTES.md)
            con.execute("PRAGMA cache_size=-32768")
            con.execute("PRAGMA mmap_size=268435456")
            con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
            con.execute("CREATE TABLE IF NOT EXISTS features (h BLOB PRIMARY KEY, v BLOB) "
                        "WITHOUT ROWID")
            row = con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            version = feature_version()
            if row is None or row[0] != version:
                con.execute("BEGIN IMMEDIATE")
                row = con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
                if row is None or row[0] != version:  # another process may have just done it
                    con.execute("DELETE FROM features")
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
                con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"claims cache {path}: not a readable SQLite cache ({exc}); delete "
                             "it or pass another --claims-cache path") from None
        self._con = con
        self._width = len(CLAIM_FEATURE_NAMES)
        return con

    def get_many(self, keys: list[bytes], raw: bool = False) -> dict:
        """The cached rows of ``keys`` (missing keys are absent from the result): float64
        arrays, or with ``raw=True`` their little-endian bytes (to stack many at once)."""
        con = self._connect()
        out: dict = {}
        uniq = list(dict.fromkeys(keys))
        size = 8 * self._width
        q_full = None
        for i in range(0, len(uniq), _BATCH):
            part = uniq[i : i + _BATCH]
            if len(part) == _BATCH:
                q = q_full = q_full or ("SELECT h, v FROM features WHERE h IN ("
                                        + ",".join("?" * _BATCH) + ")")
            else:
                q = "SELECT h, v FROM features WHERE h IN (" + ",".join("?" * len(part)) + ")"
            out.update((h, v) for h, v in con.execute(q, part) if len(v) == size)
        hits = sum(map(out.__contains__, keys))
        self.hits += hits
        self.misses += len(keys) - hits
        if not raw:
            out = {h: np.frombuffer(v, dtype="<f8") for h, v in out.items()}
        return out

    def put_many(self, rows: dict[bytes, np.ndarray]) -> None:
        """Store feature rows by key (one transaction)."""
        if not rows:
            return
        con = self._connect()
        data = [(k, np.asarray(v, dtype="<f8").tobytes()) for k, v in rows.items()]
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT OR REPLACE INTO features VALUES (?, ?)", data)
        con.execute("COMMIT")

    def __len__(self) -> int:
        return self._connect().execute("SELECT count(*) FROM features").fetchone()[0]

    def close(self) -> None:
        """Close the connection (reopened on the next use)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def __repr__(self) -> str:
        return f"ClaimFeatureCache({str(self.path)!r})"


# the caches workers were sent, one open connection per file: (path, device, inode) -> cache
_WORKER_CACHES: dict[tuple, ClaimFeatureCache] = {}


def in_worker(cache: ClaimFeatureCache | None) -> ClaimFeatureCache | None:
    """The cache to use for a task a worker process was sent with ``cache``.

    Every task (a part or a chunk) arrives with its own unpickled copy, which would open a new
    SQLite connection with a cold page cache each time: 200,000 rows in 20 parts with two
    processes took 43 s of CPU on cache hits against 30 s with one. The first copy for a file
    is kept and reused by the worker's later tasks (its hits and misses are counted per task by
    the caller, as differences). A file replaced since (another inode) gets a new connection.
    A cache that was not sent (this process's own) is returned as it is.
    """
    if cache is None or not cache.__dict__.get("_sent", False):
        return cache
    try:
        st = os.stat(cache.path)
    except OSError:
        return cache  # not created yet: this copy creates it
    key = (os.path.abspath(cache.path), st.st_dev, st.st_ino)
    return _WORKER_CACHES.setdefault(key, cache)
