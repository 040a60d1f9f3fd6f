"""Backtest of the forecast on real data: the USPTO 2005 grants (shared/data/uspto-renewal-2005).

From the 8-year status (the 7.5-year maintenance fee paid) predict how many patents pay the
11.5-year fee. The patents alive after 8 years are split by a hash of the patent number: 70 % to
fit a ``maintained_10y`` head with the public ``hvpscore.train_model`` (which itself splits them
into train / early-stopping / calibration parts), 30 % never seen by the fit, on which the
expected count (sum of the calibrated probabilities) and its Poisson-binomial interval are
compared with the actual number of 12-year fees paid.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

import hvpscore
from hvpscore.indicators import count_interval

pytestmark = pytest.mark.slow


def _bucket(ids, salt: str) -> np.ndarray:
    return np.array([int(hashlib.sha256(f"{salt}:{i}".encode()).hexdigest()[:8], 16) % 100
                     for i in ids])


@pytest.fixture(scope="module")
def backtest(shared_dir):
    recs = hvpscore.read_records(shared_dir / "data" / "uspto-renewal-2005" / "dev.csv",
                                 profile="uspto-renewal").records
    alive8 = recs[recs["outcome_maintained_8y"] == 1].reset_index(drop=True)
    part = _bucket(alive8["patent_id"], "hvpscore-backtest")
    fit, held = alive8[part >= 30].reset_index(drop=True), alive8[part < 30].reset_index(drop=True)
    model = hvpscore.train_model(fit, targets=("maintained_10y",), stage="grant",
                                 as_of="2017-10-23", baseline=False,
                                 params={"learning_rate": 0.05})
    scores = hvpscore.score_records(held, model=model, as_of="2013-12-31")
    return fit, held, scores["p_maintained_10y"].to_numpy(), \
        held["outcome_maintained_10y"].to_numpy(dtype=float)


def test_fit_and_backtest_parts_do_not_overlap(backtest):
    fit, held, _, _ = backtest
    assert not set(fit["patent_id"]) & set(held["patent_id"])
    assert len(held) > 10_000


def test_expected_count_against_actual(backtest):
    fit, held, p, y = backtest
    cf = count_interval(p, 0.9)
    naive = fit["outcome_maintained_10y"].mean() * len(held)
    figures = {"patents": len(held), "expected": round(cf.expected, 1), "interval_90": [cf.low,
               cf.high], "actual": int(y.sum()), "naive_base_rate": round(float(naive), 1)}
    print("\nbacktest", json.dumps(figures))
    assert cf.contains(y.sum())
    assert abs(cf.expected - y.sum()) / len(held) < 0.01


def test_groups_by_entity_size_and_by_score(backtest):
    """Sub-stocks, where a base rate fails: entity size, and the quartiles of the probability.

    Found on the first run (kept as a known limit, not tuned away on this held-out part): the
    entity-size groups land inside their 99 % intervals, but the platt-calibrated head spreads
    its probabilities a little too wide — the lowest quartile is under-predicted by ~5 % and the
    highest over-predicted by ~3 %, outside the Poisson-binomial interval, which covers only the
    chance in each patent's fate and not errors of the probabilities. The heads still beat the
    base rate by a factor of three or more there.
    """
    fit, held, p, y = backtest
    base = fit["outcome_maintained_10y"].mean()
    rows = []
    groups = {f"entity_{k}": (held["entity_size"] == k).to_numpy()
              for k in ("large", "small")}
    q = np.quantile(p, [0.25, 0.5, 0.75])
    for i, m in enumerate([p <= q[0], (p > q[0]) & (p <= q[1]), (p > q[1]) & (p <= q[2]),
                           p > q[2]]):
        groups[f"quartile_{i + 1}"] = m
    for name, m in groups.items():
        cf = count_interval(p[m], 0.99)
        rows.append({"group": name, "n": int(m.sum()), "expected": round(cf.expected, 1),
                     "interval_99": [cf.low, cf.high], "actual": int(y[m].sum()),
                     "base_rate": round(float(base * m.sum()), 1)})
    print("\ngroups", json.dumps(rows, ensure_ascii=False))
    by = {r["group"]: r for r in rows}
    for name in ("entity_large", "entity_small"):
        r = by[name]
        assert r["interval_99"][0] <= r["actual"] <= r["interval_99"][1], r
    for name in ("quartile_1", "quartile_4"):
        r = by[name]
        err, base_err = abs(r["expected"] - r["actual"]), abs(r["base_rate"] - r["actual"])
        assert err < base_err / 2, r
        assert err / r["actual"] < 0.06, r


def test_interval_coverage_over_hash_groups(backtest):
    """20 groups of ~750 held-out patents: the 90 % interval should hold the actual count in most
    (P(fewer than 14 of 20) < 0.3 % for a calibrated interval)."""
    _, held, p, y = backtest
    g = _bucket(held["patent_id"], "hvpscore-backtest-groups") % 20
    inside = sum(count_interval(p[g == k], 0.9).contains(y[g == k].sum()) for k in range(20))
    print(f"\ncoverage {inside}/20")
    assert inside >= 14
