"""The service over real HTTP: a real ``hvpscore serve`` on a free port (see conftest.py)."""

from __future__ import annotations

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import hvpscore
from hvpscore.scoring import resolve_model

httpx = pytest.importorskip("httpx")

AS_OF = "2025-12-31"


def _err(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    e = body["error"]
    assert e["code"] == code
    assert e["message_zh"] and e["message_en"]
    assert e["request_id"] == resp.headers["x-request-id"]
    assert "Traceback" not in resp.text
    return e


@pytest.fixture(scope="module")
def sample_records(repo_dir) -> pd.DataFrame:
    return hvpscore.read_records(repo_dir / "data/sample/patents.csv", "cn-export").records


def _as_json_rows(records: pd.DataFrame, tmp_path) -> list[dict]:
    path = tmp_path / "recs.jsonl"
    hvpscore.write_table(records, path)
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# -- health, version, docs ------------------------------------------------------------------------
def test_health_and_version(server):
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}
    v = httpx.get(server.url + "/version").json()
    assert v["hvpscore"] == hvpscore.__version__
    assert v["model"]["version"] == resolve_model().version
    assert v["policy_id"] == "cnipa-2021"


def test_openapi_and_offline_docs(server):
    spec = httpx.get(server.url + "/openapi.json").json()
    assert {"/check", "/score", "/health", "/version"} <= set(spec["paths"])
    assert "application/json" in spec["paths"]["/score"]["post"]["requestBody"]["content"]
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", docs.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # no CDN
    for a in assets:
        assert httpx.get(server.url + a).status_code == 200, a


def test_errors_for_unknown_paths_and_methods(server):
    _err(httpx.get(server.url + "/nope"), 404, "not_found")
    _err(httpx.get(server.url + "/score"), 405, "method_not_allowed")


# -- /score -----------------------------------------------------------------------------------
def test_score_json_gives_the_library_table(server, sample_records, tmp_path):
    recs = sample_records.iloc[:200]
    rows = _as_json_rows(recs, tmp_path)
    rows.insert(7, {"patent_id": "201910561574.1", "title": "bad check digit"})
    rows.insert(11, "not a record")
    r = httpx.post(server.url + "/score", params={"as_of": AS_OF, "reasons": 2}, json=rows,
                   timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    s = body["summary"]
    assert (s["read"], s["accepted"], s["rejected"]) == (202, 200, 2)
    assert s["read"] == s["accepted"] + s["rejected"]
    assert [x["row"] for x in body["rejects"]] == [8, 12]
    bad, odd = body["rejects"]
    assert bad["patent_id"] == "201910561574.1" and bad["codes"] == ["invalid_patent_id"]
    assert "check digit" in bad["reasons"][0]
    assert odd["codes"] == ["not_an_object"]
    got = pd.DataFrame(body["scores"])
    assert got["row"].tolist() == [i for i in range(1, 203) if i not in (8, 12)]
    want = hvpscore.score_records(recs, as_of=AS_OF, reasons=2)
    assert got["patent_id"].tolist() == want["patent_id"].tolist()
    assert (got["p_high_value"] - want["p_high_value"].to_numpy()).abs().max() < 1e-6
    assert got["is_high_value"].tolist() == want["is_high_value"].tolist()
    assert got["reasons"].tolist() == want["reasons"].tolist()
    assert set(got["as_of"]) == {AS_OF} and s["high_value"] == int(want["is_high_value"].sum())


def test_score_csv_and_parquet_uploads(server, repo_dir, tmp_path):
    raw = pd.read_csv(repo_dir / "data/sample/patents.csv", dtype=str, encoding="utf-8-sig",
                      nrows=40, keep_default_na=False)
    bad = {c: "" for c in raw.columns} | {"申请号": "201910561574.1"}  # a bad number
    csv = tmp_path / "export.csv"
    pd.concat([raw, pd.DataFrame([bad])]).to_csv(csv, index=False, encoding="utf-8")
    with open(csv, "rb") as f:
        r = httpx.post(server.url + "/score", params={"profile": "cn-export", "as_of": AS_OF},
                       files={"file": ("export.csv", f, "text/csv")}, timeout=120)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["summary"]["read"], body["summary"]["rejected"]) == (41, 1), body["rejects"]
    assert body["rejects"][0]["row"] == 41 and body["rejects"][0]["codes"]
    assert body["rejects"][0]["patent_id"] == "201910561574.1"
    lib = hvpscore.read_records(csv, "cn-export")
    assert [x["patent_id"] for x in body["scores"]] == lib.records["patent_id"].tolist()

    pq = tmp_path / "recs.parquet"
    hvpscore.write_table(lib.records, pq)
    with open(pq, "rb") as f:
        r = httpx.post(server.url + "/score", params={"as_of": AS_OF},
                       files={"file": ("recs.parquet", f, "application/octet-stream")},
                       timeout=120)
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["accepted"] == 40


