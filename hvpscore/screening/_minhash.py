"""MinHash signatures in batches (numpy) and banded LSH tables as sorted arrays.

The permutations are datasketch's (``datasketch.MinHash(num_perm, seed).permutations``, the
default ``affine32`` scheme of datasketch 2) and the arithmetic is datasketch's ``update_batch``
(MurmurHash3 32-bit finaliser, then ``a*h + b`` mod 2^32, minimum), so a signature here equals
``datasketch.MinHash(num_perm, seed, hashfunc=int).hashvalues`` of the same shingle hashes
(tested). Computing them for a whole batch at once avoids one Python object per record, which is
what makes a million-record index fit in minutes and a few hundred MB. Bands and rows come from
datasketch's own optimiser of the LSH false-positive / false-negative areas.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from hvpscore._errors import InputError

__all__ = ["band_keys", "lsh_params", "fmix32", "permutations", "signatures"]

_EMPTY = np.uint32(0xFFFFFFFF)


def _datasketch():
    try:
        import datasketch
    except ImportError:  # pragma: no cover - the screen extra is missing
        raise InputError("近似重复筛查需要 datasketch：pip install 'hvpscore[screen]' / "
                         "screening needs datasketch: pip install 'hvpscore[screen]'") from None
    return datasketch


@cache
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutation parameters (a, b) as uint64 arrays."""
    m = _datasketch().MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
    a, b = m.permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (the avalanche datasketch applies before permuting)."""
    h = h.astype(np.uint32, copy=True)
    with np.errstate(over="ignore"):
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h


@cache
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising datasketch's weighted false-positive + false-negative areas."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def signatures(sets: list[np.ndarray], num_perm: int, seed: int,
               max_cells: int = 4_000_000) -> np.ndarray:
    """MinHash signatures (n, num_perm) uint32 of shingle-hash arrays, in vectorised batches of
    at most ``max_cells`` (perm x shingle) cells. An empty set gets the all-max signature."""
    a, b = permutations(num_perm, seed)
    n = len(sets)
    out = np.full((n, num_perm), _EMPTY, dtype=np.uint32)
    per = max(1, max_cells // num_perm)
    i = 0
    while i < n:
        j, total = i, 0
        while j < n and (total == 0 or total + len(sets[j]) <= per):
            total += len(sets[j])
            j += 1
        idx = [k for k in range(i, j) if len(sets[k])]
        if idx:
            hv = fmix32(np.concatenate([sets[k] for k in idx]))
            lens = np.fromiter((len(sets[k]) for k in idx), dtype=np.int64, count=len(idx))
            starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
            with np.errstate(over="ignore"):
                phv = np.multiply.outer(a, hv)
                phv += b[:, None]
            out[idx] = np.minimum.reduceat(phv, starts, axis=1).T
        i = j
    return out


def band_keys(sig: np.ndarray, bands: int, rows: int, first: int = 0) -> np.ndarray:
    """(n, bands) uint64 keys: band i hashes signature values [i*rows, (i+1)*rows) with the
    seed of band ``first + i`` (``first``: ``sig`` holds the columns from band ``first`` on)."""
    n = sig.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    mul = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for i in range(bands):
            h = np.full(n, np.uint64(0xCBF29CE484222325 ^ (first + i)), dtype=np.uint64)
            for v in sig[:, i * rows:(i + 1) * rows].T:
                h = (h ^ v.astype(np.uint64)) * mul
                h ^= h >> np.uint64(31)
            keys[:, i] = h
    return keys
