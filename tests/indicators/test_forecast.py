"""The forecast: the Poisson-binomial interval, the life table, and the count on the hand stock."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import hvpscore
from hvpscore.indicators import (
    build_stock,
    count_distribution,
    count_interval,
    forecast_high_value,
    life_table,
)

_Y = 365.25


def test_distribution_equals_enumeration():
    p = np.array([0.1, 0.9, 0.5, 0.33, 0.0, 1.0, 0.72, 0.05])
    brute = np.zeros(len(p) + 1)
    for bits in itertools.product([0, 1], repeat=len(p)):
        b = np.array(bits)
        brute[b.sum()] += np.prod(np.where(b, p, 1 - p))
    np.testing.assert_allclose(count_distribution(p), brute, atol=1e-12)


def test_long_arrays_use_fft_and_stay_exact():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, 3000)
    pmf = count_distribution(p)
    k = np.arange(len(pmf))
    assert pmf.sum() == pytest.approx(1.0)
    assert (k * pmf).sum() == pytest.approx(p.sum(), rel=1e-9)
    assert ((k - p.sum()) ** 2 * pmf).sum() == pytest.approx((p * (1 - p)).sum(), rel=1e-6)


def test_interval_exact_and_normal():
    p = np.full(2000, 0.3)
    ex = count_interval(p, 0.9)
    nm = count_interval(p, 0.9, method="normal")
    assert ex.expected == pytest.approx(600)
    assert abs(ex.low - nm.low) <= 1 and abs(ex.high - nm.high) <= 1
    assert ex.contains(600) and not ex.contains(700)
    sure = count_interval([1, 1, 0, 1], 0.9)
    assert (sure.low, sure.high, sure.expected) == (3, 3, 3)
    with pytest.raises(hvpscore.InputError, match="level 1.5 must lie strictly between 0 and 1"):
        count_interval(p, 1.5)
    with pytest.raises(hvpscore.InputError, match="must lie in"):
        count_distribution([0.5, 1.2])


def test_life_table_by_hand():
    recs = pd.DataFrame({
        "patent_id": ["A", "B"], "patent_type": ["invention", "invention"],
        "filing_date": pd.to_datetime(["2010-01-01", "2010-01-01"]),
        "grant_date": pd.to_datetime(["2012-01-01", "2012-01-01"]),
        "legal_status": ["lapsed", "in_force"],
        "lapse_date": pd.to_datetime(["2014-07-01", None])})
    stock, ts, _ = build_stock(None, recs, as_of="2016-01-01")
    lt = life_table(stock, ts).set_index("age")
    entry = 730 / _Y
    a_exit, b_exit = 1642 / _Y, 2191 / _Y
    assert lt.loc[1, "exposure_years"] == pytest.approx(2 * (2 - entry))
    assert lt.loc[2, "exposure_years"] == pytest.approx(2)
    assert lt.loc[4, "exposure_years"] == pytest.approx((a_exit - 4) + 1)
    assert lt.loc[5, "exposure_years"] == pytest.approx(b_exit - 5)
    assert lt.loc[4, "lapses"] == 1 and lt["lapses"].sum() == 1
    assert lt.loc[4, "hazard"] == pytest.approx(1 / ((a_exit - 4) + 1))
    assert lt.loc[12, "hazard"] == 0.0                         # carried forward from age 5
    assert lt.loc[5, "survival"] == pytest.approx(np.exp(-lt.loc[4, "hazard"]))


def test_forecast_on_the_hand_stock(scores, records):
    table = pd.DataFrame({"age": np.arange(20), "hazard": np.full(20, 0.1)})
    fc = forecast_high_value(scores, records, at="2026-12-31", table=table, individual=False)
    d = 365 / _Y
    s = np.exp(-0.1 * d)
    a14 = 731 / _Y
    gain = 0.5 * d / 5 / (1 - 0.5 * a14 / 5)          # P14: overseas head 0.5, window 5 years
    row = fc.summary.iloc[0]
    assert row["current"] == 10
    assert row["term_expiries"] == 1                   # P3 reaches 20 years on 2026-03-01
    assert row["expected_lapses"] == pytest.approx(9 * (1 - s))
    assert row["gains_maintained"] == pytest.approx(s)       # P4: 9.5 + 1 > 10 years
    assert row["gains_heads"] == pytest.approx(s * gain)
    assert row["expected"] == pytest.approx(10 * s + s * gain)
    p = fc.patents.set_index("patent_id")["p_high_value_at"]
    assert p["P3"] == 0.0 and p["P4"] == pytest.approx(s)
    cf = count_interval(p.to_numpy(), 0.9)
    assert (row["low"], row["high"]) == (cf.low, cf.high)
    assert any("interval" in n["en"] for n in fc.notes)


def test_individual_curves_follow_the_head(scores, records):
    low = forecast_high_value(scores.assign(p_maintained_10y=0.2), records, at="2030-12-31")
    high = forecast_high_value(scores.assign(p_maintained_10y=0.9), records, at="2030-12-31")
    assert high.summary["expected"].iloc[0] > low.summary["expected"].iloc[0]


def test_a_conditional_maintenance_head_is_read_as_a_ratio(scores, records):
    """p from P(10 y | in force at 4 y) is S(10)/S(4), not S(10): the same p then means a steeper
    curve (r larger), so fewer survivors than read as an unconditional chance."""
    s = scores.assign(p_maintained_10y=0.6)
    # a constant lapse hazard (the hand stock has no lapse before age 7, where S0(4) = 1)
    lt = pd.DataFrame({"age": np.arange(20), "exposure_years": 100.0, "lapses": 5.0,
                       "hazard": 0.05})
    lt["survival"] = np.exp(-np.cumsum(lt["hazard"]))
    kw = {"at": "2030-12-31", "table": lt}
    plain = forecast_high_value(s.assign(maintained_head="maintained_10y"), records, **kw)
    cond = forecast_high_value(s.assign(maintained_head="maintained_10y_given_4y"), records,
                               **kw)
    same = forecast_high_value(s, records, **kw)
    assert plain.summary["expected"].iloc[0] == pytest.approx(same.summary["expected"].iloc[0])
    assert cond.summary["expected"].iloc[0] < plain.summary["expected"].iloc[0]
    # the curve passes through the head's chance: (S0(10)/S0(4))^r = p
    h = np.concatenate([[0.0], np.cumsum(lt["hazard"].to_numpy())])
    r_expected = np.log(0.6) / (-(h[10] - h[4]))
    pt = cond.patents
    alive = pt[(pt["survival"] > 0) & (pt["survival"] < 1)].iloc[0]
    a, b = alive["age_years"], alive["age_years"] + (pd.Timestamp("2030-12-31")
                                                     - pd.Timestamp("2025-12-31")).days / _Y

    def H(t):
        k = min(int(np.floor(t)), len(lt) - 1)
        return h[k] + lt["hazard"].to_numpy()[k] * (t - k)

    assert alive["survival"] == pytest.approx(np.exp(-r_expected * (H(b) - H(a))), rel=1e-6)


def test_several_dates_and_errors(scores, records):
    fc = forecast_high_value(scores, records, at=["2026-12-31", "2027-12-31"])
    assert list(fc.summary["date"]) == ["2026-12-31", "2027-12-31"]
    with pytest.raises(hvpscore.InputError, match="must be after as_of 2025-12-31"):
        forecast_high_value(scores, records, at="2025-06-30")
