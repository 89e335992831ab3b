"""A corrected value is marked where people read it (issue 9): on the charts (a sign on the
very point or bar, and who, when and why in its hover), in the Excel pack (a note column),
and the overview's key card shows the corrected value. The Excel pack keeps text that
looks like a formula as text.

A small warehouse of four bulletins is built by the real ingest (three counties report
the same metric, so "exactly that bar" means something) and corrected through the real
command line; the charts are the functions the pages call, fed by the pages' queries.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from support import ROOT, ingest, run_cli

REASON = "原文数字误读"
EDITOR = "张三"
CORRECTED = 4321
#: text Excel (or openpyxl) would take for a formula if it were not stored as a string
PAYLOAD = "=cmd|' /C calc'!A0"
#: sentence openings (the segmenter ends a sentence at "!", so the payload's head opens one;
#: the whole payload goes in through a corrected period and a reason)
HOSTILE = ("=cmd|' /C calc'", "+1+1", "@SUM(A1)", "-2+3")

BULLETINS = {
    "2024-05-10_缙云公安.txt": "缙云县公安局工作动态\n\n缙云县公安局1-5月化解矛盾纠纷100起。\n",
    "2024-06-18_缙云公安.txt": (
        "缙云县公安局工作动态\n\n"
        "缙云县公安局1-6月化解矛盾纠纷120起。\n"
        f"{HOSTILE[0]} 缙云县公安局今年以来破获电诈案件35起。\n"
        f"{HOSTILE[1]} 缙云县公安局今年以来查处交通违法行为800起。\n"
        f"{HOSTILE[2]}缙云县公安局今年以来抓获违法犯罪嫌疑人60名。\n"
        f"{HOSTILE[3]} 缙云县公安局1-6月接警数量同比下降12.5%。\n"),
    "2024-06-10_龙泉公安.txt": "龙泉市公安局工作动态\n\n龙泉市公安局1-6月化解矛盾纠纷90起。\n",
    "2024-06-12_莲都公安.txt": "莲都区公安局工作动态\n\n莲都区公安局1-6月化解矛盾纠纷150起。\n",
}
JINYUN = "331122"


def _q(wh, sql, params=()):
    """Rows through figures_effective with the corrections store applied (as the packs read)."""
    from etl.warehouse import connect_read_only
    con = connect_read_only(wh)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _correct(wh, fid, *args):
    proc = run_cli("correct", fid, *args, "--json", "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("marks_src")
    for name, text in BULLETINS.items():
        (src / name).write_text(text, encoding="utf-8")
    wh = tmp_path_factory.mktemp("marks_wh") / "warehouse"
    ingest([src], wh)
    assert (wh / "CURRENT").is_file()
    return wh


def _disputes(wh, county):
    return _q(wh, "SELECT figure_id, value FROM figures_effective WHERE metric = 'disputes_resolved' "
                  "AND county_code = ? ORDER BY published_on DESC", [county])


@pytest.fixture(scope="module")
def corrected(base, tmp_path_factory):
    """(warehouse, figure_id, its value before): 缙云's latest 化解矛盾纠纷 corrected once."""
    wh = tmp_path_factory.mktemp("marks_fixed") / "warehouse"
    shutil.copytree(base, wh, ignore=shutil.ignore_patterns("ingest.lock"))
    rows = _disputes(wh, JINYUN)
    assert [v for _, v in rows] == [120, 100]          # the corpus is what the test thinks
    fid = rows[0][0]
    _correct(wh, fid, "--set", f"value={CORRECTED}", "--by", EDITOR, "--reason", REASON)
    assert _disputes(wh, JINYUN)[0] == (fid, CORRECTED)
    return wh, fid, 120


def _day(wh, fid) -> str:
    """The day a reader sees: the store keeps UTC, pages and packs say Beijing time."""
    from zoneinfo import ZoneInfo
    (at,) = _q(wh, "SELECT reviewed_at FROM figures_effective WHERE figure_id = ?", [fid])[0]
    return at.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def _points(fig):
    """(trace, index in trace, customdata) of every mark that carries customdata."""
    for tr in fig.data:
        for i, c in enumerate(tr.customdata if tr.customdata is not None else []):
            yield tr, i, list(c)


def _at(values, i):
    """A per-point style value (a list, or one value for every point)."""
    return values[i] if isinstance(values, (list, tuple)) else values


