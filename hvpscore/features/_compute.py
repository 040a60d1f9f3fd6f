"""Vectorised feature kernels: canonical records (DataFrame) -> float arrays.

Each kernel reads only the columns named as ``sources`` of its feature in ``features.yaml``. Missing
values stay NaN (LightGBM treats them as missing). Columns absent from the frame count as unknown.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["KERNELS", "num", "list_len", "text_claim_frame", "filing_year", "cohort_codes",
           "cohort_keys",
           "issue_keys"]

_DAYS_PER_YEAR = 365.25


def num(X: pd.DataFrame, name: str) -> np.ndarray:
    """Column ``name`` as float64 with NaN for unknown (booleans become 0/1)."""
    if name not in X.columns:
        return np.full(len(X), np.nan)
    s = X[name]
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        s = pd.to_numeric(s, errors="coerce")
    if isinstance(s.dtype, pd.BooleanDtype) or s.dtype == bool:
        s = s.astype("Float64")
    return s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _dates(X: pd.DataFrame, name: str) -> pd.Series:
    if name not in X.columns:
        return pd.Series(pd.NaT, index=X.index, dtype="datetime64[ns]")
    s = X[name]
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        s = pd.to_datetime(s, errors="coerce")
    return s


def _years_between(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    d = (later - earlier).dt.days.astype("Float64")
    return (d / _DAYS_PER_YEAR).to_numpy(dtype=float, na_value=np.nan)


_SEQ = (list, tuple, np.ndarray)


def _cells(X: pd.DataFrame, name: str) -> list:
    """The cells of a list column as a Python list (lists, tuples, arrays or missing)."""
    if name not in X.columns:
        return [None] * len(X)
    return X[name].to_numpy(dtype=object).tolist()


def list_len(X: pd.DataFrame, name: str) -> np.ndarray:
    # lists (what the readers make) first: one type test a cell
    return np.array(
        [len(v) if type(v) is list or isinstance(v, _SEQ) else np.nan for v in _cells(X, name)],
        dtype=float,
    )


def _has_tag(X: pd.DataFrame, tag: str) -> np.ndarray:
    return np.array(
        [float(tag in v) if type(v) is list or isinstance(v, _SEQ) else np.nan
         for v in _cells(X, "enterprise_tags")],
        dtype=float,
    )


def _codes(X: pd.DataFrame, name: str, codes: tuple[str, ...]) -> np.ndarray:
    if name not in X.columns:
        return np.full(len(X), np.nan)
    lookup = {c: float(i) for i, c in enumerate(codes)}
    return np.array([lookup.get(v, np.nan) if isinstance(v, str) else np.nan for v in X[name]],
                    dtype=float)


def _memo(memo, name: str, X: pd.DataFrame, compute):
    """``compute(X)``, once per frame object for a call's ``memo`` (the :class:`FeatureMemo` of
    the transform or fit; None computes)."""
    if memo is None:
        return compute(X)
    return memo.derived(name, X, compute)


def _main_ipc(X: pd.DataFrame, memo=None) -> list[str | None]:
    return _memo(memo, "main_ipc", X, _main_ipc_of)


def _main_ipc_of(X: pd.DataFrame) -> list[str | None]:
    return [v[0].strip().upper()
            if (type(v) is list or isinstance(v, _SEQ)) and len(v) and isinstance(v[0], str)
            else None for v in _cells(X, "ipc")]


def _main_ipc_codes(X: pd.DataFrame, memo=None) -> tuple[np.ndarray, list]:
    """The main IPC codes factorized: (a code per row, -1 where unknown; the distinct codes).
    The kernels that read the main code compute once per distinct code (a stock has a few
    thousand in 50,000 rows), not once per row."""
    return _memo(memo, "main_ipc_codes", X, lambda X: _factorize(_main_ipc(X, memo)))


def _factorize(values: list) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(np.array(values, dtype=object))  # None -> -1
    return codes.astype(np.int64), list(uniques)


def _per_code(codes: np.ndarray, per_unique: list, fill=np.nan, dtype=float) -> np.ndarray:
    """Spread values computed per distinct value back to the rows (``fill`` where -1)."""
    table = np.array(list(per_unique) + [fill], dtype=dtype)
    return table[np.where(codes >= 0, codes, len(per_unique))]


def _section_of(c: str | None) -> float:
    return "ABCDEFGH".index(c[0]) if c and c[0] in "ABCDEFGH" else np.nan


def _ipc_section(X: pd.DataFrame, memo=None) -> np.ndarray:
    codes, uniq = _main_ipc_codes(X, memo)
    return _per_code(codes, [_section_of(c) for c in uniq])


def _has_class(c: str | None) -> bool:
    r"""``c`` opens with an IPC class: a section letter A-H, then two decimal digits (what
    ``^[A-H]\d\d`` matches; \d is Unicode category Nd, as ``str.isdecimal``)."""
    return bool(c) and c[0] in "ABCDEFGH" and len(c) >= 3 and c[1:3].isdecimal()


def _class_of(c: str | None) -> float:
    return "ABCDEFGH".index(c[0]) * 100 + int(c[1:3]) if _has_class(c) else np.nan


def _ipc_class(X: pd.DataFrame, memo=None) -> np.ndarray:
    codes, uniq = _main_ipc_codes(X, memo)
    return _per_code(codes, [_class_of(c) for c in uniq])


def _subclass_count(v) -> int:
    try:  # strings (the common case): no str() of each code
        codes = {c.strip().upper()[:4] for c in v}
    except AttributeError:
        codes = {str(c).strip().upper()[:4] for c in v}
    codes.discard("")  # blank codes are not counted
    return len(codes)


def _ipc_subclasses(X: pd.DataFrame) -> np.ndarray:
    return np.array(
        [_subclass_count(v) if type(v) is list or isinstance(v, _SEQ) else np.nan
         for v in _cells(X, "ipc")],
        dtype=float,
    )


def filing_year(X: pd.DataFrame) -> np.ndarray:
    d = _dates(X, "filing_date")
    return (d.dt.year + (d.dt.day_of_year - 1) / 366.0).astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)


def cohort_keys(X: pd.DataFrame, memo=None) -> tuple[np.ndarray, np.ndarray]:
    """(filing-year keys, filing-year x IPC-class keys) as strings ('' when unknown); once per
    frame for a call's ``memo``."""
    return _memo(memo, "cohort_keys", X, lambda X: _cohort_keys_of(X, memo))


