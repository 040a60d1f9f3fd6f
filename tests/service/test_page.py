"""The review page in a real headless Chromium (the ``browser_page`` fixture) against a real
server: paste a draft, submit, see findings highlighted and scores charted, switch language,
download the reports, upload a .docx; no console errors and no request leaves the machine."""

from __future__ import annotations

import io
import json
import math
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

httpx = pytest.importorskip("httpx")
expect = pytest.importorskip("playwright.sync_api").expect

SCREENS = Path("/work/screens")  # where the lead collects screenshots (only when it exists)

TITLE = "一种动力电池液冷散热装置"
CLAIMS = (
    "1. 一种动力电池液冷散热装置，其特征在于，包括液冷板、冷却管路、水泵和控制器；所述液冷板贴合设置在"
    "电池模组的底面；所述冷却管路连通所述液冷板与散热器；所述控制器根据所述温度传感器采集的温度调节"
    "所述水泵的转速。\n"
    "2. 根据权利要求1所述的动力电池液冷散热装置，其特征在于，所述液冷板内设有蛇形流道，所述蛇形流道的"
    "宽度约为5mm。\n"
    "3. 根据权利要求1所述的动力电池液冷散热装置，其特征在于，所述液冷板与所述电池模组之间设有导热垫，"
    "所述导热垫优选为硅胶导热垫。\n"
    "4. 根据权利要求2所述的动力电池液冷散热装置，其特征在于，所述冷却管路的结构如说明书附图2所示。\n"
    "5. 一种动力电池液冷散热装置的控制方法，使用权利要求1所述的装置，其特征在于，包括：采集各电芯的温度；"
    "当最高温度与最低温度之差大于阈值时，提高所述水泵的转速。"
)