# ------------------------------------------------------------------------ charts

def test_ranking_bar_and_map_mark_exactly_the_corrected_county(corrected):
    from dashboard import charts, keymetrics, queries, store
    from dashboard.filters import Filters
    from etl import config
    wh, fid, _ = corrected
    latest = queries.latest_reports(store.current(wh), Filters())
    rank = latest[(latest["metric"] == "disputes_resolved") & (latest["measure"] == "count")
                  & latest["county_level"].astype(bool)]
    assert sorted(rank["county_code"]) == ["331102", JINYUN, "331181"]
    fig = charts.ranking_bar(keymetrics.best_first(rank, "disputes_resolved"), "zh", "化解矛盾纠纷",
                             "disputes_resolved", "count")
    bars = list(_points(fig))
    assert len(bars) == 3
    day = _day(wh, fid)
    for tr, i, custom in bars:
        mine = custom[1] == fid
        assert tr.text[i].endswith(charts.CORRECTED_MARK) is mine
        assert (_at(tr.marker.line.width, i) > 0) is mine
        assert (REASON in tr.hovertext[i] and EDITOR in tr.hovertext[i] and day in tr.hovertext[i]) is mine
        if mine:
            assert tr.x[i] == CORRECTED                      # the bar is drawn at the corrected value
            assert f"经{EDITOR}于{day}更正，理由：{REASON}" in tr.hovertext[i]

    from shapely.geometry import shape
    gj = json.loads((config.REFERENCE_DIR / "zhejiang_counties.geojson").read_text(encoding="utf-8"))
    cent = {ft["properties"]["code"]: (lambda p: (p.x, p.y))(shape(ft["geometry"]).representative_point())
            for ft in gj["features"] if ft["properties"]["code"] in set(rank["county_code"])}
    fig = charts.county_map(rank, gj, "zh", "化解矛盾纠纷", "disputes_resolved", "count", centroids=cent)
    pts = list(_points(fig))
    assert len(pts) == 3
    for tr, i, custom in pts:
        mine = custom[1] == fid
        assert tr.text[i].endswith(charts.CORRECTED_MARK) is mine
        assert (REASON in tr.hovertext[i]) is mine


def test_trends_mark_the_corrected_point_only(corrected):
    from dashboard import charts, queries, store
    from dashboard.filters import Filters
    wh, fid, _ = corrected
    snap = store.current(wh)
    reports = queries.series_reports(snap, Filters(), "disputes_resolved", "count", JINYUN)
    drawn = reports[reports["period_kind"] == "ytd"]
    assert len(drawn) == 2
    fig = charts.comparable_trend(drawn, "zh", "缙云县 · 化解矛盾纠纷", "ytd")
    pts = list(_points(fig))
    assert sorted(c[0] for _, _, c in pts) == sorted(drawn["figure_id"])
    for tr, i, custom in pts:
        mine = custom[0] == fid
        assert (_at(tr.marker.symbol, i) == charts.CORRECTED_SYMBOL) is mine
        assert tr.text[i].endswith(charts.CORRECTED_MARK) is mine
        assert (REASON in tr.hovertext[i] and EDITOR in tr.hovertext[i]) is mine
        if mine:
            assert tr.y[i] == CORRECTED
    # the same series by publication date (another period kind is drawn this way)
    fig = charts.comparable_trend(drawn, "zh", "t", "point")
    marks = [(c[0], tr.text[i]) for tr, i, c in _points(fig)]
    assert [m for m in marks if m[1] == charts.CORRECTED_MARK] == [(fid, charts.CORRECTED_MARK)]

    # the monthly lines: a month's point is its latest report, marked when that was corrected
    tr_df = queries.trend(snap, Filters(), "disputes_resolved", "count")
    fig = charts.trend_lines(tr_df, "zh", {}, "化解矛盾纠纷")
    marked = [(tr.name, tr.x[i]) for tr in fig.data for i, s in enumerate(tr.text or ()) if s == charts.CORRECTED_MARK]
    assert marked == [("缙云县", "2024-06-01")]
    hov = [h for tr in fig.data for h in (tr.hovertext or ()) if REASON in h]
    assert len(hov) == 1 and EDITOR in hov[0]