def _cohort_keys_of(X: pd.DataFrame, memo=None) -> tuple[np.ndarray, np.ndarray]:
    years = _dates(X, "filing_date").dt.year
    known = years.notna().to_numpy()
    ykeys = np.full(len(X), "", dtype=object)
    ykeys[known] = years[known].astype(int).astype(str).to_numpy(dtype=object)
    # "year|class" per distinct (year, main IPC) pair, not per row
    codes, uniq = _main_ipc_codes(X, memo)
    ycodes, yuniq = pd.factorize(ykeys)
    classes = [c[:3] if _has_class(c) else None for c in uniq] + [None]
    pair = ycodes.astype(np.int64) * (len(uniq) + 1) + np.where(codes >= 0, codes, len(uniq))
    pairs, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    keys = []
    for k in first.tolist():
        y, c = ykeys[k], classes[int(pair[k] % (len(uniq) + 1))]
        keys.append(y + "|" + c if y and c is not None else "")
    ckeys = np.array(keys, dtype=object)[inverse.reshape(-1)]
    return ykeys, ckeys


def cohort_codes(X: pd.DataFrame, memo=None) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """The distinct (year key, cohort key) pairs of :func:`cohort_keys`: (the pair of each
    row, the pairs), once per frame for a call's ``memo`` (a cohort ratio looks its median up
    once per pair)."""
    return _memo(memo, "cohort_codes", X, lambda X: _cohort_codes_of(X, memo))


def _cohort_codes_of(X: pd.DataFrame, memo=None) -> tuple[np.ndarray, list[tuple[str, str]]]:
    ykeys, ckeys = cohort_keys(X, memo)
    if not len(ykeys):
        return np.zeros(0, dtype=np.int64), []
    yc, _ = pd.factorize(ykeys)
    cc, cu = pd.factorize(ckeys)
    pair = cc.astype(np.int64) * (int(yc.max()) + 1) + yc
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), [(ykeys[k], ckeys[k]) for k in first.tolist()]


_DIGITS = re.compile(r"^([A-Z]{2})[A-Z]*?(\d{5,})")


