"""The shipped sample scored once, its report built once and written as HTML and xlsx."""

from __future__ import annotations

import pytest

import hvpscore
from hvpscore.report import build_report, write_report


@pytest.fixture(scope="session")
def sample(repo_dir):
    recs = hvpscore.read_records(repo_dir / "data" / "sample" / "patents.csv",
                                 profile="cn-export").records
    scores = hvpscore.score_records(recs, as_of="2025-12-31")
    return recs, scores


@pytest.fixture(scope="session")
def sample_report(sample, repo_dir):
    recs, scores = sample
    return build_report(scores, recs, repo_dir / "data" / "sample" / "context.yaml",
                        compare_to="2024-12-31", synthetic=True)


@pytest.fixture(scope="session")
def report_files(sample_report, tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    out = {}
    for lang in ("zh", "en"):
        out[("html", lang)] = write_report(sample_report, d / f"report-{lang}.html", lang=lang)
        out[("xlsx", lang)] = write_report(sample_report, d / f"report-{lang}.xlsx", lang=lang)
    return out
