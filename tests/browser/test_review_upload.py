"""The Review and Import pages in a real browser, on a private warehouse per test: what an
editor does, and what the other pages show afterwards. Screenshots at 1024 and 1400 px,
in Chinese and English, go to tests/artifacts/browser/."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from support import query

from . import streamlit_ui as ui
from .conftest import ARTIFACTS, start_server

NEW_VALUE = 918273


@pytest.fixture
def own_server(warehouse_copy, tmp_path):
    srv = start_server(warehouse_copy, ARTIFACTS / f"server-review-{tmp_path.name}.log",
                       env_extra={"PINGAN_ACCOUNTS": str(tmp_path / "none.sqlite")})
    yield srv, warehouse_copy
    srv.stop()


def trend_values(page) -> list[float]:
    """Magnitudes drawn by the overview's trend chart (a reported fall is drawn below zero)."""
    ui.wait_marks(page, "ov_trend")
    return [abs(v) for t in ui.figure(page, "ov_trend")["traces"] for v in (t["y"] or []) if v is not None]


def trend_figure(wh, page) -> tuple[str, float]:
    """A figure the overview's trend chart draws: its series (the URL's trend=metric|measure)
    and one of the values drawn, newest report first."""
    from urllib.parse import parse_qs, urlparse
    metric, measure = parse_qs(urlparse(page.url).query)["trend"][0].split("|")
    for v in reversed(trend_values(page)):
        rows = query(wh, """
            SELECT figure_id, value FROM figures_effective
            WHERE metric = ? AND measure = ? AND abs(value - ?) < 1e-9 AND published_on IS NOT NULL
            ORDER BY published_on DESC, bulletin_id DESC, start DESC LIMIT 1""", [metric, measure, v])
        if rows:
            return rows[0]
    raise AssertionError(f"no figure for the trend series {metric}|{measure}")

def open_figure(page, fid: str) -> None:
    page.locator(".st-key-rv_goto input").fill(fid)
    page.keyboard.press("Enter")
    page.wait_for_timeout(1000)
    ui.wait_idle(page)
    expect(page.get_by_text(f"数字编号 {fid}", exact=False)).to_be_visible(timeout=60_000)
    ui.wait_idle(page)


def test_correction_in_the_browser_changes_the_chart_and_undo_restores(own_server, browser_page):
    srv, wh = own_server
    page = browser_page.page
    ui.goto(page, srv.url)
    fid, old = trend_figure(wh, page)
    assert old in trend_values(page) and NEW_VALUE not in trend_values(page)

    ui.goto(page, f"{srv.url}/review")
    open_figure(page, fid)
    form = page.locator('[data-testid="stForm"]').filter(has_text="更正字段")
    form.get_by_label("数值").fill(str(NEW_VALUE))
    form.get_by_label("理由（必填）").fill("核对原文")
    form.get_by_role("button", name="保存更正").click()
    expect(page.get_by_text("已记录 1 条审核记录。")).to_be_visible(timeout=60_000)
    ui.wait_idle(page)
    assert query(wh, 'SELECT "by", field, after FROM corrections') == [("admin (local)", "value", str(NEW_VALUE))]

    ui.goto(page, srv.url)  # no restart, no re-ingest
    assert NEW_VALUE in trend_values(page) and old not in trend_values(page)

    ui.goto(page, f"{srv.url}/review")
    open_figure(page, fid)
    page.get_by_role("button", name="撤销").click()
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("已撤销", timeout=60_000)
    ui.goto(page, srv.url)
    assert old in trend_values(page) and NEW_VALUE not in trend_values(page)
    assert ui.unexpected_console_errors(browser_page.errors) == []
    assert "Traceback" not in srv.log_text()


