"""scikit-learn's estimator checks on every feature transformer, with the documented exceptions.

``parametrize_with_checks`` (scikit-learn ≥ 1.6 API: ``expected_failed_checks`` maps a check's
name to the reason) runs the API checks (clone, get/set_params, repr, no work in ``__init__``,
unfitted errors, tags, sparse input refused with a message saying so) and the legacy checks.

The exceptions, all for one reason: the checks feed numeric NumPy arrays (or memmaps, lists, arrays
with NaN/inf, complex or object values) while a feature family reads *canonical records*, a
DataFrame with the schema's named columns (``filing_date``, ``ipc``, ``claims_text`` …); any other
input is refused with an :class:`~hvpscore.InputError` naming the fix. Each property those checks
test on arrays is tested below on canonical records instead (``test_*_on_records``), so an
exception never hides a broken property. ``xfail_strict``: a check on the list that starts
passing fails the run, so the list cannot go stale.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import estimator_checks_generator, parametrize_with_checks

from hvpscore._errors import InputError
from hvpscore.features._transformers import _FAMILY_CLASSES, FeatureFamily

datasets = pytest.importorskip("hvpscore.datasets")

_NEEDS_RECORDS = ("needs canonical records (a DataFrame with the schema's named columns); the "
                  "check passes a numeric array, refused with InputError; the property is tested "
                  "on records in tests/features/test_sklearn_checks.py")

#: check name -> why it cannot pass on a records transformer (same for every family)
EXPECTED_FAILED_CHECKS: dict[str, str] = {
    name: _NEEDS_RECORDS
    for name in (
        "check_complex_data",
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimators_dtypes",
        "check_estimators_empty_data_messages",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_positive_only_tag_during_fit",
        "check_readonly_memmap_input",
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
    )
}

AS_OF = "2025-12-31"


def _families(stage: str = "stock") -> list[FeatureFamily]:
    return [klass(stage=stage, as_of=AS_OF) for klass in _FAMILY_CLASSES.values()]


@parametrize_with_checks(_families(), expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
                         xfail_strict=True)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", _families(), ids=lambda t: type(t).__name__)
def test_each_listed_exception_fails_only_because_the_input_is_not_records(est):
    """An xfail only says the check failed; here each listed check must fail with the records
    refusal (our InputError somewhere in the exception chain), not with anything else."""
    seen = set()
    for e, check in estimator_checks_generator(est, legacy=True, mark=None):
        name = getattr(check, "func", check).__name__
        if name not in EXPECTED_FAILED_CHECKS:
            continue
        seen.add(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception) as info:
                check(e)
        exc, chain = info.value, []
        while exc is not None:
            chain.append(exc)
            exc = exc.__cause__ or exc.__context__
        assert any(isinstance(x, InputError) and "needs canonical records" in str(x)
                   for x in chain), (name, info.value)
    assert seen == set(EXPECTED_FAILED_CHECKS)  # every listed check still exists


def test_every_family_is_checked():
    assert {type(t) for t in _families()} == set(_FAMILY_CLASSES.values())
    assert all(t._candidates() for t in _families())  # each has features at stage stock


# ----- the same properties, on canonical records ---------------------------------------------

@pytest.fixture(scope="module")
def records():
    return datasets.make_patents(240, seed=21, as_of=AS_OF)


families = pytest.mark.parametrize("est", _families(), ids=lambda t: type(t).__name__)


def _state(t) -> dict:
    return {k: v for k, v in vars(t).items() if k.endswith("_")}


@families
def test_fit_returns_self_sets_only_fitted_attributes_and_keeps_params_on_records(est, records):
    t = clone(est)
    params = t.get_params()
    before = set(vars(t))
    X = records.copy()
    assert t.fit(X) is t
    assert t.get_params() == params  # check_estimators_overwrite_params
    added = set(vars(t)) - before
    assert added and all(a.endswith("_") for a in added)  # check_dont_overwrite_parameters
    pd.testing.assert_frame_equal(X, records)  # the input is not changed
    assert t.n_features_in_ == records.shape[1]  # check_n_features_in(_after_fitting)
    assert list(t.feature_names_in_) == list(records.columns)


@families
def test_unfitted_refused_and_transform_leaves_state_unchanged_on_records(est, records):
    t = clone(est)
    with pytest.raises(NotFittedError):  # check_fit_check_is_fitted
        t.transform(records)
    t.fit(records)
    snap = pickle.dumps(_state(t))
    params = t.get_params()
    t.transform(records, as_of="2020-01-01")
    assert pickle.dumps(_state(t)) == snap and t.get_params() == params  # check_dict_unchanged


@families
def test_fit_is_idempotent_and_order_invariant_on_records(est, records):
    a = clone(est).fit(records)
    out = a.transform(records)
    assert out.dtypes.eq("float64").all()  # check_transformer_preserve_dtypes: floats out
    assert list(out.columns) == list(a.get_feature_names_out())
    assert out.index.equals(records.index)
    pd.testing.assert_frame_equal(a.fit(records).transform(records), out)  # check_fit_idempotent
    perm = np.random.default_rng(0).permutation(len(records))
    b = clone(est).fit(records.iloc[perm])
    pd.testing.assert_frame_equal(b.transform(records), out)  # fit does not depend on order
    # check_methods_sample_order_invariance / check_methods_subset_invariance
    pd.testing.assert_frame_equal(a.transform(records.iloc[perm]), out.iloc[perm])
    parts = [a.transform(records.iloc[i:i + 37]) for i in range(0, len(records), 37)]
    pd.testing.assert_frame_equal(pd.concat(parts), out)


@families
def test_pickle_clone_and_json_state_give_the_same_features_on_records(est, records):
    t = clone(est).fit(records)
    out = t.transform(records)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(t)).transform(records), out)
    pd.testing.assert_frame_equal(FeatureFamily.from_state(t.get_state()).transform(records), out)


@families
def test_one_row_no_rows_and_missing_values_on_records(est, records):
    t = clone(est).fit(records)
    one = t.transform(records.iloc[:1])  # check_fit2d_1sample, at transform time
    assert one.shape == (1, len(t.features_))
    none = t.transform(records.iloc[:0])  # an empty chunk gives an empty frame
    assert none.shape == (0, len(t.features_))
    blank = records.iloc[:5].copy()
    for c in blank.columns:  # every value missing (check_estimators_nan_inf's counterpart)
        if c != "patent_id":
            blank[c] = None
    got = t.transform(blank)
    assert got.shape == (5, len(t.features_)) and not np.isinf(got.to_numpy()).any()
    assert clone(est).fit(records.iloc[:1]).transform(records).shape[0] == len(records)


@families
def test_arrays_are_refused_with_the_fix(est):
    with pytest.raises(InputError, match="needs canonical records as a pandas DataFrame"):
        clone(est).fit(np.zeros((4, 3)))
