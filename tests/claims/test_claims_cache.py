"""The content-hash cache of claim features: hits, misses, identical values, invalidation."""

from __future__ import annotations

import doctest
import pickle
import sqlite3

import pandas as pd
import pytest

import hvpscore.claims._cache as cache_mod
from hvpscore._errors import InputError
from hvpscore.claims import ClaimFeatureCache, claim_features, feature_version

datasets = pytest.importorskip("hvpscore.datasets")


@pytest.fixture(scope="module")
def texts():
    zh = datasets.make_claims_texts(120, seed=31, lang="zh")["claims_text"].tolist()
    en = datasets.make_claims_texts(40, seed=32, lang="en")["claims_text"].tolist()
    return pd.Series(zh + en + [None, "", "  "], index=range(100, 100 + len(zh) + len(en) + 3),
                     dtype=object)


def test_hits_misses_and_identical_values(tmp_path, texts):
    plain = claim_features(texts)
    path = tmp_path / "c.sqlite"
    c1 = ClaimFeatureCache(path)
    first = claim_features(texts, cache=c1)
    pd.testing.assert_frame_equal(first, plain)
    assert c1.hits == 0 and c1.misses == 160 and len(c1) == 160  # empty texts are not stored
    c1.close()
    # a new run on the same stock with one changed and one new text: two misses
    changed = texts.copy()
    changed.iloc[0] = changed.iloc[0].replace("。", "。\n", 1) + "X"
    changed = pd.concat([changed, pd.Series([texts.iloc[5] + "\n21. 根据权利要求1所述的装置。"],
                                            index=[999])])
    c2 = ClaimFeatureCache(str(path))
    again = claim_features(changed, cache=c2)
    pd.testing.assert_frame_equal(again, claim_features(changed))
    assert (c2.misses, c2.hits) == (2, 159)
    assert len(c2) == 162


def test_keyed_by_the_text_as_read_with_the_values_of_the_normalised_text(tmp_path):
    """A hit costs no normalisation: the key is the text as read. Full-width and half-width
    forms of a text are two entries with the same values (those of the normalised text)."""
    from hvpscore.claims._text import normalise

    a = "1.一种杯子，包括杯体(陶瓷)。\n2.根据权利要求1所述的杯子，其中杯体为白色。"
    b = a.replace("1", "１").replace("(", "（").replace(")", "）")
    assert normalise(b) == a != b
    c = ClaimFeatureCache(tmp_path / "c.sqlite")
    first = claim_features([b], cache=c)
    assert (c.hits, c.misses) == (0, 1)
    again = claim_features([b, a], cache=c)
    assert (c.hits, c.misses) == (1, 2) and len(c) == 2
    want = claim_features([a]).iloc[0]
    assert first.iloc[0].equals(want) and again.iloc[0].equals(want) and again.iloc[1].equals(want)


def test_version_change_empties_the_cache(tmp_path, texts, monkeypatch):
    path = tmp_path / "c.sqlite"
    c = ClaimFeatureCache(path)
    claim_features(texts.iloc[:10], cache=c)
    c.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT v FROM meta").fetchone()[0] == feature_version()
    monkeypatch.setattr(cache_mod, "CLAIM_FEATURES_VERSION", "999")
    cache_mod.feature_version.cache_clear()
    try:
        c2 = ClaimFeatureCache(path)
        assert len(c2) == 0
        claim_features(texts.iloc[:10], cache=c2)
        assert c2.misses == 10 and c2.hits == 0
    finally:
        cache_mod.feature_version.cache_clear()


def test_cache_is_used_only_where_passed_and_pickles(tmp_path, texts):
    c = ClaimFeatureCache(tmp_path / "c.sqlite")
    claim_features(texts.iloc[:5], cache=c)
    claim_features(texts.iloc[:5], cache=c)
    claim_features(texts.iloc[:5])  # no cache given: none used (no hidden active cache)
    assert (c.misses, c.hits) == (5, 5)
    assert not hasattr(c, "activate")
    c2 = pickle.loads(pickle.dumps(c))  # a worker process reopens the file
    claim_features(texts.iloc[:5], cache=c2)
    assert c2.hits == 5


def test_cache_passed_down_through_the_feature_transform(tmp_path, texts):
    """HvpModel.transform(..., claims_cache=) reaches the claims analysis of every family that
    reads it, with the same features as without a cache."""
    from hvpscore.features import fit_features, make_features
    from hvpscore.model import HvpModel

    recs = datasets.make_patents(60, seed=33)
    recs["claims_text"] = texts.iloc[:60].to_numpy()
    model = HvpModel(fit_features(make_features("grant"), recs), {}, {"stage": "grant"})
    c = ClaimFeatureCache(tmp_path / "c.sqlite")
    plain = model.transform(recs)
    first = model.transform(recs, claims_cache=c)
    assert (c.hits, c.misses) == (0, 60)  # parsed once for the claims and prosecution families
    second = model.transform(recs, claims_cache=c)
    assert (c.hits, c.misses) == (60, 60)
    pd.testing.assert_frame_equal(first, plain)
    pd.testing.assert_frame_equal(second, plain)


def test_bad_cache_files(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        claim_features(["1.一种杯子，包括杯体。"], cache=tmp_path)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="not a readable SQLite cache"):
        claim_features(["1.一种杯子，包括杯体。"], cache=bad)


def test_docstring_example():
    assert doctest.testmod(cache_mod).failed == 0


def test_a_worker_keeps_one_connection_per_cache_file(tmp_path, texts):
    """Each task sent to a worker carries its own unpickled copy of the cache; the worker keeps
    the first copy of a file (one SQLite connection, a warm page cache) for its later tasks,
    and opens the file again once it has been replaced. The parent's own cache is used as is."""
    from hvpscore.claims._cache import in_worker

    path = tmp_path / "c.sqlite"
    own = ClaimFeatureCache(path)
    claim_features(texts.iloc[:5], cache=own)
    assert in_worker(own) is own and in_worker(None) is None
    a, b = (pickle.loads(pickle.dumps(own)) for _ in range(2))
    first = in_worker(a)
    assert first is a and in_worker(b) is a  # the second task reuses the first connection
    claim_features(texts.iloc[:5], cache=first)
    assert first.hits == 5
    first.close()
    path.unlink()
    ClaimFeatureCache(path)._connect()  # a new file under the same name
    c = pickle.loads(pickle.dumps(own))
    assert in_worker(c) is c  # another inode: not the old connection
