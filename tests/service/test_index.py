"""``hvpscore serve --index DIR``: a real server compares each draft with a stock index (the
screening index of ``hvpscore screen --build-index``), loaded once at start-up."""

from __future__ import annotations

import pytest

from tests.service.conftest import Server  # noqa: F401  (fixture module; import for the class)

httpx = pytest.importorskip("httpx")
pytest.importorskip("datasketch")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    from hvpscore.datasets import make_patents
    from hvpscore.screening import build_index

    d = tmp_path_factory.mktemp("indexed")
    stock = make_patents(300, seed=11, as_of="2025-12-31")
    stock = stock[stock["claims_text"].notna() & (stock["patent_type"] == "invention")]
    build_index(stock, d / "idx")
    srv = Server(d / "server.log", ["--index", str(d / "idx")])
    try:
        yield srv.wait(), stock.reset_index(drop=True)
    finally:
        srv.stop()


def test_check_against_the_index_over_http(indexed):
    srv, stock = indexed
    v = httpx.get(srv.url + "/version").json()
    assert v["index_records"] == len(stock)
    rec = stock.iloc[7]
    r = httpx.post(srv.url + "/check", json={"title": rec["title"],
                                             "claims_text": rec["claims_text"]}, timeout=60)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["schema_version"] == "1.1"
    ids = [m["patent_id"] for m in d["near_copies"]["matches"]]
    assert rec["patent_id"] in ids
    assert any(f["code"] == "near_copy" for f in d["findings"])


def test_server_without_index_has_no_comparison(server):
    r = httpx.post(server.url + "/check", json={"claims_text": "1. 一种杯子，包括杯体和杯盖。"},
                   timeout=60)
    assert r.status_code == 200 and r.json()["near_copies"] is None
    assert httpx.get(server.url + "/version").json()["index_records"] is None


def test_a_directory_that_is_not_an_index_fails_at_start(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "hvpscore", "serve", "--port", "0", "--index",
                        str(tmp_path), "--lang", "en"], capture_output=True, text=True, timeout=240)
    assert r.returncode == 1, r.stderr
    assert "not a screening index" in r.stderr and "Traceback" not in r.stderr
