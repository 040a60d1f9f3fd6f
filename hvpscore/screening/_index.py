"""The screening index: per-record MinHash signatures, banded LSH tables as sorted arrays, the
cleaned claims/abstract texts (zlib, one blob + offsets) and a small record table.

On disk (``build_index(..., directory)``) it is a handful of ``.npy`` files, one ``.bin`` blob and a
Parquet table: loading is ``np.load`` (no million Python objects), a draft query is one signature,
``bands`` binary searches and an exact comparison of the few candidates.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from hvpscore._errors import InputError
from hvpscore.screening._compare import Doc, jaccard_containment
from hvpscore.screening._data import config
from hvpscore.screening._minhash import band_keys, lsh_params, permutations, signatures
from hvpscore.screening._normalize import clean_text, detect_lang, split_claims

__all__ = ["INDEX_FORMAT", "ScreenIndex", "build_index", "distinctive", "load_index",
           "stop_shingles"]

INDEX_FORMAT = "hvpscore-screen-index"
INDEX_VERSION = 1
_SEP_CLAIM = "\x1e"
_SEP_ABS = "\x1d"
_META_COLS = ("patent_id", "applicants", "agency", "inventors", "filing_date", "grant_date",
              "transfers", "transfer_date", "legal_status", "lang", "basis", "n_claims")



def _as_list(v) -> list[str]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    if isinstance(v, str):
        return [s.strip() for s in v.replace("；", ";").split(";") if s.strip()]
    try:
        return [str(s) for s in v if s is not None and str(s).strip()]
    except TypeError:
        return [str(v)]


def _text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return ""
    return str(v)


class ScreenIndex:
    """Signatures, LSH tables, texts and record table of a stock (built or loaded)."""

    def __init__(self, *, sig, keys_sorted, ids_sorted, blob, offsets, records: pd.DataFrame,
                 params: dict, cfg: dict, stop: np.ndarray | None = None):
        self.sig = sig                  # (n, num_perm) uint32
        self.keys_sorted = keys_sorted  # (bands, n) uint64, each row sorted
        self.ids_sorted = ids_sorted    # (bands, n) uint32, record ids in key order
        self.blob = blob                # list of zlib texts, or uint8 array of them back to back
        self.offsets = offsets          # (n + 1,) int64
        self.records = records          # one row per record (_META_COLS)
        self.params = params
        self.cfg = cfg
        self.stop = np.empty(0, dtype=np.uint32) if stop is None else stop  # sorted uint32
        self._docs: dict[int, Doc] = {}

    def __len__(self) -> int:
        return len(self.records)

    # -- texts -------------------------------------------------------------------------------
    def texts(self, i: int) -> tuple[list[str], str]:
        if isinstance(self.blob, list):
            raw = zlib.decompress(self.blob[i]).decode()
        else:
            raw = zlib.decompress(bytes(self.blob[self.offsets[i]: self.offsets[i + 1]])).decode()
        claims, _, abstract = raw.partition(_SEP_ABS)
        return (claims.split(_SEP_CLAIM) if claims else []), abstract

    def doc(self, i: int) -> Doc:
        d = self._docs.get(i)
        if d is None:
            claims, abstract = self.texts(i)
            d = make_doc(claims, abstract, self.records["lang"].iat[i],
                         self.records["basis"].iat[i])
            if len(self._docs) > 20_000:
                self._docs.clear()
            self._docs[i] = d
        return d

    # -- candidates --------------------------------------------------------------------------
    def candidate_pairs(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Pairs (i < j) sharing at least one band bucket of at most ``max_bucket`` records, and
        the oversized buckets (templates) as arrays of record ids."""
        n = len(self)
        cap = int(self.params["max_bucket"])
        chunks: list[np.ndarray] = []
        big: dict[bytes, np.ndarray] = {}
        for b in range(self.keys_sorted.shape[0]):
            k = np.asarray(self.keys_sorted[b])
            ids = np.asarray(self.ids_sorted[b]).astype(np.int64)
            if n < 2:
                break
            change = np.flatnonzero(k[1:] != k[:-1]) + 1
            starts = np.concatenate(([0], change))
            sizes = np.diff(np.concatenate((starts, [n])))
            for s in np.unique(sizes[(sizes >= 2)]):
                st = starts[sizes == s]
                if s > cap:
                    for x in st:
                        members = np.sort(ids[x:x + s])
                        big.setdefault(members[:8].tobytes() + bytes(str(s), "ascii"), members)
                    continue
                members = ids[st[:, None] + np.arange(s)]          # (groups, s)
                iu, ju = np.triu_indices(int(s), 1)
                a, c = members[:, iu].ravel(), members[:, ju].ravel()
                lo, hi = np.minimum(a, c), np.maximum(a, c)
                chunks.append(lo * n + hi)
            if chunks and sum(len(c) for c in chunks) > 20_000_000:
                chunks = [np.unique(np.concatenate(chunks))]
        if not chunks:
            return np.empty((0, 2), dtype=np.int64), list(big.values())
        codes = np.unique(np.concatenate(chunks))
        return np.stack([codes // n, codes % n], axis=1), list(big.values())

    def estimate(self, pairs: np.ndarray, block: int = 200_000) -> np.ndarray:
        """Signature estimate of the Jaccard of each pair."""
        out = np.empty(len(pairs))
        for s in range(0, len(pairs), block):
            p = pairs[s:s + block]
            out[s:s + block] = (self.sig[p[:, 0]] == self.sig[p[:, 1]]).mean(axis=1)
        return out

    def query_candidates(self, sig_row: np.ndarray, limit: int = 50) -> np.ndarray:
        """Record ids sharing a band with a signature, most shared bands first (≤ limit)."""
        b, r = self.params["bands"], self.params["rows"]
        keys = band_keys(sig_row[None, :], b, r)[0]
        cap = int(self.params["max_bucket"])
        found = []
        for i in range(b):
            row = self.keys_sorted[i]
            lo = int(np.searchsorted(row, keys[i], "left"))
            hi = int(np.searchsorted(row, keys[i], "right"))
            if hi > lo:
                found.append(np.asarray(self.ids_sorted[i][lo:min(hi, lo + 4 * cap)]))
        if not found:
            return np.empty(0, dtype=np.int64)
        ids, votes = np.unique(np.concatenate(found).astype(np.int64), return_counts=True)
        if len(ids) > limit:
            est = (self.sig[ids] == sig_row).mean(axis=1)
            ids = ids[np.lexsort((-est, -votes))[:limit]]
        return ids

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write the index to ``directory`` (created; existing index files replaced)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.save(d / "signatures.npy", np.ascontiguousarray(self.sig))
        np.save(d / "band_keys.npy", np.ascontiguousarray(self.keys_sorted))
        np.save(d / "band_ids.npy", np.ascontiguousarray(self.ids_sorted))
        np.save(d / "text_offsets.npy", self.offsets)
        np.save(d / "stop_shingles.npy", self.stop)
        with open(d / "texts.bin", "wb") as fh:
            if isinstance(self.blob, list):
                for b in self.blob:
                    fh.write(b)
            else:
                fh.write(bytes(self.blob))
        rec = self.records.copy()
        for c in ("applicants", "inventors"):
            rec[c] = rec[c].map(lambda v: "; ".join(v) if v else "")
        rec.to_parquet(d / "records.parquet", index=False)
        meta = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "n": len(self),
                "params": self.params}
        (d / "index.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return d


def _row_texts(claims_text, abstract, lang: str, patent_type=None) -> tuple[str, list[str], str, str]:
    """(lang, cleaned claims, abstract, basis). Designs are not compared (their abstract is a
    fixed form; the design is in the drawings); a record without claims is compared by its
    abstract."""
    claims = split_claims(claims_text)
    abstract = _text(abstract)
    text_for_lang = " ".join(claims[:3]) or abstract
    lg = lang if lang in ("zh", "en") else detect_lang(text_for_lang)
    if patent_type == "design":
        return lg, claims, abstract, "none"
    basis = "claims" if claims else ("abstract" if abstract.strip() else "none")
    return lg, claims, abstract, basis


def make_doc(claims: list[str], abstract: str, lang: str, basis: str) -> Doc:
    """The comparison form of a record: its claims, or its abstract as the one 'claim'."""
    if basis == "abstract":
        return Doc(None, abstract, lang, claims=[clean_text(abstract)])
    return Doc(None, abstract, lang, claims=claims)


_COLS = ("patent_id", "claims_text", "abstract", "applicants", "agency", "inventors",
         "filing_date", "grant_date", "transfers", "transfer_date", "legal_status", "patent_type")


def _chunk_columns(chunk: pd.DataFrame) -> dict:
    if "patent_id" not in chunk.columns or not ({"claims_text", "abstract"} & set(chunk.columns)):
        raise InputError("screen: the records need a patent_id column and claims_text or "
                         "abstract (canonical columns, hvpscore.schema) / 记录需要 patent_id 与 "
                         "claims_text 或 abstract 列")
    n = len(chunk)
    return {c: (chunk[c].tolist() if c in chunk.columns else [None] * n) for c in _COLS}


def distinctive(s: np.ndarray, stop: np.ndarray, min_left: int = 5) -> np.ndarray:
    """A shingle set without the stop shingles (those in very many records of the stock: the
    drafting boilerplate and the field's stock phrases); the whole set when fewer than
    ``min_left`` shingles would remain. MinHash runs on these, so LSH buckets stay small."""
    if not len(stop) or not len(s):
        return s
    pos = np.searchsorted(stop, s)
    pos[pos == len(stop)] = 0
    left = s[stop[pos] != s]
    return left if len(left) >= min_left else s


def stop_shingles(sets: list[np.ndarray], max_df: float, min_docs: int) -> np.ndarray:
    """Sorted shingle hashes found in more than ``max(max_df * n, min_docs)`` of the sets."""
    if not sets:
        return np.empty(0, dtype=np.uint32)
    u, cnt = np.unique(np.concatenate(sets), return_counts=True)
    return u[cnt > max(max_df * len(sets), min_docs)].astype(np.uint32)


def _sets(col: dict, lang: str) -> list[np.ndarray]:
    out = []
    for i in range(len(col["patent_id"])):
        lg, claims, abstract, basis = _row_texts(col["claims_text"][i], col["abstract"][i],
                                                 lang, col["patent_type"][i])
        if basis != "none":
            out.append(make_doc(claims, abstract, lg, basis).set)
    return out


def _process(col: dict, lang: str, num_perm: int, seed: int, stop: np.ndarray):
    """One chunk -> (signatures, compressed texts, record rows); runs in a worker process."""
    n = len(col["patent_id"])
    sets, blobs, metas = [], [], []
    for i in range(n):
        lg, claims, abstract, basis = _row_texts(col["claims_text"][i], col["abstract"][i],
                                                 lang, col["patent_type"][i])
        sets.append(distinctive(make_doc(claims, abstract, lg, basis).set, stop)
                    if basis != "none" else np.empty(0, dtype=np.uint32))
        blobs.append(zlib.compress((_SEP_CLAIM.join(claims) + _SEP_ABS + abstract).encode(), 6))
        metas.append((str(col["patent_id"][i]), _as_list(col["applicants"][i]),
                      _text(col["agency"][i]) or None, _as_list(col["inventors"][i]),
                      col["filing_date"][i], col["grant_date"][i], col["transfers"][i],
                      col["transfer_date"][i], col["legal_status"][i], lg, basis, len(claims)))
    return signatures(sets, num_perm, seed), blobs, metas


def build_index(records: pd.DataFrame | Iterable[pd.DataFrame], directory: str | Path | None = None,
                *, lang: str = "auto", config_overrides: dict | None = None,
                workers: int = 1, progress=None) -> ScreenIndex:
    """Build the screening index of a stock (one DataFrame or an iterable of chunks).

    Each record contributes its claims (``claims_text``; the abstract when it has none; designs
    are left out): MinHash signature of the shingles of the normalised claims, LSH band keys,
    the cleaned texts and ``patent_id``, applicants, inventors, dates, transfers (and
    ``agency`` / ``transfer_date`` when the frame has them). ``directory`` given: the index is
    also written there. ``workers`` > 1: chunks are processed in that many processes.

    Raises
    ------
    InputError
        No ``patent_id`` / ``claims_text`` column, a bad ``lang``.
    """
    if lang not in ("auto", "zh", "en"):
        raise InputError(f"lang: {lang!r} is not one of auto, zh, en / 文本语言只能是 auto、zh、en")
    cfg = config(config_overrides)
    mh = cfg["minhash"]
    num_perm, seed = int(mh["num_perm"]), int(mh["seed"])
    bands, rows = lsh_params(float(mh["lsh_threshold"]), num_perm)
    permutations(num_perm, seed)
    t0 = time.perf_counter()
    chunks = iter([records] if isinstance(records, pd.DataFrame) else records)
    sig_parts, blob_parts, metas = [], [], []
    # stop shingles from the first chunk (a sample of the stock's drafting habits)
    first = next(chunks, None)
    if first is None:
        stop = np.empty(0, dtype=np.uint32)
        chunks = iter([])
    else:
        stop = stop_shingles(_sets(_chunk_columns(first), lang), float(mh["stop_df"]),
                             int(mh["stop_min_docs"]))
        import itertools

        chunks = itertools.chain([first], chunks)

    def take(res):
        sig_parts.append(res[0])
        blob_parts.extend(res[1])
        metas.extend(res[2])
        if progress:
            progress(len(metas), time.perf_counter() - t0)

    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as ex:
            pending = []
            for chunk in chunks:
                pending.append(ex.submit(_process, _chunk_columns(chunk), lang, num_perm, seed,
                                         stop))
                while len(pending) > workers:
                    take(pending.pop(0).result())
            for f in pending:
                take(f.result())
    else:
        for chunk in chunks:
            take(_process(_chunk_columns(chunk), lang, num_perm, seed, stop))
    n = len(metas)
    sig = (np.concatenate(sig_parts) if sig_parts else np.empty((0, num_perm), dtype=np.uint32))
    sig_parts.clear()
    rec = pd.DataFrame(metas, columns=list(_META_COLS))
    metas.clear()
    none = np.flatnonzero(rec["basis"].to_numpy() == "none")
    # one band at a time: the transient memory is one row of keys, not (bands, n) int64 orders
    keys_sorted = np.empty((bands, n), dtype=np.uint64)
    order = np.empty((bands, n), dtype=np.uint32)
    for b in range(bands):
        k = band_keys(sig[:, b * rows:(b + 1) * rows], 1, rows, first=b)[:, 0]
        if len(none):  # records not compared: keys no other record can share
            k[none] = (np.uint64(1) << np.uint64(63)) | (none.astype(np.uint64) * np.uint64(bands)
                                                       + np.uint64(b))
        o = np.argsort(k, kind="stable")
        keys_sorted[b] = k[o]
        order[b] = o
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in blob_parts], dtype=np.int64)))
    blob = blob_parts  # a list of zlib texts; written back to back by save()
    for c in ("filing_date", "grant_date", "transfer_date"):
        rec[c] = pd.to_datetime(rec[c], errors="coerce")
    rec["transfers"] = pd.to_numeric(rec["transfers"], errors="coerce").astype("Int64")
    params = {"num_perm": num_perm, "seed": seed, "bands": bands, "rows": rows,
              "lsh_threshold": float(mh["lsh_threshold"]), "max_bucket": int(mh["max_bucket"]),
              "lang": lang, "n": n, "build_seconds": round(time.perf_counter() - t0, 2)}
    params["stop_shingles"] = int(len(stop))
    idx = ScreenIndex(sig=sig, keys_sorted=keys_sorted, ids_sorted=order, blob=blob,
                      offsets=offsets, records=rec, params=params, cfg=cfg, stop=stop)
    if directory is not None:
        idx.save(directory)
    return idx