def test_upload_of_docx_and_gb18030_adds_figures_and_refuses_the_broken_file(own_server, browser_page, tmp_path):
    from docx import Document
    srv, wh = own_server
    files = tmp_path / "up"
    files.mkdir()
    doc = Document()
    doc.add_paragraph("景宁公安推进“村警”建设")
    doc.add_paragraph("本报讯 今年以来，景宁畲族自治县公安局组建巡逻队伍23支，化解矛盾纠纷4157起。")
    doc.save(files / "2024-04-02_景宁公安.docx")
    (files / "2024-04-03_云和公安.txt").write_bytes(
        "云和公安\n\n本报讯 今年以来，云和县公安局劝阻电信诈骗群众1263人。\n".encode("gb18030"))
    (files / "损坏的简报.docx").write_bytes(b"PK\x03\x04 not a zip")
    # a manifest line that cannot apply: the page says why in its own language, no server path
    (files / "manifest.csv").write_text("file,published_on,publisher,region,url\n../外部.txt,2024-04-01,某局,云和,\n",
                                        encoding="utf-8")
    snap_before = (wh / "CURRENT").read_text().strip()

    page = browser_page.page
    from .test_grid_widths import grid_problems, listen
    frames = listen(page)
    ui.goto(page, f"{srv.url}/upload")
    # the picker speaks Chinese too (Streamlit's own "Upload" / "20MB per file" are replaced)
    words_js = """() => [...document.querySelectorAll('[data-testid=stFileUploaderDropzone] button p, '
        + '[data-testid=stFileUploaderDropzoneInstructions] span')].map(e => getComputedStyle(e, '::after').content)"""
    page.wait_for_function(f"() => ({words_js})().includes('\"选择文件\"')", timeout=30_000)
    words = page.evaluate(words_js)
    assert '"选择文件"' in words and any("拖放文件到此处" in w for w in words), words
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(p) for p in sorted(files.iterdir())])
    expect(page.get_by_text("损坏的简报.docx：无法导入。原因：Word 文件已损坏（压缩包损坏）")).to_be_visible(timeout=90_000)
    expect(page.get_by_text("2024-04-02_景宁公安.docx：找到 2 个数字")).to_be_visible()
    expect(page.get_by_text("2024-04-03_云和公安.txt：找到 1 个数字")).to_be_visible()
    expect(page.get_by_text("manifest.csv 第 2 行：文件“../外部.txt”指向 manifest.csv 所在文件夹之外", exact=False)
           ).to_be_visible()
    ui.wait_idle(page)
    body = page.locator("section.main, [data-testid=stMain]").first.inner_text()
    assert "points outside" not in body and str(wh) not in body and ".staging" not in body
    assert (wh / "CURRENT").read_text().strip() == snap_before  # a preview stores nothing
    browser_page.shot("preview")
    # the preview grids show every cell whole (the sentence as an excerpt around its figure)
    problems, checked = grid_problems(page, list(frames), "upload preview")
    assert checked >= 2 * 6 and not problems, problems
    # another ingest is running (the command line's lock): the page says so and keeps the files
    from etl import warehouse as etl_warehouse
    with etl_warehouse.writer_lock(wh):
        page.get_by_role("button", name="导入 2 个文件").click()
        expect(page.get_by_text("另一个导入正在进行", exact=False)).to_be_visible(timeout=120_000)
        ui.wait_idle(page)
        busy = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="另一个导入正在进行").inner_text()
        assert "inbox/" in busy and str(wh) not in busy, busy          # a place in the warehouse, no server path
        kept = sorted(p.name for p in (wh / "inbox").glob("*/*") if p.parent.name != ".staging"
                      and not p.name.startswith("."))
        assert kept == ["2024-04-02_景宁公安.docx", "2024-04-03_云和公安.txt", "manifest.csv"]
        assert (wh / "CURRENT").read_text().strip() == snap_before
        # listed as kept but not imported, with who uploaded which files (it stays listed if the editor leaves)
        expect(page.get_by_role("heading", name="已保存但尚未导入的文件")).to_be_visible()
        expect(page.get_by_text("admin (local) 于 ", exact=False)).to_be_visible()
        browser_page.shot("kept")
    page.get_by_role("button", name="重试导入").click()
    expect(page.get_by_text("导入完成", exact=False)).to_be_visible(timeout=120_000)
    ui.wait_idle(page)
    assert (wh / "CURRENT").read_text().strip() != snap_before
    raws = {r[0] for r in query(wh, "SELECT raw FROM figures_effective WHERE source LIKE ?", ["%/inbox/%"])}
    assert {"23支", "4157起", "1263人"} <= raws
    browser_page.shot("done")
    # the report is a table whose reasons wrap (read whole at 1024 px), not a grid
    report = page.locator(".st-key-up_report_table table").inner_text()
    assert "损坏的简报.docx" in report and "Word 文件已损坏" in report and "broken" not in report
    assert "第 2 行：文件“../外部.txt”" in report and "points outside" not in report and str(wh) not in report
    assert "该行未采用" in report                      # a manifest line, not a file that failed
    said = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="导入完成").inner_text()
    assert "1 个文件未能导入" in said and "manifest.csv 有 1 行未采用" in said, said
    expect(page.get_by_role("heading", name="已保存但尚未导入的文件")).to_have_count(0)
    browser_page.shot("done")

    # the new figures are on the other pages at once
    ui.goto(page, f"{srv.url}/figures?q=4157")
    page.wait_for_selector('[data-testid="stDataFrame"] td[role="gridcell"]', state="attached")
    assert any("4157起" in c for c in ui.grid_cells(page))