def test_changes_bar_marks_a_corrected_change(corrected, tmp_path):
    from dashboard import charts, queries, store
    from dashboard.filters import Filters
    wh = tmp_path / "warehouse"
    shutil.copytree(corrected[0], wh, ignore=shutil.ignore_patterns("ingest.lock"))
    (cid,) = _q(wh, "SELECT figure_id FROM figures_effective WHERE measure = 'change'")[0]
    _correct(wh, cid, "--set", "value=15", "--by", "李四", "--reason", "<b>同比</b>口径")
    ch = queries.changes(store.current(wh), Filters())
    fig = charts.changes_bar(ch, "zh", {}, "变化")
    (bar,) = [(tr, i) for tr, i, c in _points(fig) if c[0] == cid]
    tr, i = bar
    assert tr.text[i].endswith(charts.CORRECTED_MARK) and _at(tr.marker.line.width, i) > 0
    assert "&lt;b&gt;同比&lt;/b&gt;口径" in tr.hovertext[i] and "<b>同比</b>" not in tr.hovertext[i]


# ------------------------------------------------------------------------ Excel pack

def _workbook(wh, **kw):
    import openpyxl
    from dashboard.briefing import build_xlsx
    from dashboard.filters import Filters
    return openpyxl.load_workbook(io.BytesIO(build_xlsx(Filters(**kw), wh)))


def _column(ws, name):
    header = [c.value for c in ws[1]]
    return header.index(name)