def load_index(directory: str | Path, *, config_overrides: dict | None = None,
               mmap: bool = False) -> ScreenIndex:
    """Load an index written by :func:`build_index` (``mmap=True``: arrays memory-mapped)."""
    d = Path(directory)
    meta_path = d / "index.json"
    if not meta_path.is_file():
        raise InputError(f"{d}: not a screening index (no index.json); build one with "
                         f"hvpscore screen INPUT --build-index {d} / 不是筛查索引目录")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != INDEX_FORMAT or int(meta.get("version", 0)) > INDEX_VERSION:
        raise InputError(f"{d}: index format {meta.get('format')} v{meta.get('version')} is not "
                         f"readable by this hvpscore (expects {INDEX_FORMAT} v{INDEX_VERSION}); "
                         f"rebuild it / 索引版本不兼容，请重建")
    mode = "r" if mmap else None
    rec = pd.read_parquet(d / "records.parquet")
    for c in ("applicants", "inventors"):
        rec[c] = rec[c].map(_as_list)
    blob = np.memmap(d / "texts.bin", dtype=np.uint8, mode="r") if (d / "texts.bin").stat().st_size \
        else np.empty(0, dtype=np.uint8)
    return ScreenIndex(sig=np.load(d / "signatures.npy", mmap_mode=mode),
                       keys_sorted=np.load(d / "band_keys.npy", mmap_mode=mode),
                       ids_sorted=np.load(d / "band_ids.npy", mmap_mode=mode),
                       blob=blob, offsets=np.load(d / "text_offsets.npy"),
                       records=rec, params=meta["params"], cfg=config(config_overrides),
                       stop=np.load(d / "stop_shingles.npy"))


def exact(idx: ScreenIndex, i: int, j: int) -> tuple[float, float, float]:
    """(claims Jaccard, claims containment, abstract Jaccard) of records i and j."""
    a, b = idx.doc(i), idx.doc(j)
    jac, con = jaccard_containment(a.set, b.set)
    ab = jaccard_containment(a.abstract_set, b.abstract_set)[0]
    return jac, con, ab
