"""Forecast of the high-value count at a future date, with an interval from a sum of Bernoullis.

The count at date T is modelled as a sum of independent Bernoulli variables, one per valid
invention patent of today: P_i = P(in force at T) × P(meets a criterion at T | in force at T).

* **In force at T.** A patent whose 20-year term ends before T drops out (certain). Otherwise its
  chance to keep paying annuities from its age today (a, years since filing) to its age at T (b) is
  read from a life table of the stock itself — annual lapse hazards by age, estimated from the
  granted invention patents (exposure-years after grant and lapses, i.e. a piecewise-constant
  hazard fitted with left truncation at grant; expiry at the end of term is censoring, not a
  lapse). With ``individual=True`` and a ``p_maintained_10y`` head, proportional hazards put each
  patent on its own curve: S_i(t) = S_0(t)^r_i with r_i = ln p_i / ln S_0(10), so the curve passes
  through the head's calibrated probability of lasting 10 years; the conditional chance is
  (S_0(b)/S_0(a))^r_i. When ``p_maintained_10y`` came from a conditional head (score-table column
  ``maintained_head`` = ``maintained_10y_given_<A>y``: P(lasting 10 years | in force at A)), the
  curve passes through it as a ratio instead: (S_0(10)/S_0(A))^r_i = p_i (the life table's age
  stands in for the head's age A).
* **Criterion at T.** A patent that is high-value today stays so while in force (SEI, overseas
  grants, pledges and awards do not go away in the statistic; maintenance only grows). A valid
  invention that is not high-value yet becomes so if it is older than the maintenance threshold at
  T, or gains an overseas grant / high pledge / award: for each head ``p_<k>`` of the score table
  (the calibrated chance the event happens within the head's maturity window of M years from
  filing) arrivals are taken as uniform over [0, M], so the chance of an arrival in (a, b] given
  none by a is p·(min(b,M) − a)/M / (1 − p·a/M) (none after M).
* **Interval.** The distribution of the sum (Poisson binomial) is computed exactly by convolving
  the Bernoulli distributions (pairwise, FFT for long arrays); ``method="normal"`` gives the normal
  approximation N(Σp, Σp(1−p)) instead. The interval reflects the chance in each patent's fate
  given the probabilities, not errors of the probabilities themselves nor common shocks (a fee
  change moves all patents together): read it as a lower bound of the uncertainty.

Not forecast: applications pending today that may be granted before T (no grant head); the result
reports how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np
import pandas as pd

from hvpscore._dates import parse_as_of
from hvpscore._errors import InputError
from hvpscore.indicators._messages import note
from hvpscore.indicators._stock import build_stock

__all__ = ["CountForecast", "Forecast", "count_distribution", "count_interval",
           "forecast_high_value", "life_table"]

_YEAR = 365.25
_GAIN_HEADS = {"p_overseas_family": "hv_overseas", "p_pledge": "hv_pledge", "p_award": "hv_award"}


def _fft_convolve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    n = a.size + b.size - 1
    nfft = 1 << (n - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(a, nfft) * np.fft.rfft(b, nfft), nfft)[:n]


def count_distribution(p) -> np.ndarray:
    """The probability mass function of a sum of independent Bernoulli(p_i) (Poisson binomial):
    ``pmf[k] = P(sum = k)``, by pairwise convolution (FFT for long arrays)."""
    p = np.asarray(p, dtype=float).ravel()
    if p.size and (np.isnan(p).any() or np.min(p) < 0 or np.max(p) > 1):
        raise InputError("probabilities must lie in [0, 1] (no NaN)")
    n = p.size
    sure = int((p >= 1.0).sum())
    p = p[(p > 0.0) & (p < 1.0)]
    if p.size == 0:
        out = np.zeros(n + 1)
        out[sure] = 1.0
        return out
    polys = [np.array([1.0 - x, x]) for x in p]
    while len(polys) > 1:
        nxt = []
        for i in range(0, len(polys) - 1, 2):
            a, b = polys[i], polys[i + 1]
            c = _fft_convolve(a, b) if min(a.size, b.size) > 64 else np.convolve(a, b)
            nxt.append(c)
        if len(polys) % 2:
            nxt.append(polys[-1])
        polys = nxt
    pmf = np.clip(polys[0], 0.0, None)
    pmf /= pmf.sum()
    out = np.zeros(n + 1)
    out[sure:sure + pmf.size] = pmf
    return out


@dataclass(frozen=True)
class CountForecast:
    """A forecast count: expected value, central interval at ``level``, standard deviation."""

    expected: float
    low: int
    high: int
    level: float
    sd: float
    method: str
    n: int

    def contains(self, actual: float) -> bool:
        """Whether ``actual`` lies in the interval."""
        return self.low <= actual <= self.high


def count_interval(p, level: float = 0.9, method: str = "exact") -> CountForecast:
    """Expected count and central ``level`` interval of a sum of independent Bernoulli(p_i).

    ``method``: ``exact`` (the Poisson-binomial distribution, :func:`count_distribution`; the
    interval runs from the (1−level)/2 to the (1+level)/2 quantile) or ``normal``
    (mean ± z·sd, rounded outwards).
    """
    if not 0 < level < 1:
        raise InputError(f"level {level!r} must lie strictly between 0 and 1, e.g. 0.9")
    p = np.asarray(p, dtype=float).ravel()
    mu = float(p.sum())
    sd = float(np.sqrt((p * (1 - p)).sum()))
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    if method == "exact":
        cdf = np.cumsum(count_distribution(p))
        lo = int(np.searchsorted(cdf, lo_q - 1e-12))
        hi = int(np.searchsorted(cdf, hi_q - 1e-12))
    elif method == "normal":
        z = NormalDist().inv_cdf(hi_q)
        lo, hi = int(np.floor(mu - z * sd)), int(np.ceil(mu + z * sd))
        lo = max(lo, int((p >= 1).sum()))
        hi = min(hi, int(p.size))
    else:
        raise InputError(f"method {method!r} is not one of exact, normal")
    return CountForecast(mu, lo, hi, level, sd, method, int(p.size))


def life_table(stock: pd.DataFrame, as_of, *, term_years: int = 20) -> pd.DataFrame:
    """Annual lapse hazards by age since filing, from the granted invention patents of a stock.

    Exposure runs from grant (or filing + age 0) to lapse, to the end of term or to ``as_of``;
    a lapse (status lapsed/invalidated with a lapse date on or before ``as_of``) is an event.
    Ages without exposure take the hazard of the nearest age before them (0 before the first).
    Columns: age, exposure_years, lapses, hazard, survival (S_0 at the end of the year of age).
    """
    ts = parse_as_of(as_of)
    inv = stock[stock["patent_type"].eq("invention").fillna(False).to_numpy(dtype=bool)]
    f = pd.to_datetime(inv["filing_date"])
    g = pd.to_datetime(inv["grant_date"])
    lapse = pd.to_datetime(inv["lapse_date"])
    status = inv["legal_status"].astype(object)
    ok = f.notna() & g.notna() & (g <= ts)
    dead = status.isin(["lapsed", "invalidated"]).to_numpy() & lapse.notna().to_numpy() & (
        lapse <= ts).to_numpy()
    unknown_exit = status.isin(["lapsed", "invalidated"]).to_numpy() & ~dead
    ok = ok.to_numpy() & ~unknown_exit
    entry = ((g - f).dt.days / _YEAR).to_numpy()
    end_alive = np.minimum(((ts - f).dt.days / _YEAR).to_numpy(), term_years)
    exit_ = np.where(dead, ((lapse - f).dt.days / _YEAR).to_numpy(), end_alive)
    entry, exit_, event = entry[ok], exit_[ok], dead[ok]
    keep = exit_ > entry
    entry, exit_, event = np.maximum(entry[keep], 0), exit_[keep], event[keep]
    ages = np.arange(term_years)
    expo = np.array([np.clip(np.minimum(exit_, k + 1) - np.maximum(entry, k), 0, None).sum()
                     for k in ages])
    # a lapse at an exact anniversary belongs to the year that ends there
    ev_age = np.clip(np.ceil(exit_[event] - 1e-9) - 1, 0, term_years - 1).astype(int)
    lapses = np.bincount(ev_age, minlength=term_years)[:term_years].astype(float)
    hazard = np.full(term_years, np.nan)
    pos = expo > 0
    hazard[pos] = lapses[pos] / expo[pos]
    last = 0.0
    for k in ages:
        if np.isnan(hazard[k]):
            hazard[k] = last
        last = hazard[k]
    surv = np.exp(-np.cumsum(hazard))
    return pd.DataFrame({"age": ages, "exposure_years": expo, "lapses": lapses,
                         "hazard": hazard, "survival": surv})


def _cum_hazard(table: pd.DataFrame, t: np.ndarray) -> np.ndarray:
    h = table["hazard"].to_numpy()
    edges = np.concatenate([[0.0], np.cumsum(h)])
    t = np.clip(t, 0, len(h))
    k = np.floor(t).astype(int)
    k = np.minimum(k, len(h) - 1)
    return edges[k] + h[k] * (t - k)


@dataclass
class Forecast:
    """Result of :func:`forecast_high_value`: one row per date in ``summary`` (expected count,
    interval, today's count, term expiries, expected lapses, expected gains), ``patents`` (the
    probability of each of today's valid inventions being high-value at the last date),
    ``life_table`` and ``notes``."""

    as_of: pd.Timestamp
    summary: pd.DataFrame
    patents: pd.DataFrame
    life_table: pd.DataFrame
    notes: list[dict] = field(default_factory=list)


def _gain_window(p, a, b, m):
    """Chance of an arrival in (a, b] given none by a, uniform arrivals over [0, m]."""
    a_ = np.minimum(a, m)
    b_ = np.minimum(np.maximum(b, a), m)
    denom = 1 - p * a_ / m
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(denom > 0, p * (b_ - a_) / m / denom, 0.0)
    return np.clip(np.nan_to_num(g), 0, 1)


def forecast_high_value(scores, records, *, at, as_of=None, level: float = 0.9,
                        individual: bool = True, method: str = "exact", policy=None,
                        table: pd.DataFrame | None = None, region=None) -> Forecast:
    """Forecast how many patents will be high-value at ``at`` (a date or a list of dates).

    ``scores`` / ``records``: as for :func:`compute_indicators` (the score table carries the heads'
    probabilities ``p_maintained_10y``, ``p_overseas_family``, … used here). ``individual``: put
    each patent on its own survival curve through its ``p_maintained_10y`` (else the stock's
    curve for all). ``table``: a life table to use instead of the one estimated from the records
    (columns age, hazard). ``region``: count only owners of that region. The method is in the
    module docstring; the interval is central at ``level``.
    """
    from hvpscore.indicators._stock import region_matches
    from hvpscore.model import target_info
    from hvpscore.rules import load_policy

    stock, ts, notes = build_stock(scores, records, as_of=as_of, policy=policy)
    pol = load_policy(policy)
    term = int(pol.in_force("term_years"))
    years_min = float(pol.param("maintained_10y", "years"))
    dates = [parse_as_of(d) for d in (at if isinstance(at, (list, tuple)) else [at])]
    if any(d <= ts for d in dates):
        raise InputError(f"at: every forecast date must be after as_of {ts.date()}")
    lt = life_table(stock, ts, term_years=term) if table is None else table
    if region is not None:
        stock = stock[stock["region"].map(lambda r: region_matches(r, region))]
    valid = stock[stock["valid_invention"]].copy()
    f = pd.to_datetime(valid["filing_date"])
    if f.isna().any():
        notes.append(note("forecast_no_filing_date", n=int(f.isna().sum())))
    age = ((ts - f).dt.days / _YEAR).to_numpy()
    maint = valid["maintained_years"].to_numpy(dtype=float)
    maint = np.where(np.isnan(maint), age, maint)
    hv_now = valid["is_high_value"].to_numpy(dtype=bool)
    s0_10 = float(np.exp(-_cum_hazard(lt, np.array([years_min]))[0]))
    use_ind = individual and "p_maintained_10y" in valid.columns and 0 < s0_10 < 1
    if use_ind:
        p10 = np.clip(valid["p_maintained_10y"].to_numpy(dtype=float), 1e-6, 1 - 1e-6)
        log_s = np.full(len(valid), np.log(s0_10))
        if "maintained_head" in valid.columns:
            head_age = (valid["maintained_head"].astype(str)
                        .str.extract(r"_given_(\d+)y$")[0].astype(float).to_numpy())
            cond = ~np.isnan(head_age) & (head_age < years_min)
            if cond.any():
                h_a = _cum_hazard(lt, np.where(cond, head_age, 0.0))
                log_s = np.where(cond, np.log(s0_10) + h_a, log_s)  # ln S0(10) − ln S0(A)
        log_s = np.minimum(log_s, -1e-9)
        r = np.clip(np.log(p10) / log_s, 0.05, 20.0)
        r = np.where(np.isnan(r), 1.0, r)
    else:
        r = np.ones(len(valid))
        if individual:
            notes.append(note("forecast_no_head"))
    pending = stock[stock["patent_type"].eq("invention").fillna(False).to_numpy(dtype=bool)
                    & stock["legal_status"].eq("pending").fillna(False).to_numpy(dtype=bool)]
    if len(pending):
        notes.append(note("forecast_pending", n=len(pending)))
    rows = []
    p_last = None
    for d in dates:
        dt = (d - ts).days / _YEAR
        b = age + dt
        expires = np.nan_to_num(b, nan=0.0) >= term
        lam = _cum_hazard(lt, np.nan_to_num(b)) - _cum_hazard(lt, np.nan_to_num(age))
        surv = np.where(expires, 0.0, np.exp(-r * lam))
        surv = np.where(np.isnan(age), 1.0, surv)
        crosses = (maint + dt > years_min) & ~hv_now
        gain_none = np.ones(len(valid))
        for col, flag in _GAIN_HEADS.items():
            if col in valid.columns:
                m = float(target_info(col[2:])["maturity_years"])
                pk = np.nan_to_num(valid[col].to_numpy(dtype=float))
                pk = np.where(valid[flag].to_numpy(dtype=bool), 0.0, pk)
                gain_none *= 1 - _gain_window(pk, np.nan_to_num(age), np.nan_to_num(b), m)
        q = np.where(hv_now | crosses, 1.0, 1 - gain_none)
        p = surv * q
        cf = count_interval(p, level=level, method=method)
        rows.append({
            "date": d.date().isoformat(), "current": int(hv_now.sum()),
            "expected": cf.expected, "low": cf.low, "high": cf.high, "level": level,
            "sd": cf.sd, "method": cf.method,
            "term_expiries": int((hv_now & expires).sum()),
            "expected_lapses": float(((1 - surv) * hv_now * ~expires).sum()),
            "gains_maintained": float((surv * crosses).sum()),
            "gains_heads": float((surv * (~hv_now & ~crosses) * q).sum()),
        })
        p_last = (p, surv, q)
    p, surv, q = p_last
    patents = pd.DataFrame({"patent_id": valid["patent_id"].to_numpy(), "high_value_now": hv_now,
                            "age_years": age, "survival": surv, "criterion_chance": q,
                            "p_high_value_at": p})
    notes.append(note("forecast_interval"))
    return Forecast(as_of=ts, summary=pd.DataFrame(rows), patents=patents, life_table=lt,
                    notes=notes)