def test_xlsx_note_column_says_who_corrected_when_and_why(corrected):
    wh, fid, _ = corrected
    wb = _workbook(wh)
    ws = wb["数据明细"]
    note, ident = _column(ws, "更正说明"), _column(ws, "figure_id")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == _q(wh, "SELECT count(*) FROM figures")[0][0]
    notes = {r[ident]: r[note] for r in rows}
    assert notes[fid] == f"经{EDITOR}于{_day(wh, fid)}更正，理由：{REASON}"
    assert all(v is None for k, v in notes.items() if k != fid)
    value = _column(ws, "数值")
    assert [r[value] for r in rows if r[ident] == fid] == [CORRECTED]
    # the county × metric matrix has no column for it: the note rides on the cell
    latest = wb["最新值"]
    commented = [c for line in latest.iter_rows() for c in line if c.comment is not None]
    assert [(c.value, REASON in c.comment.text) for c in commented] == [(CORRECTED, True)]

    wb = _workbook(wh, lang="en")
    ws = wb.worksheets[0]
    note, ident = _column(ws, "Correction"), _column(ws, "figure_id")
    got = {r[ident]: r[note] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert got[fid] == f"corrected by {EDITOR} on {_day(wh, fid)}, reason: {REASON}"


def test_xlsx_text_that_looks_like_a_formula_stays_text(base, tmp_path):
    wh = tmp_path / "warehouse"
    shutil.copytree(base, wh, ignore=shutil.ignore_patterns("ingest.lock"))
    hostile = _q(wh, "SELECT figure_id, sentence FROM figures_effective WHERE county_code = ? "
                     "AND published_on = DATE '2024-06-18' AND metric <> 'disputes_resolved' "
                     "ORDER BY sentence", [JINYUN])
    starts = sorted(next(h for h in HOSTILE if s.startswith(h)) for _, s in hostile)
    assert starts == sorted(HOSTILE)                    # each hostile prefix opens a sentence
    fid = next(f for f, s in hostile if s.startswith(HOSTILE[0]))
    _correct(wh, fid, "--set", "value=36", f"period={PAYLOAD}", "--by", "=HYPERLINK(\"http://x\")",
             "--reason", PAYLOAD)

    raw = io.BytesIO()
    from dashboard.briefing import build_xlsx
    from dashboard.filters import Filters
    raw.write(build_xlsx(Filters(), wh))
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(raw.getvalue()))
    cells = [c for ws in wb.worksheets for line in ws.iter_rows() for c in line if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for _, sentence in hostile:
        assert sentence in texts                        # word for word, no quote or space added
    ws = wb["数据明细"]
    note, ident, period = _column(ws, "更正说明"), _column(ws, "figure_id"), _column(ws, "时期")
    got = {r[ident]: (r[note], r[period]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert got[fid][1] == PAYLOAD                       # a cell that opens with the payload itself
    assert got[fid][0].endswith(f"理由：{PAYLOAD}") and '=HYPERLINK("http://x")' in got[fid][0]
    # and in the file itself no cell is a formula (<f>): openpyxl's reading is not the only one
    import zipfile
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)


# ------------------------------------------------------------------------ overview card

def test_overview_key_card_shows_the_corrected_value(corrected, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest
    from dashboard import cards
    wh, fid, before = corrected
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "no_accounts.sqlite"))  # open, single admin
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
    at.query_params["counties"] = JINYUN
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    row = {"measure": "count", "value": CORRECTED, "unit": "起", "qualifier": None}
    want, old = cards.value_text(row, "zh"), cards.value_text({**row, "value": before}, "zh")
    assert want != old
    card = [m for m in at.metric if m.label.startswith("化解矛盾纠纷")]
    assert [m.value for m in card] == [want]


# ------------------------------------------------------------------ the sign's legend

def _legend(fig):
    """Names of the traces that draw nothing: the legend entries that explain a sign."""
    return [tr.name for tr in fig.data if list(tr.x or ()) == [None]]


def test_a_chart_explains_the_sign_only_when_it_draws_a_corrected_value(base, corrected):
    from dashboard import charts, i18n, keymetrics, queries, store
    from dashboard.filters import Filters

    def ranking(wh, lang):
        latest = queries.latest_reports(store.current(wh), Filters())
        rank = latest[(latest["metric"] == "disputes_resolved") & latest["county_level"].astype(bool)]
        return charts.ranking_bar(keymetrics.best_first(rank, "disputes_resolved"), lang, "t",
                                  "disputes_resolved", "count")

    def lines(wh, lang):
        return charts.trend_lines(queries.trend(store.current(wh), Filters(), "disputes_resolved", "count"),
                                  lang, {}, "t")

    for lang in ("zh", "en"):
        legend = i18n.t("corrected_legend", lang)
        assert legend.startswith(charts.CORRECTED_MARK)
        for draw in (ranking, lines):
            assert _legend(draw(corrected[0], lang)) == [legend], (draw.__name__, lang)
            assert _legend(draw(base, lang)) == [], (draw.__name__, lang)   # nothing corrected: no entry
    # a click never lands on the legend entry: it carries nothing
    fig = ranking(corrected[0], "zh")
    assert [tr.customdata for tr in fig.data if tr.name == i18n.t("corrected_legend", "zh")] == [None]


# ------------------------------------------- who, when, why: the corrections, not the last record

@pytest.fixture(scope="module")
def corrected_then_confirmed(base, tmp_path_factory):
    """缙云's latest 化解矛盾纠纷: value corrected by 张三, unit by 王五, then confirmed by 李四."""
    wh = tmp_path_factory.mktemp("marks_confirmed") / "warehouse"
    shutil.copytree(base, wh, ignore=shutil.ignore_patterns("ingest.lock"))
    fid = _disputes(wh, JINYUN)[0][0]
    _correct(wh, fid, "--set", f"value={CORRECTED}", "--by", EDITOR, "--reason", REASON)
    _correct(wh, fid, "--set", "unit=件", "--by", "王五", "--reason", "单位应为件")
    _correct(wh, fid, "--confirm", "--by", "李四", "--reason", "复核无误")
    return wh, fid


def test_marks_name_the_corrections_even_after_a_later_confirmation(corrected_then_confirmed):
    from dashboard import charts, keymetrics, queries, store
    from dashboard.filters import Filters
    wh, fid = corrected_then_confirmed
    day = _day(wh, fid)
    (by, reason), = _q(wh, "SELECT reviewed_by, review_reason FROM figures_effective WHERE figure_id = ?", [fid])
    assert (by, reason) == ("李四", "复核无误")          # the last record is the confirmation
    zh = (f"经{EDITOR}于{day}更正，理由：{REASON}；经王五于{day}更正，理由：单位应为件；"
          f"其后经李四于{day}确认")
    en = (f"corrected by {EDITOR} on {day}, reason: {REASON}; corrected by 王五 on {day}, "
          f"reason: 单位应为件; later confirmed by 李四 on {day}")

    latest = queries.latest_reports(store.current(wh), Filters())
    rank = latest[(latest["metric"] == "disputes_resolved") & latest["county_level"].astype(bool)]
    for lang, want, change in (("zh", zh, "数值：120 → 4321；单位：起 → 件"),
                               ("en", en, "value: 120 → 4321; unit: 起 → 件")):
        fig = charts.ranking_bar(keymetrics.best_first(rank, "disputes_resolved"), lang, "t",
                                 "disputes_resolved", "count")
        (hover,) = [tr.hovertext[i] for tr, i, c in _points(fig) if c[1] == fid]
        assert want in hover and change in hover, hover
        assert "复核无误" not in hover                  # the confirmation's reason is not the why

    # the Excel note, and the appendix of the PowerPoint and Word packs, say the same
    ws = _workbook(wh)["数据明细"]
    note, ident = _column(ws, "更正说明"), _column(ws, "figure_id")
    assert {r[ident]: r[note] for r in ws.iter_rows(min_row=2, values_only=True)}[fid] == zh
    ws = _workbook(wh, lang="en").worksheets[0]
    note, ident = _column(ws, "Correction"), _column(ws, "figure_id")
    assert {r[ident]: r[note] for r in ws.iter_rows(min_row=2, values_only=True)}[fid] == en

    from docx import Document
    from pptx import Presentation
    from dashboard.briefing import build_docx, build_pptx
    deck = Presentation(io.BytesIO(build_pptx(Filters(), wh)))
    appendix = [s for s in deck.slides
                if any(sh.has_text_frame and sh.text_frame.text.startswith("附录") for sh in s.shapes)]
    assert appendix
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in appendix)
    assert f"（{zh}）" in notes
    doc = Document(io.BytesIO(build_docx(Filters(), wh)))
    paras = [p.text for p in doc.paragraphs]
    head = paras.index("附录：来源文件")
    cited = [p for p in paras[head:] if zh in p]
    assert len(cited) == 1 and cited[0].endswith(f"，{zh}"), paras[head:head + 8]