def test_an_unreadable_upload_names_the_upload_not_a_temporary_file(server):
    e = _err(httpx.post(server.url + "/score", files={"file": ("mine.csv", b'a,"b\n1,2\n')}),
             422, "invalid_input")
    assert "mine.csv" in e["message_en"] and "/tmp" not in e["message_en"]


def test_score_input_errors(server):
    url = server.url + "/score"
    e = _err(httpx.post(url, content=b'[{"patent_id": ', headers={"content-type":
                                                                  "application/json"}),
             400, "bad_json")
    assert "line 1" in e["message_en"]
    _err(httpx.post(url, json={"patent_id": "CN201910561574.9"}), 422, "wrong_shape")
    _err(httpx.post(url, content=b"patent_id\n1", headers={"content-type": "text/csv"}),
         415, "unsupported_media_type")
    _err(httpx.post(url, files={"data": ("a.csv", b"patent_id\n")}), 422, "missing_file")
    _err(httpx.post(url, files={"file": ("a.exe", b"MZ")}), 415, "unsupported_file")
    e = _err(httpx.post(url, params={"profile": "../../etc/passwd"}, json=[]), 422,
             "invalid_parameter")
    assert "cn-export" in e["message_en"]
    _err(httpx.post(url, params={"reasons": 99}, json=[]), 422, "invalid_parameter")
    e = _err(httpx.post(url, params={"as_of": "2025-13-45"}, json=[{"patent_id": "x"}]),
             422, "invalid_input")
    assert "2025-13-45" in e["message_en"]


def test_empty_batch_is_an_empty_table(server):
    r = httpx.post(server.url + "/score", json=[], params={"as_of": AS_OF})
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["read"] == 0 and r.json()["scores"] == []


# -- limits ----------------------------------------------------------------------------------
def test_oversized_body_is_413_with_and_without_content_length(guarded, auth):
    big = b"[" + b'{"patent_id": "CN201910561574.9"},' * 150_000 + b"{}]"  # ~5 MiB > 4 MiB
    e = _err(httpx.post(guarded.url + "/score", content=big, headers={
        **auth, "content-type": "application/json"}, timeout=60), 413, "body_too_large")
    assert str(4 * 1024 * 1024) in e["message_en"]

    def chunks():  # no Content-Length: the streamed body is counted
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    _err(httpx.post(guarded.url + "/score", content=chunks(), headers={
        **auth, "content-type": "application/json"}, timeout=60), 413, "body_too_large")
    # the server is still fine afterwards
    assert httpx.get(guarded.url + "/health").status_code == 200


def test_batch_limit(guarded, auth):
    rows = [{"patent_id": "CN201910561574.9"}] * 6
    e = _err(httpx.post(guarded.url + "/score", json=rows, headers=auth), 413,
             "batch_too_large")
    assert "6" in e["message_en"] and "5" in e["message_en"]


# -- token -----------------------------------------------------------------------------------
def test_token_missing_wrong_and_right(guarded, auth, token):
    url = guarded.url + "/version"
    e = _err(httpx.get(url), 401, "token_missing")
    assert "Bearer" in e["message_en"]
    r = httpx.get(url)
    assert r.headers["www-authenticate"].startswith("Bearer")
    _err(httpx.get(url, headers={"Authorization": "Bearer wrong"}), 401, "token_invalid")
    _err(httpx.get(url, headers={"Authorization": f"Basic {token}"}), 401, "token_missing")
    _err(httpx.post(guarded.url + "/score", json=[]), 401, "token_missing")
    assert httpx.get(url, headers=auth).status_code == 200
    assert httpx.get(guarded.url + "/health").status_code == 200  # liveness needs no token
    assert httpx.get(guarded.url + "/").status_code == 200  # nor the page


# -- CORS ------------------------------------------------------------------------------------
def _preflight(url, origin):
    return httpx.options(url + "/score", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})


