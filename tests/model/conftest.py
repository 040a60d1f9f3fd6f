from __future__ import annotations

import pytest

from hvpscore.io import read_records


@pytest.fixture(scope="session")
def us_records(shared_dir):
    """A 9,000-row subsample of the real US 2005 renewal data, as canonical records."""
    recs = read_records(shared_dir / "data" / "uspto-renewal-2005" / "dev.csv",
                        profile="uspto-renewal").records
    return recs.sample(9000, random_state=0).sort_index()


@pytest.fixture(scope="session")
def us_model(us_records):
    from hvpscore.model import train_model

    return train_model(us_records, targets=("maintained_10y",), stage="grant", name="test-us",
                       as_of="2017-10-23", params={"learning_rate": 0.05, "n_estimators": 400,
                                                   "early_stopping_rounds": 50})


@pytest.fixture(scope="session")
def us_filing_model(us_records):
    from hvpscore.model import train_model

    return train_model(us_records, targets=("maintained_10y",), stage="filing",
                       name="test-us-filing", as_of="2017-10-23", baseline=False,
                       params={"learning_rate": 0.05, "n_estimators": 300,
                               "early_stopping_rounds": 50})