# -------------------------------------------------------- the figures table and source tables

@pytest.mark.parametrize("lang, want", [
    ("zh", "✎ 经张三于{day}更正，理由：原文数字误读"),
    ("en", "✎ corrected by 张三 on {day}, reason: 原文数字误读")])
def test_figures_table_marks_the_corrected_row_beside_its_corrected_value(corrected, monkeypatch, tmp_path,
                                                                          lang, want):
    from streamlit.testing.v1 import AppTest
    from dashboard.i18n import t
    wh, fid, before = corrected
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "no_accounts.sqlite"))
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    df = at.dataframe[0].value
    col, ident, value = t("col_correction", lang), t("col_figure_id", lang), t("col_value", lang)
    cols = list(df.columns)
    assert cols.index(col) == cols.index(t("col_figure", lang)) + 1    # right beside the figure as read
    mine = df[df[ident] == fid]
    assert list(mine[value]) == [CORRECTED] and list(mine[col]) == [want.format(day=_day(wh, fid))]
    assert set(df.loc[df[ident] != fid, col]) == {""}


# ------------------------------------------- local time, and the deck's native charts

#: a correction made at 01:30 on 8 December in Hangzhou: still 7 December in UTC
LATE_UTC = "2026-12-07T17:30:00+00:00"


@pytest.fixture(scope="module")
def late_correction(base, tmp_path_factory):
    """缙云's latest 化解矛盾纠纷 corrected by the real command line, its record's time then set
    to LATE_UTC in the store (before anything in this process reads the log)."""
    import sqlite3
    wh = tmp_path_factory.mktemp("marks_late") / "warehouse"
    shutil.copytree(base, wh, ignore=shutil.ignore_patterns("ingest.lock"))
    fid = _disputes(wh, JINYUN)[0][0]
    _correct(wh, fid, "--set", f"value={CORRECTED}", "--by", EDITOR, "--reason", REASON)
    con = sqlite3.connect(wh / "corrections.sqlite")
    with con:
        con.execute("UPDATE corrections SET at = ? WHERE figure_id = ?", (LATE_UTC, fid))
    con.close()
    return wh, fid


def _effective_row(wh, fid) -> dict:
    from etl.warehouse import connect_read_only
    con = connect_read_only(wh)
    try:
        cur = con.execute("SELECT * FROM figures_effective WHERE figure_id = ?", [fid])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone()))
    finally:
        con.close()