def test_a_corrected_bar_explains_its_sign_and_its_sources_say_who_corrected_it(own_server, browser_page):
    """A bar drawn at a corrected value: the legend says what ✎ means, and a click on the bar
    lists its sources with the correction beside the corrected value (zh and en)."""
    import datetime as dt

    from support import run_cli
    srv, wh = own_server
    page = browser_page.page
    ui.goto(page, f"{srv.url}/counties")
    ui.wait_marks(page, "co_ranking")
    fig = ui.figure(page, "co_ranking")
    assert not [t for t in fig["traces"] if t["name"].startswith("✎")]   # nothing corrected yet
    fid = fig["traces"][0]["customdata"][0][1]
    proc = run_cli("correct", fid, "--set", f"value={NEW_VALUE}", "--by", "张三", "--reason", "原文数字误读",
                   "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    from zoneinfo import ZoneInfo
    day = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()   # pages say Beijing time
    for lang, legend, said in (
            ("zh", "✎ 已人工更正的数值", f"✎ 经张三于{day}更正，理由：原文数字误读"),
            ("en", "✎ value corrected by a reviewer", f"✎ corrected by 张三 on {day}, reason: 原文数字误读")):
        ui.goto(page, f"{srv.url}/counties?lang={lang}")
        ui.wait_marks(page, "co_ranking")
        ui.wait_idle(page)
        fig = ui.figure(page, "co_ranking")
        assert [t["name"] for t in fig["traces"] if t["name"].startswith("✎")] == [
            next(t["name"] for t in fig["traces"] if t["name"].startswith(legend))]
        expect(ui.chart(page, "co_ranking").locator(".legend")).to_contain_text(legend)
        bars = [c for t in fig["traces"] if t["customdata"] and t["x"] != [None] for c in t["customdata"]]
        index = [c[1] for c in bars].index(fid)
        grids = page.locator('[data-testid="stDataFrame"]').count()
        ui.click_plotly_point(page, "co_ranking", index)
        expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(grids + 1, timeout=30_000)
        # the sources grid is the page's first (the scorecard above the ranking is a table)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame]')][0]"
                               "?.querySelectorAll('td[role=gridcell]').length > 0", timeout=30_000)
        ui.wait_idle(page)
        cells = ui.grid_cells(page, 0)
        assert said in cells and f"{NEW_VALUE}" in "".join(cells).replace(",", ""), cells[:24]
        browser_page.shot(f"corrected-sources-{lang}")
    assert ui.error_elements(page) == []
    assert ui.unexpected_console_errors(browser_page.errors) == []


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_review_and_import(server, browser_page, width, lang):
    page = browser_page.page
    page.set_viewport_size({"width": width, "height": 900})
    for path, title, ready in (("review", {"zh": "审核", "en": "Review"}, '[data-testid="stDataFrame"] td[role="gridcell"]'),
                               ("upload", {"zh": "导入", "en": "Import"}, '[data-testid="stFileUploader"]')):
        ui.goto(page, f"{server.url}/{path}?lang={lang}")
        ui.expect_title(page, title[lang])
        page.wait_for_selector(ready, state="attached")
        page.wait_for_timeout(1500)
        ui.wait_idle(page)
        expect(page.locator('[data-testid="stSkeleton"], .stSkeleton')).to_have_count(0)
        assert ui.error_elements(page) == []
        shot = browser_page.shot(f"{path}-{lang}-{width}")
        assert shot.stat().st_size > 20_000
    assert ui.unexpected_console_errors(browser_page.errors) == []
