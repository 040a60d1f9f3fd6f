"""The malformed-file corpus (tests/io/io_corpus.py): every file is read to the end or refused with
one clear line; read = accepted + rejected; nothing lost; the messages say what to fix."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from io_corpus import CASES, Case, app_no

from hvpscore import InputError
from hvpscore.cli import main
from hvpscore.io import PROBLEM_CODES, read_records

IDS = [c.name for c in CASES]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("corpus")


def _path(case: Case, d):
    return case.write(d)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_library_reads_or_refuses_clearly(case: Case, corpus_dir):
    path = _path(case, corpus_dir)
    profile = str(corpus_dir / case.profile) if case.profile.endswith(".yaml") else case.profile
    if case.error:
        with pytest.raises(InputError, match=case.error) as err:
            read_records(path, profile, encoding=case.encoding)
        assert "\n" not in str(err.value), "a file-level error is one line"
        return
    r = read_records(path, profile, encoding=case.encoding)
    s = r.summary
    assert s.read == s.accepted + s.rejected
    assert (s.read, s.accepted, s.rejected) == (case.read, case.accepted, case.rejected), (
        r.rejects.to_dict("records"))
    assert len(r.records) == s.accepted and len(r.rejects) == s.rejected
    rows = sorted(r.records.index.tolist() + r.rejects["row"].tolist())
    assert rows == list(range(1, s.read + 1)), "every row number once"
    codes = {c for cell in r.rejects.get("codes", pd.Series(dtype=object)) for c in
             str(cell).split(";") if c}
    assert codes == case.codes
    assert codes <= set(PROBLEM_CODES)
    reasons = " | ".join(r.rejects["reasons"]) if len(r.rejects) else ""
    for snippet in case.reasons:
        assert snippet in reasons, reasons
    for note in case.notes:
        assert any(note in n for n in s.notes), s.notes


@pytest.mark.parametrize("case", [c for c in CASES if c.kind in ("csv", "encoding", "jsonl",
                                                                   "excel")], ids=lambda c: c.name)
def test_cli_one_line_no_traceback(case: Case, corpus_dir, tmp_path):
    path = _path(case, corpus_dir)
    args = ["validate", str(path), "-p", case.profile, "--lang", "en",
            "--rejects", str(tmp_path / "r.csv")]
    if case.encoding:
        args += ["--encoding", case.encoding]
    res = CliRunner().invoke(main, args)
    assert "Traceback" not in res.output
    if case.error:
        assert res.exit_code == 1, res.output
        assert re.search(case.error, res.output), res.output
        assert len([x for x in res.output.splitlines() if x.startswith("error:")]) == 1
    else:
        assert res.exit_code == 0, res.output
        assert f"read {case.read} rows, accepted {case.accepted}, rejected {case.rejected}" in \
            res.output
        if case.rejected:
            rej = pd.read_csv(tmp_path / "r.csv")
            assert list(rej.columns[-2:]) == ["codes", "reasons"]
            assert len(rej) == case.rejected


def test_rejects_keep_line_and_raw_text(corpus_dir):
    case = next(c for c in CASES if c.name == "unterminated quote, rows after it")
    r = read_records(_path(case, corpus_dir))
    rej = r.rejects.iloc[0]
    assert rej["row"] == 4 and rej["line"] == 5  # the header is line 1
    assert rej["raw_line"].startswith(app_no(90) + ",") and '"一种电池' in rej["raw_line"]
    assert rej["codes"] == "malformed_line"


def test_problem_code_table_is_complete(repo_dir):
    table = yaml.safe_load((repo_dir / "hvpscore/io/data/problems.yaml").read_text("utf-8"))
    assert set(table) == set(PROBLEM_CODES)
    for code, entry in table.items():
        assert {"level", "en", "zh"} <= set(entry), code
