"""The report page in a real headless Chromium: offline, no console errors, charts drawn."""

from __future__ import annotations

import re

from hvpscore.report._charts import cjk_font


def test_page_renders_offline_with_charts(browser_page, report_files, tmp_path_factory):
    page = browser_page
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_files[("html", "zh")].as_uri())
    page.wait_for_load_state("load")
    assert page.console_errors == []
    assert [u for u in requests if not u.startswith("file:")] == []
    charts = page.locator("figure.chart svg")
    assert charts.count() == 5
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    for key in ("indicators", "criteria", "by_region", "by_owner_type", "forecast",
                "top_holders", "top_inventors", "support", "notes"):
        assert page.locator(f"section#{key} table").count() == 1, key
    assert page.locator("#synthetic").is_visible()
    assert "每万人口高价值发明专利拥有量" in page.locator("#kpis").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    shot = tmp_path_factory.mktemp("shots") / "report-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"\nscreenshot: {shot}")


def test_english_page(browser_page, report_files):
    page = browser_page
    page.goto(report_files[("html", "en")].as_uri())
    assert page.console_errors == []
    assert "High-value invention patent monitoring report" in page.title()
    assert "per 10,000 residents" in page.locator("#kpis").inner_text()


def test_page_is_self_contained(report_files):
    html = report_files[("html", "zh")].read_text("utf-8")
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "font-family:'Noto Sans CJK SC'" in html.replace(", ", ",").replace(": ", ":") or \
        "Noto Sans CJK SC" in html
    if cjk_font():        # text drawn as glyph paths: the charts need no font to be read
        svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
        assert svgs and all("<text" not in s for s in svgs)
