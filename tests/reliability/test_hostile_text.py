"""Hostile bulletin text through the extractor, the pages and the packs (issue 12).

One bulletin, ingested into a real warehouse by the real ingest, whose title and sentences
hold `<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, a right-to-left override
(U+202E), zero-width characters (U+200B, U+FEFF) and a sentence of more than 10,000
characters with a figure at its end. Proved here:

- the extractor stays sane: every offset inside the text, `text[start:end] == raw`, the
  long sentence's figure found at its real place;
- every page runs on that warehouse without an exception (AppTest), the figures table
  holds the sentences literally;
- in a real browser (Playwright, Chromium) the overview, figures and review pages show
  the text as text: no `<script>` holding `alert`, no `<img src=x>`, no dialog, and the
  markup is visible on the page as characters;
- the PowerPoint and Word packs built from that warehouse reopen (python-pptx,
  python-docx) and hold the hostile strings literally. (Excel: dashboard/briefing/
  xlsx_pack.py, another test.)
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.ingest import ingest
from support import query

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT2 = "<script>alert(2)</script>"
RLO, PDF_, ZWSP, BOM = "\u202e", "\u202c", "\u200b", "\ufeff"
#: controls real bulletins carry (Word's manual line break, a PDF's page end) and XML refuses
VT, FF, US = "\x0b", "\x0c", "\x1f"
#: sentences that open with a formula (a sentence cell in Excel starts with it)
FORMULA_SENTENCES = [f'=HYPERLINK("http://x","详情")该局{VT}开展{FF}夜间巡逻{US}30次。',
                     "@SUM(A1) 设卡检查车辆210辆。", "+1+1 组织宣传活动15场。"]
LONG = "本报讯 今年以来，缙云县公安局" + "深入开展矛盾纠纷排查化解工作，" * 700 + "化解矛盾纠纷321起。"
TITLE = f"缙云公安{SCRIPT}推进{RLO}平安{VT}建设"
TEXT = ("丽水:\n\n"
        f"{TITLE}\n\n"
        f"本报讯 今年以来，缙云县公安局{IMG}化解矛盾纠纷800余起，组建巡防队12支。\n\n"
        f"该局{ZWSP}破获{BOM}刑事案件{RLO}87起{PDF_}，{SCRIPT2}抓获犯罪嫌疑人45人。\n\n"
        + "".join(f"{x}\n\n" for x in FORMULA_SENTENCES)
        + LONG + "\n")
FILE = "2024-05-06_缙云公安<script>.txt"
HOSTILE = [SCRIPT, IMG, SCRIPT2, RLO, ZWSP, BOM]
PAGES = ["overview", "counties", "initiatives", "figures", "quality", "review", "upload"]


@pytest.fixture(scope="module")
def hostile_wh(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile_text")
    src = root / "in"
    src.mkdir()
    (src / FILE).write_text(TEXT, encoding="utf-8")
    wh = root / "wh"
    rep = ingest([src], wh, progress=False)
    assert rep.ok and rep.figures_added >= 5
    return wh


def test_long_sentence_is_really_long():
    assert len(LONG) > 10_000


def test_extractor_offsets_stay_sane_on_hostile_text():
    from etl.extract import extract_text

    _, figs = extract_text(TEXT, FILE, "b1")
    got = {f["raw"]: f for f in figs}
    assert {"800余起", "12支", "87起", "45人", "321起", "30次", "210辆", "15场"} <= set(got)
    # each formula opens its figure's sentence: in a spreadsheet, the cell starts with it
    assert [got[r]["sentence"] for r in ("30次", "210辆", "15场")] == FORMULA_SENTENCES
    for f in figs:
        assert 0 <= f["start"] < f["end"] <= len(TEXT)
        assert TEXT[f["start"]:f["end"]] == f["raw"]
    assert got["321起"]["start"] == TEXT.index("321起")   # at the end of the 10,000-character sentence
    assert got["800余起"]["value"] == 800 and got["87起"]["value"] == 87
    assert extract_text(TEXT, FILE, "b1")[1] == figs      # deterministic


def test_warehouse_holds_the_text_literally(hostile_wh):
    rows = query(hostile_wh, "SELECT raw, sentence FROM figures ORDER BY start")
    sentences = {raw: s for raw, s in rows}
    assert IMG in sentences["800余起"]
    assert SCRIPT2 in sentences["87起"] and RLO in sentences["87起"] and ZWSP in sentences["87起"]
    assert BOM in sentences["87起"]
    assert len(sentences["321起"]) > 10_000 and sentences["321起"].endswith("321起。")
    assert query(hostile_wh, "SELECT title, file_name FROM bulletins") == [(TITLE, FILE)]
    assert set(FORMULA_SENTENCES) <= set(sentences.values())   # control characters kept too


def _page(path: str, wh: Path, monkeypatch, qp: dict | None = None) -> AppTest:
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(wh / "no-accounts.sqlite"))  # open, one admin
    at = AppTest.from_file(str(ROOT / "pages" / f"{path}.py"), default_timeout=120)
    for k, v in (qp or {}).items():
        at.query_params[k] = v
    at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_hostile_text(page, hostile_wh, monkeypatch):
    at = _page(page, hostile_wh, monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert not [e.value for e in at.error], page


def test_figures_table_holds_sentences_literally(hostile_wh, monkeypatch):
    at = _page("figures", hostile_wh, monkeypatch, {"q": "缙云"})
    assert not at.exception
    df = at.dataframe[0].value
    cells = "\n".join(map(str, df.astype(str).values.ravel()))
    for h in HOSTILE:
        assert h in cells, repr(h)
    assert any(len(str(c)) > 10_000 for c in df.values.ravel())


def test_review_markdown_escapes_the_sentence_and_title(hostile_wh, monkeypatch):
    from dashboard.text import escape_markdown

    fid = query(hostile_wh, "SELECT figure_id FROM figures WHERE raw = '800余起'")[0][0]
    at = _page("review", hostile_wh, monkeypatch)
    at.text_input(key="rv_goto").input(fid).run()
    assert not at.exception, [e.message for e in at.exception]
    md = "\n".join(m.value for m in at.markdown)
    assert escape_markdown(IMG) in md and IMG not in md     # every < > = escaped: text, not HTML
    caps = "\n".join(c.value for c in at.caption)
    assert escape_markdown(SCRIPT) in caps and SCRIPT not in caps


# ------------------------------------------------------------------ packs

def _hostile_in(text: str) -> None:
    for h in HOSTILE:
        assert h in text, repr(h)
    # the title's vertical tab is a space: XML (so .docx, .xlsx, .pptx) cannot hold it, and
    # before the fix python-docx and openpyxl raised on it and no pack was made
    assert "平安 建设" in text and not any(c in text for c in (VT, FF, US))


def _xlsx_texts(data: bytes) -> set[str]:
    """Text cells of an .xlsx file, after checking that no cell is a formula: neither as
    openpyxl reads it nor in the sheet XML itself (<f>)."""
    import zipfile

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for line in ws.iter_rows() for c in line if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)
    return {c.value for c in cells if isinstance(c.value, str)}


def test_excel_pack_reopens_holds_the_text_and_no_formula(hostile_wh):
    from dashboard.briefing import build_xlsx
    from dashboard.filters import Filters
    from dashboard.spreadsheet import xml_safe

    texts = _xlsx_texts(build_xlsx(Filters(), hostile_wh))
    _hostile_in("\n".join(texts))
    for sentence in FORMULA_SENTENCES:     # a cell opening with the formula, as text
        assert xml_safe(sentence) in texts, sentence
    assert any(t.endswith(LONG[-200:]) and len(t) > 10_000 for t in texts)


def test_figures_page_downloads_are_inert():
    """The figures page's own Excel and CSV (dashboard.spreadsheet): before the fix its
    Excel wrote `=HYPERLINK(…)` as a formula and raised on a vertical tab, and its CSV gave
    Excel `=…`, `@…`, `+…` to evaluate."""
    import csv
    import pandas as pd

    from dashboard.spreadsheet import table_csv, table_xlsx, xml_safe
    table = pd.DataFrame({"句子": FORMULA_SENTENCES + [TITLE, "-5.2%", None],
                          "数值": [30, 210, 15, 1, -5.2, None]})
    texts = _xlsx_texts(table_xlsx(table, "figures"))
    assert {xml_safe(s) for s in FORMULA_SENTENCES + [TITLE]} | {"-5.2%", "句子", "数值"} == texts
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig"))))
    cells = [r[0] for r in rows[1:]]
    assert cells[:3] == ["'" + s for s in FORMULA_SENTENCES]   # text to Excel, shown without the '
    assert cells[3:] == [TITLE, "-5.2%", ""]                    # a signed number stays a number
    assert [r[1] for r in rows[1:]] == ["30.0", "210.0", "15.0", "1.0", "-5.2", ""]


def test_powerpoint_pack_reopens_and_holds_the_text(hostile_wh):
    from pptx import Presentation

    from dashboard.briefing import build_pptx
    from dashboard.filters import Filters

    prs = Presentation(io.BytesIO(build_pptx(Filters(), hostile_wh)))
    texts = []
    for s in prs.slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                texts.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                texts += [c.text for r in sh.table.rows for c in r.cells]
        if s.has_notes_slide:
            texts.append(s.notes_slide.notes_text_frame.text)
    _hostile_in("\n".join(texts))
    assert any(LONG[-200:] in t for t in texts)


def test_word_pack_reopens_and_holds_the_text(hostile_wh):
    from docx import Document

    from dashboard.briefing import BriefingError, build_docx
    from dashboard.filters import Filters

    try:
        data = build_docx(Filters(), hostile_wh)
    except BriefingError as exc:  # no Chromium to draw its charts
        pytest.skip(str(exc))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    _hostile_in(text)


# ------------------------------------------------------------------ the browser

@pytest.mark.browser
def test_browser_shows_hostile_text_as_text(hostile_wh, tmp_path):
    from browser import streamlit_ui as ui
    from browser.conftest import ARTIFACTS, CHROMIUM_ARGS, start_server
    import os
    import shutil

    from playwright.sync_api import expect, sync_playwright

    exe = os.environ.get("PINGAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        pytest.fail(f"{exe}: Chromium not found", pytrace=False)
    fid_img = query(hostile_wh, "SELECT figure_id FROM figures WHERE raw = '800余起'")[0][0]
    fid_script = query(hostile_wh, "SELECT figure_id FROM figures WHERE raw = '87起'")[0][0]
    srv = start_server(hostile_wh, ARTIFACTS / "server-reliability-hostile-text.log",
                       env_extra={"PINGAN_ACCOUNTS": str(tmp_path / "none.sqlite")})
    dialogs, errors, downloads = [], [], {}

    def in_browser() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
            page.set_default_timeout(30_000)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))

            def inert() -> None:
                assert page.locator('script:text("alert")').count() == 0
                assert page.evaluate("() => [...document.scripts].filter(s => s.textContent.includes('alert')).length") == 0
                assert page.locator('img[src="x"], img[onerror]').count() == 0
                assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
                assert dialogs == [] and errors == []
                assert ui.error_elements(page) == []

            ui.goto(page, srv.url)
            ui.expect_title(page, "总览")
            inert()
            ui.goto(page, f"{srv.url}/figures?q=%E7%BC%99%E4%BA%91")   # q=缙云
            page.wait_for_selector('[data-testid="stDataFrame"] td[role="gridcell"]', state="attached")
            cells = "\n".join(ui.grid_cells(page))
            assert "800余起" in cells and "onerror" in cells     # the markup is a cell's text
            inert()
            # the page's own downloads, as a user gets them
            for key in ("fi_xlsx", "fi_csv"):
                with page.expect_download() as got:
                    page.locator(f".st-key-{key} button").click()
                downloads[key] = Path(got.value.path()).read_bytes()
            for fid, shown in ((fid_img, IMG), (fid_script, SCRIPT2)):
                ui.goto(page, f"{srv.url}/review")
                page.locator(".st-key-rv_goto input").fill(fid)
                page.keyboard.press("Enter")
                page.wait_for_timeout(1000)
                ui.wait_idle(page)
                expect(page.get_by_text(f"数字编号 {fid}", exact=False)).to_be_visible(timeout=60_000)
                # the sentence is on the page with its markup as characters
                md = page.locator('[data-testid="stMain"] p')
                expect(md.filter(has_text=shown).first).to_be_visible()
                expect(md.filter(has_text=SCRIPT).first).to_be_visible()  # the title, in the caption
                inert()
            page.screenshot(path=str(ARTIFACTS / "reliability-hostile-text-review.png"), full_page=True)
            browser.close()

    try:
        # a thread of its own: the browser tests' session-wide Playwright may already be
        # running an event loop in this worker's main thread, and the sync API refuses to
        # start a second one there
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(1) as ex:
            ex.submit(in_browser).result()
        log = srv.log_text()
        assert "Traceback" not in log, log[-2000:]
    finally:
        srv.stop()
    # the figures the search shows, formula sentences among them: text in the Excel file,
    # an apostrophe before each in the CSV (dashboard.spreadsheet)
    # (the table's sentence marks its figure with 【】, so compare the openings)
    import csv
    texts = _xlsx_texts(downloads["fi_xlsx"])
    cells = {c for r in csv.reader(io.StringIO(downloads["fi_csv"].decode("utf-8-sig"))) for c in r}
    for head in (sentence[:8] for sentence in FORMULA_SENTENCES):
        assert any(t.startswith(head) for t in texts), head
        assert any(c.startswith("'" + head) for c in cells) and not any(c.startswith(head) for c in cells), head


def test_figures_detail_caption_escapes_the_file_name(hostile_wh, monkeypatch):
    """The chosen row's caption names its file: `<script>` in a file name stays characters."""
    from dashboard.text import escape_markdown

    monkeypatch.setenv("PINGAN_WAREHOUSE", str(hostile_wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(hostile_wh / "no-accounts.sqlite"))
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=120)
    at.query_params["q"] = "缙云"
    # a row chosen in the grid, as the browser's selection event sets it
    at.session_state["fi_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    caps = "\n".join(c.value for c in at.caption)
    assert escape_markdown(FILE) in caps and FILE not in caps