def test_cors_is_off_by_default_and_lists_origins(server, guarded, origin):
    r = httpx.get(server.url + "/health", headers={"Origin": origin})
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-origin" not in _preflight(server.url, origin).headers
    ok = _preflight(guarded.url, origin)
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == origin
    other = _preflight(guarded.url, "https://evil.example.com")
    assert other.headers.get("access-control-allow-origin") != "https://evil.example.com"


# -- request ids and the access log ----------------------------------------------------------
def test_request_id_and_access_log(server):
    rid = "test-" + uuid.uuid4().hex[:8]
    secret = "SECRET-BODY-" + uuid.uuid4().hex
    r = httpx.post(server.url + "/score", params={"as_of": AS_OF},
                   json=[{"patent_id": "CN201910561574.9", "title": secret}],
                   headers={"X-Request-ID": rid})
    assert r.status_code == 200 and r.headers["x-request-id"] == rid
    bad = httpx.get(server.url + "/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", bad.headers["x-request-id"])
    lines = server.wait_lines(lambda x: x.get("request_id") == rid, 1)
    assert len(lines) == 1
    line = lines[0]
    assert set(line) == {"time", "method", "path", "status", "ms", "bytes", "request_id"}
    assert (line["method"], line["path"], line["status"]) == ("POST", "/score", 200)
    assert line["bytes"] == len(r.content) and line["ms"] > 0
    assert secret not in server.log_path.read_text("utf-8")  # never the body


# -- concurrency -----------------------------------------------------------------------------
@pytest.mark.slow
def test_fifty_concurrent_requests(server, sample_records, tmp_path):
    rows = _as_json_rows(sample_records.iloc[:20], tmp_path)

    def one(i: int):
        rid = f"conc-{i:02d}"
        with httpx.Client(timeout=120) as c:
            if i % 2:
                r = c.post(server.url + "/score", json=rows[i % 20:i % 20 + 1],
                           params={"as_of": AS_OF}, headers={"X-Request-ID": rid})
            else:
                r = c.get(server.url + "/version", headers={"X-Request-ID": rid})
        return rid, r.status_code, r.headers.get("x-request-id"), r.json()

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(one, range(50)))
    assert [s for _, s, _, _ in results] == [200] * 50
    assert all(rid == echoed for rid, _, echoed, _ in results)
    for i, (_, _, _, body) in enumerate(results):
        if i % 2:
            assert body["scores"][0]["patent_id"] == rows[i % 20]["patent_id"]
    logged = {x["request_id"]: x["status"] for x in server.wait_lines(
        lambda x: str(x.get("request_id", "")).startswith("conc-"), 50)}
    assert logged == {f"conc-{i:02d}": 200 for i in range(50)}


# -- /check -----------------------------------------------------------------------------------
DRAFT = {
    "title": "一种动力电池液冷散热装置",
    "claims_text": "1. 一种动力电池液冷散热装置，其特征在于，包括液冷板和水泵；所述液冷板贴合设置在电池"
                   "模组的底面；所述控制器调节所述水泵的转速。\n"
                   "2. 根据权利要求1所述的动力电池液冷散热装置，其特征在于，所述液冷板的厚度约为5mm。",
    "ipc": ["H01M10/613"],
    "planned_route": "pct",
}


def _same_report(got: dict, want: dict) -> None:
    got, want = dict(got), dict(want)
    got.pop("timing_ms")
    want.pop("timing_ms")
    assert got == want


def test_check_json_gives_the_library_report(server):
    from hvpscore.prefiling import check_draft

    r = httpx.post(server.url + "/check", params={"as_of": AS_OF}, json=DRAFT, timeout=60)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["schema"] == "hvpscore-check-report"
    codes = {f["code"] for f in got["findings"]}
    assert {"antecedent_basis", "vague_term"} <= codes
    _same_report(got, check_draft(DRAFT, as_of=AS_OF).to_dict())
    jsonschema = pytest.importorskip("jsonschema")
    from hvpscore.prefiling import report_schema

    jsonschema.validate(got, report_schema())
    en = httpx.post(server.url + "/check", params={"as_of": AS_OF, "lang": "en"}, json=DRAFT,
                    timeout=60).json()
    assert en["lang"] == "en" and en["findings"] == got["findings"]