def issue_keys(X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(issue key = office + grant date, numeric part of the grant number) per row."""
    n = len(X)
    keys = np.full(n, "", dtype=object)
    nums = np.full(n, np.nan)
    if "patent_id" not in X.columns or not n:
        return keys, nums
    dates = _dates(X, "grant_date")
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # the local day, as Timestamp.date() gives it
    sel = np.flatnonzero(dates.notna().to_numpy())
    if not len(sel):
        return keys, nums
    # the grant day as YYYY-MM-DD for the dated rows at once (datetime64 -> str)
    days = dates.to_numpy()[sel].astype("datetime64[D]").astype(str).tolist()
    match = _DIGITS.match
    for i, pid, day in zip(sel.tolist(), X["patent_id"].to_numpy(dtype=object)[sel].tolist(),
                           days, strict=True):
        if isinstance(pid, str):
            m = match(pid.strip().upper())
            if m:
                keys[i] = m.group(1) + "|" + day
                nums[i] = float(m.group(2))
    return keys, nums


# ----- claims text ---------------------------------------------------------------------------

# our feature -> columns of hvpscore.claims.claim_features summed into it
_TEXT_MAP = {
    "text_claims": ("clm_n_claims",),
    "text_independent_claims": ("clm_n_independent",),
    "text_max_depth": ("clm_max_depth",),
    "text_first_claim_length": ("clm_first_indep_len",),
    "text_findings": ("clm_n_vague", "clm_n_bad_refs", "clm_n_numbering_errors",
                      "clm_n_multiple_on_multiple", "clm_n_not_alternative",
                      "clm_n_category_mismatch"),
}


def text_claim_frame(X: pd.DataFrame, cache=None) -> pd.DataFrame:
    """Claim features of the rows with ``claims_text`` (NaN elsewhere), via ``hvpscore.claims``
    (``cache``: a claims feature cache, see :class:`hvpscore.claims.ClaimFeatureCache`)."""
    out = pd.DataFrame(np.nan, index=X.index, columns=list(_TEXT_MAP))
    if "claims_text" not in X.columns:
        return out
    texts = X["claims_text"]
    has = texts.map(lambda t: isinstance(t, str) and bool(t.strip())).to_numpy(dtype=bool)
    if not has.any():
        return out
    from hvpscore.claims import claim_features  # the claims analysis (issue 3)

    cf = claim_features(pd.Series(list(texts[has]), dtype=object), cache=cache)
    for ours, theirs in _TEXT_MAP.items():
        out.loc[out.index[has], ours] = cf[list(theirs)].sum(axis=1, min_count=1).to_numpy(
            dtype=float)
    return out


def _text(col: str):
    def f(X, ctx):
        return ctx.text()[col].to_numpy(dtype=float)
    return f


def _filed_claims(X, ctx):
    v = num(X, "claims_count_filed")
    t = ctx.text()["text_claims"].to_numpy(dtype=float)
    return np.where(np.isnan(v), t, v)


def _filed_indep(X, ctx):
    v = num(X, "independent_claims_filed")
    t = ctx.text()["text_independent_claims"].to_numpy(dtype=float)
    return np.where(np.isnan(v), t, v)


def _sei(X, ctx):
    known = list_len(X, "ipc") > 0
    if not known.any():
        return np.full(len(X), np.nan)
    from hvpscore.rules._sei import assign_sei_records  # the criteria engine (issue 4)

    # title, abstract and claims joined by line breaks, only for the rows a keyword rule needs;
    # inside score_records the criteria's assignment of the same chunk is reused (sei_memo)
    res = assign_sei_records(X, ("title", "abstract", "claims_text"), text_sep="\n")
    vals = res["sei"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return np.where(known, vals, np.nan)


def _age(X, ctx):
    as_of = pd.Timestamp(ctx.as_of)
    filed = _dates(X, "filing_date")
    end = _dates(X, "lapse_date")
    end = end.where(end.notna() & (end < as_of), as_of)
    return _years_between(end, filed)


def _pledge_log(X, ctx):
    v = num(X, "pledge_amount_cny")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isnan(v), np.nan, np.log10(np.maximum(v, 0) + 1.0))


def _flag_not_null(col):
    def f(X, ctx):
        if col not in X.columns:
            return np.full(len(X), np.nan)
        s = X[col]
        return s.map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=float)
    return f


def _col(name):
    return lambda X, ctx: num(X, name)


def _diff(a, b):
    return lambda X, ctx: a(X, ctx) - b(X, ctx)


def _ratio(a, b):
    def f(X, ctx):
        x, y = a(X, ctx), b(X, ctx)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, x / y, np.nan)
    return f


def _codes_k(name, codes):
    return lambda X, ctx: _codes(X, name, codes)


_granted = _col("claims_count")
_granted_ind = _col("independent_claims")

# Raw kernels (cohort variants are derived from their base by the transformer).
KERNELS = {
    "text_claims": _text("text_claims"),
    "text_independent_claims": _text("text_independent_claims"),
    "text_max_depth": _text("text_max_depth"),
    "text_first_claim_length": _text("text_first_claim_length"),
    "text_findings": _text("text_findings"),
    "claims_filed": _filed_claims,
    "independent_claims_filed": _filed_indep,
    "dependent_claims_filed": _diff(_filed_claims, _filed_indep),
    "claims_granted": _granted,
    "independent_claims_granted": _granted_ind,
    "dependent_claims_granted": _diff(_granted, _granted_ind),
    "backward_citations": _col("backward_citations"),
    "pct_application": _col("pct_application"),
    "priority_claims": _col("priority_claims"),
    "divisional": _flag_not_null("divisional_of"),
    "continuity_parents": _col("continuity_parents"),
    "continuity_children": _col("continuity_children"),
    "family_size": lambda X, ctx: list_len(X, "family_members"),
    "family_countries": lambda X, ctx: list_len(X, "family_countries"),
    "overseas_granted": lambda X, ctx: list_len(X, "overseas_granted"),
    "office_actions": _col("office_actions"),
    "reexaminations": _col("reexaminations"),
    "appeals": _col("appeals"),
    "continued_examinations": _col("continued_examinations"),
    "extensions": _col("extensions"),
    "claims_granted_to_filed": _ratio(_granted, _filed_claims),
    "claims_dropped": _diff(_filed_claims, _granted),
    "independent_claims_dropped": _diff(_filed_indep, _granted_ind),
    "applicant_type": _codes_k("applicant_type", ("enterprise", "university", "research_institute",
                                                  "individual", "government", "other")),
    "n_applicants": lambda X, ctx: list_len(X, "applicants"),
    "n_inventors": lambda X, ctx: list_len(X, "inventors"),
    "enterprise_tag_count": lambda X, ctx: list_len(X, "enterprise_tags"),
    "tag_high_tech": lambda X, ctx: _has_tag(X, "high_tech"),
    "tag_specialized_sme": lambda X, ctx: _has_tag(X, "specialized_sme"),
    "tag_listed_key": lambda X, ctx: _has_tag(X, "listed_key"),
    "entity_size": _codes_k("entity_size", ("large", "small", "micro")),
    "fee_reduction": _col("fee_reduction"),
    "ipc_section": lambda X, ctx: _ipc_section(X, ctx.memo),
    "ipc_class": lambda X, ctx: _ipc_class(X, ctx.memo),
    "n_ipc": lambda X, ctx: list_len(X, "ipc"),
    "n_ipc_subclasses": lambda X, ctx: _ipc_subclasses(X),
    "sei": _sei,
    "issue_position": lambda X, ctx: ctx.issue_position(X),
    "filing_year": lambda X, ctx: filing_year(X),
    "priority_gap_years": lambda X, ctx: _years_between(_dates(X, "filing_date"),
                                                         _dates(X, "priority_date")),
    "grant_lag_years": lambda X, ctx: _years_between(_dates(X, "grant_date"),
                                                      _dates(X, "filing_date")),
    "age_years": _age,
    "forward_citations": _col("forward_citations"),
    "pledge_count": _col("pledge_count"),
    "pledge_amount_log10": _pledge_log,
    "transfers": _col("transfers"),
    "licenses": _col("licenses"),
    "n_awards": lambda X, ctx: list_len(X, "awards"),
}

# cohort-normalised feature -> the feature it normalises
COHORT_BASE = {
    "claims_filed_vs_cohort": "claims_filed",
    "claims_granted_vs_cohort": "claims_granted",
    "backward_citations_vs_cohort": "backward_citations",
    "forward_citations_vs_cohort": "forward_citations",
}
