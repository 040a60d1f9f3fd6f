"""Dates in the layout the profile tries first (``2021-05-03``) are read from the bytes of the
column; every value reads as the regular-expression path reads it."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from hvpscore.io._convert import _parse_dates_arrow, _parse_dates_general


def _values(seed: int, n: int = 4000) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        y, m, d = rng.randint(1890, 2110), rng.randint(0, 13), rng.randint(0, 32)
        sep = rng.choice("-/.-")
        kind = rng.random()
        if kind < 0.5:
            out.append(f"{y:04d}{sep}{m:02d}{sep}{d:02d}")
        elif kind < 0.6:
            out.append(f"{y:04d}{m:02d}{d:02d}")
        elif kind < 0.7:
            out.append(f"{y}{sep}{m}{sep}{d}")  # not zero-padded
        elif kind < 0.75:
            out.append(f" {y:04d}-{m:02d}-{d:02d}")  # a space before
        elif kind < 0.8:
            out.append(f"{y:04d}-{m:02d}-{d:02d} 00:00:00")
        elif kind < 0.85:
            out.append(f"{y:04d}年{m}月{d}日")
        elif kind < 0.9:
            out.append("２０２１－０５－０３")  # full-width: NFKC first
        elif kind < 0.95:
            out.append(None)
        else:
            s = list(f"{y:04d}-{m:02d}-{d:02d}")
            s[rng.randrange(10)] = rng.choice("x-/ 0a")
            out.append("".join(s))
    return out


@pytest.mark.parametrize("formats", [
    ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"),  # cn-export
    ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"),  # canonical
    ("%Y%m%d",),  # uspto-renewal
    ("%Y/%m/%d", "%Y-%m-%d"),
    ("%Y.%m.%d",),
])
@pytest.mark.parametrize("seed", [0, 1])
def test_fixed_layout_reads_as_the_regular_expressions(formats, seed):
    values = _values(seed)
    arr = pa.array(values, pa.string())
    for texts in (arr, arr.slice(7, 3000)):  # an offset into the buffers too
        want = _parse_dates_general(texts, formats, True)
        got = _parse_dates_arrow(texts, formats, True)
        np.testing.assert_array_equal(got, want)
    assert (want != np.iinfo(np.int64).min).sum() > 100  # many values are dates