def test_check_text_html_and_markdown(server):
    text = "权利要求书\n" + DRAFT["claims_text"]
    r = httpx.post(server.url + "/check", content=text.encode("utf-8"),
                   headers={"content-type": "text/plain; charset=utf-8"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["claims"]["n_claims"] == 2
    html = httpx.post(server.url + "/check", params={"format": "html"}, json=DRAFT, timeout=60)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "<html" in html.text.lower() and "约" in html.text
    md = httpx.post(server.url + "/check", params={"format": "md", "lang": "en"}, json=DRAFT,
                    timeout=60)
    assert md.headers["content-type"].startswith("text/markdown") and "#" in md.text


def test_check_docx_upload(server, tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("一种动力电池液冷散热装置", style="Title")
    for heading, body in (("权利要求书", DRAFT["claims_text"]),
                          ("说明书摘要", "本发明公开了一种动力电池液冷散热装置。"),
                          ("说明书", "技术领域\n本发明涉及电池热管理。\n具体实施方式\n液冷板1贴合设置。")):
        doc.add_heading(heading, level=1)
        for line in body.split("\n"):
            doc.add_paragraph(line)
    path = tmp_path / "draft.docx"
    doc.save(path)
    with open(path, "rb") as f:
        r = httpx.post(server.url + "/check", params={"as_of": AS_OF},
                       files={"file": ("draft.docx", f, "application/vnd.openxmlformats-"
                                       "officedocument.wordprocessingml.document")}, timeout=60)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["source"]["kind"] == "docx"
    assert {s for s, v in got["sections"].items() if v["found"]} >= {"claims", "abstract",
                                                                     "description"}
    assert got["claims"]["n_claims"] == 2
    assert "vague_term" in {f["code"] for f in got["findings"]}


def test_check_input_errors(server):
    url = server.url + "/check"
    _err(httpx.post(url, content=b"{", headers={"content-type": "application/json"}), 400,
         "bad_json")
    _err(httpx.post(url, json=["not", "a", "draft"]), 422, "wrong_shape")
    e = _err(httpx.post(url, json={"claims_txt": "1. 一种杯子。"}), 422, "invalid_input")
    assert "claims_txt" in e["message_en"]
    _err(httpx.post(url, params={"lang": "fr"}, json=DRAFT), 422, "invalid_parameter")
    _err(httpx.post(url, content="权利要求".encode("gb18030"),
                    headers={"content-type": "text/plain"}), 400, "bad_encoding")
    _err(httpx.post(url, files={"file": ("draft.pdf", b"%PDF-1.4")}), 415, "unsupported_file")


def test_one_megabyte_of_claims(server, guarded, auth):
    # 900 long claims (one patent has at most 1,000): about 1,000,000 characters
    body = "所述液冷板的厚度为5mm，所述水泵设置在所述冷却管路上，" * 40
    claims = "1. 一种装置，包括液冷板、水泵和冷却管路。\n" + "".join(
        f"{i}. 根据权利要求1所述的装置，其特征在于，{body}\n" for i in range(2, 901))
    assert len(claims) >= 999_000
    # the default limit (200,000 characters) answers at once, before any work
    e = _err(httpx.post(server.url + "/check", json={"claims_text": claims}, timeout=60),
             413, "claims_too_long")
    assert "limit of 200000" in e["message_en"]
    assert int(re.search(r"have (\d+) characters", e["message_en"]).group(1)) >= 1_000_000
    # a server that accepts it but gives each request 0.5 s stops it with a clear 408
    _err(httpx.post(guarded.url + "/check", json={"claims_text": claims}, headers=auth,
                    timeout=120), 408, "timeout")
    assert httpx.get(guarded.url + "/health").status_code == 200


def test_a_malformed_upload_is_a_400_not_a_500(server):
    r = httpx.post(server.url + "/score", content=b"--xx\r\nnot a part\r\n",
                   headers={"content-type": "multipart/form-data; boundary=xx"})
    assert r.status_code == 400 or r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("bad_request", "missing_file")
    two = httpx.post(server.url + "/check", files=[("file", ("a.txt", b"1. x")),
                                                   ("file", ("b.txt", b"1. y"))])
    _err(two, 400, "bad_request")


def test_token_is_checked_before_parameters(guarded):
    _err(httpx.post(guarded.url + "/check", params={"lang": "fr"}, json={}), 401,
         "token_missing")


def test_openapi_declares_the_bearer_scheme(server):
    spec = httpx.get(server.url + "/openapi.json").json()
    assert any(v.get("scheme") == "bearer"
               for v in spec["components"]["securitySchemes"].values())
