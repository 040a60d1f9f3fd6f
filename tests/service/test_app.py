"""The service's parts in-process: settings, the error catalogue, reject codes, a 500 from a
real uvicorn server in a thread, and ``hvpscore serve`` failing cleanly on a bad model."""

from __future__ import annotations

import json
import logging
import string
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from hvpscore import InputError  # noqa: E402
from hvpscore.cli import main  # noqa: E402
from hvpscore.service import ServiceError, ServiceSettings, create_app, error_codes  # noqa: E402
from hvpscore.service._engine import Engine, reject_code  # noqa: E402


def test_settings_validate_and_hide_the_token(monkeypatch):
    s = ServiceSettings(token="abc123", cors_origins=("https://a.example.cn",))
    assert "abc123" not in repr(s) and "***" in repr(s)
    assert "abc123" not in s.to_json()
    monkeypatch.setenv("HVPSCORE_API_TOKEN", "from-env")
    back = ServiceSettings.from_json(s.to_json())
    assert back.token == "from-env" and back.cors_origins == ("https://a.example.cn",)
    monkeypatch.setenv("HVPSCORE_API_TOKEN", "")
    assert ServiceSettings().with_env_token().token is None
    with pytest.raises(InputError, match="max_batch_rows: 0 is not a positive whole number"):
        ServiceSettings(max_batch_rows=0).validate()
    with pytest.raises(InputError, match="timeout_s: -1 is not a positive number"):
        ServiceSettings(timeout_s=-1).validate()
    with pytest.raises(InputError, match="'agency.example.cn' is not an origin"):
        ServiceSettings(cors_origins=("agency.example.cn",)).validate()


def test_error_catalogue_is_complete():
    fields = {}
    for code, spec in error_codes().items():
        assert 400 <= spec["status"] < 600, code
        assert spec["zh"].strip() and spec["en"].strip(), code
        names = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
        fields[code] = names(spec["zh"]) | names(spec["en"])
        placeholders = {f.split("!")[0] for f in fields[code]}
        err = ServiceError(code, **dict.fromkeys(placeholders, "X"))
        assert "{" not in err.message_zh + err.message_en, code
    assert error_codes()["timeout"]["status"] == 408
    assert error_codes()["body_too_large"]["status"] == 413


def test_reject_codes():
    assert reject_code("<line>", "unreadable") == "unreadable_line"
    assert reject_code("<record>", "is not a JSON object") == "not_an_object"
    assert reject_code("申请日 (filing_date)", "is not a date") == "invalid_filing_date"
    assert reject_code("patent_id", "duplicates row 3; keep one row per patent") == "duplicate_id"
    assert reject_code("patent_id", "is not a recognised patent number") == "invalid_patent_id"


class _Broken(Engine):
    """An engine with a bug in every call (what a 500 looks like from outside)."""

    def version(self):
        raise RuntimeError("secret internal detail")

    def score_rows(self, *a, **k):
        raise KeyError("another secret")


@pytest.fixture
def broken_server(caplog):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = ServiceSettings(warm_up=False)
    app = create_app(settings, engine=_Broken(settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    caplog.set_level(logging.INFO, logger="hvpscore.service")
    thread.start()
    t0 = time.monotonic()
    while not server.started and time.monotonic() - t0 < 30:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_bug_is_a_500_with_a_request_id_and_no_traceback(broken_server, caplog):
    for method, path, kw in (("GET", "/version", {}), ("POST", "/score", {"json": []})):
        r = httpx.request(method, broken_server + path, **kw)
        assert r.status_code == 500
        body = r.json()["error"]
        assert body["code"] == "internal" and body["request_id"] == r.headers["x-request-id"]
        assert body["request_id"] in body["message_en"] and body["request_id"] in body["message_zh"]
        assert "secret" not in r.text and "Traceback" not in r.text
        logged = [json.loads(rec.getMessage()) for rec in caplog.records
                  if rec.name == "hvpscore.service.error"]
        mine = [x for x in logged if x["request_id"] == body["request_id"]]
        assert len(mine) == 1 and "Traceback" in mine[0]["traceback"]
        assert "secret" in mine[0]["error"]
        assert _access_line(caplog, body["request_id"])["status"] == 500


def _access_line(caplog, rid: str) -> dict:
    t0 = time.monotonic()  # the line is written once the response has been sent
    while time.monotonic() - t0 < 10:
        for rec in list(caplog.records):
            if rec.name == "hvpscore.service.access":
                line = json.loads(rec.getMessage())
                if line["request_id"] == rid:
                    return line
        time.sleep(0.02)
    raise AssertionError(f"no access-log line for {rid}")


def test_serve_fails_in_one_line_on_a_bad_model(tmp_path):
    res = CliRunner().invoke(main, ["serve", "--model", str(tmp_path / "nope"), "--lang", "en"])
    assert res.exit_code == 1
    assert "no metadata.json" in res.output and "Traceback" not in res.output


def test_the_service_imports_in_a_fresh_interpreter():
    subprocess.run([sys.executable, "-c", "import hvpscore.service, hvpscore.cli.serve"],
                   check=True, capture_output=True)