@pytest.fixture
def offline(browser_page, server):
    """The page, with every request that would leave 127.0.0.1 recorded and refused."""
    leaked: list[str] = []

    def gate(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    browser_page.route("**/*", gate)
    browser_page.leaked = leaked
    return browser_page


def _report(server, draft: dict) -> dict:
    r = httpx.post(server.url + "/check", json=draft, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def _screenshot(page, tmp_path: Path, name: str) -> Path:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if SCREENS.is_dir():
        shutil.copy(shot, SCREENS / name)
    return shot


def test_paste_submit_findings_scores_language_downloads(offline, server, tmp_path):
    page = offline
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#submit").inner_text() == "开始评审"

    page.fill("#f-title", TITLE)
    page.fill("#f-claims", CLAIMS)
    page.click("details.more > summary")
    page.fill("#f-ipc", "H01M10/613; H01M10/625")
    page.select_option("#f-applicant", "enterprise")
    page.select_option("#f-route", "pct")
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) mark.hl")

    want = _report(server, {"title": TITLE, "claims_text": CLAIMS,
                            "ipc": "H01M10/613; H01M10/625", "applicant_type": "enterprise",
                            "planned_route": "pct"})
    located = {f["id"] for f in want["findings"]
               if f["section"] == "claims" and f["start"] is not None}
    assert located, "the draft has located findings in its claims"
    marked = set(" ".join(page.locator("#doc mark.hl").evaluate_all(
        "ms => ms.map(m => m.dataset.f)")).split())
    assert located <= marked
    # the marks cover exactly the characters the offsets name
    first = next(f for f in want["findings"] if f["id"] in located)
    text = want["sections"]["claims"]["text"]
    covered = page.locator(f'#doc mark.hl[data-f~="{first["id"]}"]').evaluate_all(
        "ms => ms.map(m => m.textContent).join('')")
    assert covered == text[first["start"]:first["end"]]

    # findings list, claim tree, chart, criteria, advice
    assert page.locator(".flist li").count() == len(want["findings"])
    assert page.locator("#tree .tnode").count() == want["claims"]["n_claims"]
    heads = want["predictions"]["heads"]
    assert page.locator("svg.chart g.bar").count() == len(heads) > 0
    hv = next(h for h in heads if h["target"] == "high_value")
    shown = math.floor(hv["probability"] * 1000 + 0.5) / 10  # JavaScript's Math.round
    assert f"{shown:g}%" in page.locator(".card.prob").inner_text()
    assert page.locator("table.crit tbody tr").count() == 5
    assert page.locator("ol.advice > li").count() == len(want["advice"])

    # a click on a mark explains it, with its source and the advice that points at it
    page.locator(f'#doc mark.hl[data-f~="{first["id"]}"]').first.click()
    detail = page.locator("#finding-detail")
    assert first["message_zh"] in detail.inner_text()
    assert first["source_zh"] in detail.inner_text()

    shot = _screenshot(page, tmp_path, "serve-page.png")
    assert shot.is_file()

    # English
    page.click("#lang-toggle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#claims-h").inner_text() == "Claims (findings marked in the text)"
    assert page.locator("#submit").inner_text() == "Review"
    assert first["message_en"] in page.locator(".flist").inner_text()
    assert first["message_en"] in detail.inner_text()  # the open finding stays open
    assert page.locator("#status").inner_text().startswith("Review done:")
    crit_names = page.locator("table.crit tbody th").all_inner_texts()
    assert crit_names == [c["name_en"] for c in want["criteria"]]
    _screenshot(page, tmp_path, "serve-page-en.png")

    # downloads: the JSON the page rendered, and the server's HTML report in English
    with page.expect_download() as dl:
        page.click("#dl-json")
    saved = json.loads(Path(dl.value.path()).read_text("utf-8"))
    assert saved["schema"] == "hvpscore-check-report"
    assert [f["id"] for f in saved["findings"]] == [f["id"] for f in want["findings"]]
    with page.expect_download() as dl:
        page.click("#dl-html")
    assert dl.value.suggested_filename.endswith(".html")
    html = Path(dl.value.path()).read_text("utf-8")
    assert "<html" in html.lower() and first["message_en"].split(":")[0] in html

    # back to Chinese: the choice is remembered on reload
    page.click("#lang-toggle")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    assert page.console_errors == []
    assert page.leaked == []


def test_docx_upload_and_errors_on_the_page(offline, server, tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_heading("一种动力电池液冷散热装置", level=1)
    for heading, body in (("权利要求书", CLAIMS), ("说明书摘要", "本发明公开了一种液冷散热装置。"),
                          ("说明书", "技术领域\n本发明涉及电池热管理。")):
        doc.add_heading(heading, level=2)
        for line in body.split("\n"):
            doc.add_paragraph(line)
    path = tmp_path / "draft.docx"
    doc.save(path)

    page = offline
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    # nothing pasted: a clear message, no request
    page.click("#submit")
    assert page.locator("#status").inner_text() == "请粘贴权利要求书，或上传申请文件。"

    page.click("#tab-upload")
    page.set_input_files("#f-file", str(path))
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) mark.hl")
    assert page.locator("#tree .tnode").count() == 5
    assert "评审完成" in page.locator("#status").inner_text()

    # a server error is shown in the page's language, with its code
    page.set_input_files("#f-file", {"name": "draft.exe", "mimeType": "application/octet-stream",
                                     "buffer": io.BytesIO(b"MZ").getvalue()})
    page.click("#submit")
    page.locator("#status", has_text="415").wait_for()
    assert "unsupported_file" in page.locator("#status").inner_text()
    # the browser itself logs the failed request; nothing else may be logged
    assert all("status of 415" in e for e in page.console_errors), page.console_errors
    assert page.leaked == []


def test_sample_button_fills_the_form(offline, server):
    page = offline
    page.goto(server.url + "/?lang=en")
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#load-sample")
    expect(page.locator("#f-claims")).not_to_have_value("")
    page.click("#submit")
    page.wait_for_selector("#results:not([hidden]) mark.hl")
    assert page.locator(".card.sev-warning .big").inner_text() != "0"
    assert page.console_errors == [] and page.leaked == []


def test_docs_page_renders_offline(offline, server):
    page = offline
    page.goto(server.url + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/check" in paths and "/score" in paths
    assert page.console_errors == []
    assert page.leaked == []