def test_correction_times_read_in_beijing_time_while_the_store_keeps_utc(late_correction, monkeypatch):
    import sqlite3
    from dashboard import correction_text, review
    from etl import corrections as corr
    wh, fid = late_correction
    monkeypatch.delenv("PINGAN_TZ", raising=False)
    con = sqlite3.connect(wh / "corrections.sqlite")
    assert con.execute("SELECT at FROM corrections WHERE figure_id = ?", (fid,)).fetchall() == [(LATE_UTC,)]
    con.close()
    row = _effective_row(wh, fid)
    assert row["reviewed_at"] == dt.datetime(2026, 12, 7, 17, 30)          # the view keeps UTC too
    hist = corr.history(wh, fid)

    def shown(lang):
        frame = review.history_frame(hist, lang)
        (col,) = [c for c in frame.columns if c.startswith(("时间", "At"))]
        return correction_text.statement(row, lang), col, frame[col].tolist()

    assert shown("zh") == (f"经{EDITOR}于2026-12-08更正，理由：{REASON}", "时间（北京时间）", ["2026-12-08 01:30"])
    assert shown("en") == (f"corrected by {EDITOR} on 2026-12-08, reason: {REASON}", "At (Beijing time)",
                           ["2026-12-08 01:30"])
    monkeypatch.setenv("PINGAN_TZ", "UTC")
    assert shown("zh") == (f"经{EDITOR}于2026-12-07更正，理由：{REASON}", "时间（UTC）", ["2026-12-07 17:30"])
    monkeypatch.setenv("PINGAN_TZ", "Europe/Berlin")
    assert shown("en")[1:] == ("At (Europe/Berlin)", ["2026-12-07 18:30"])
    monkeypatch.setenv("PINGAN_TZ", "Mars/Olympus_Mons")          # unknown: Beijing time, and it says so
    assert shown("zh")[1:] == ("时间（北京时间）", ["2026-12-08 01:30"])


def test_deck_marks_the_corrected_bar_on_its_native_chart_and_says_so_in_its_legend(late_correction,
                                                                                   monkeypatch):
    """Opened with python-pptx: on the 化解矛盾纠纷 chart exactly 缙云's bar carries ✎ and a dark
    outline, that slide's legend line explains it, slides with nothing corrected do not; the
    speaker notes date the correction in Beijing time."""
    from pptx import Presentation
    from pptx.enum.dml import MSO_FILL
    from dashboard import i18n
    from dashboard.briefing import build_pptx
    from dashboard.filters import Filters
    wh, fid = late_correction
    monkeypatch.delenv("PINGAN_TZ", raising=False)
    deck = Presentation(io.BytesIO(build_pptx(Filters(), wh)))
    legend = i18n.t("corrected_legend_pack", "zh")
    bars, legends, notes = {}, {}, ""
    for slide in deck.slides:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        for sh in slide.shapes:
            if not sh.has_chart:
                continue
            title = texts[0]
            series = sh.chart.plots[0].series[0]
            for name, pt_i in zip(sh.chart.plots[0].categories, range(len(series.values))):
                pt = series.points[pt_i]
                outlined = pt.format.line.fill.type == MSO_FILL.SOLID
                bars[(title, name)] = (pt.data_label.text_frame.text, outlined,
                                       str(pt.format.line.color.rgb) if outlined else None, series.values[pt_i])
            legends[title] = any(legend in t for t in texts)
        if slide.has_notes_slide:
            notes += slide.notes_slide.notes_text_frame.text + "\n"
    marked = {k: v for k, v in bars.items() if v[0].endswith(" ✎")}
    assert list(marked) == [("化解矛盾纠纷", "缙云县")], bars
    label, outlined, color, value = marked[("化解矛盾纠纷", "缙云县")]
    assert outlined and color == "111111" and value == CORRECTED and label.startswith(str(CORRECTED))
    assert not any(v[1] for k, v in bars.items() if k not in marked)     # no other bar is outlined
    assert {t for t, has in legends.items() if has} == {"化解矛盾纠纷"}
    # a deck about the corrected bar's one county draws its other metrics too (one bar each):
    # the legend stands on the corrected chart only
    county = _q(wh, "SELECT county_code FROM figures_effective WHERE figure_id = ?", [fid])[0][0]
    one = Presentation(io.BytesIO(build_pptx(Filters(counties=(county,)), wh)))
    charted = {}
    for slide in one.slides:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        if any(sh.has_chart for sh in slide.shapes):
            charted[texts[0]] = any(legend in t for t in texts)
    assert len(charted) >= 2 and {t for t, has in charted.items() if has} == {"化解矛盾纠纷"}, charted
    assert f"经{EDITOR}于2026-12-08更正，理由：{REASON}" in notes
