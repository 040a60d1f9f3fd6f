"""The shares printed by ``hvpscore criteria`` on the shipped sample stock match the proportions
the generator intended (hvpscore.datasets.INTENDED), within sampling error. SEI and high-value are
compared with what the shipped CNIPA 2021 table counts on the generator's records
(``INTENDED["valid_invention_table2021"]``): the table ties many synthetic SEI codes to keywords."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from scipy.stats import binomtest

from hvpscore.cli import main
from hvpscore.datasets import INTENDED

KEYS = {"hv_sei": "sei", "hv_overseas": "overseas", "hv_maintained_10y": "maintained_10y",
        "hv_pledge": "pledge", "hv_award": "award", "is_high_value": "high_value"}


def test_sample_shares_match_the_generator(repo_dir, tmp_path):
    sample = repo_dir / "data" / "sample" / "patents.csv"
    if not sample.exists():
        pytest.skip("data/sample/patents.csv is not generated yet")
    pol = tmp_path / "generator-threshold.yaml"
    pol.write_text("extends: cnipa-2021\ncriteria:\n  pledge:\n    params:\n"
                   f"      min_amount_cny: {INTENDED['pledge_threshold_cny']:.0f}\n",
                   encoding="utf-8")
    res = CliRunner().invoke(main, ["criteria", str(sample), "--profile", "cn-export",
                                    "--as-of", INTENDED["as_of"], "--policy", str(pol),
                                    "-o", str(tmp_path / "flags.parquet"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    head = next(ln for ln in lines if ln.startswith("policy "))
    n_valid = int(head.split(" records, ")[1].split(" valid")[0])
    assert n_valid > 200
    seen = {}
    for ln in lines:
        parts = ln.split()
        if parts and parts[0] in KEYS:
            seen[KEYS[parts[0]]] = int(parts[1])  # flags only fire on valid inventions
    assert set(seen) == set(KEYS.values())
    for key, k in seen.items():
        want = INTENDED["valid_invention_table2021"].get(key, INTENDED["valid_invention"][key])
        p = binomtest(k, n_valid, want).pvalue
        assert p > 0.001, f"{key}: {k}/{n_valid} = {k / n_valid:.3f}, intended {want} (p={p:.2g})"
