"""The Review page in the real app (AppTest): the queue, corrections made through the page,
and what they change on the other pages and in the PowerPoint pack."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from support import query

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def wh(monkeypatch, warehouse_copy, tmp_path):
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_copy))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "no_accounts.sqlite"))  # open, single admin
    return warehouse_copy


def app(page: str) -> AppTest:
    # The page file itself, as AppTest's own runner: through app.py, AppTest resets
    # Streamlit's legacy-pages flag on every run (app_test.py), so each run is rerun once
    # by leave_legacy_pages_mode and a click is lost. A real server decides it once.
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def by_label(elements, label):
    hits = [e for e in elements if e.label == label]
    assert hits, f"no widget labelled {label!r}: {[e.label for e in elements]}"
    return hits[0]


def button(at, label):
    return by_label(at.button, label)


def key_figure(wh, overview):
    """The newest report of the series the overview's trend chart shows by default (a place
    and a date): drawn on that chart and among the pack's key metrics."""
    metric, measure = overview.selectbox(key="ov_metric").value.split("|")
    place, kind = overview.selectbox(key="ov_place").value, overview.selectbox(key="ov_kind").value
    fid, value = query(wh, """
        SELECT figure_id, value FROM figures_effective
        WHERE metric = ? AND measure = ? AND coalesce(county_code, county, city_code, province) = ?
          AND period_kind = ? AND published_on IS NOT NULL
        ORDER BY published_on DESC, synthetic ASC, bulletin_id DESC, start DESC LIMIT 1""",
                       [metric, measure, place, kind])[0]
    return fid, value


def correct_through_page(at, fid, value, reason):
    at.text_input(key="rv_goto").input(fid).run()
    assert at.selectbox(key="rv_pick").value == fid
    by_label(at.text_input, "数值").input(value)
    [r for r in at.text_input if r.key and r.key.startswith(f"rv_c_reason_{fid}")][0].input(reason)
    button(at, "保存更正").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已记录" in s.value for s in at.success), [e.value for e in at.error]
    return at


def pptx_numbers(wh) -> tuple[set[float], str]:
    from pptx import Presentation
    from dashboard.briefing import build_pptx
    from dashboard.filters import Filters
    deck = Presentation(io.BytesIO(build_pptx(Filters(), wh)))
    values, text = set(), []
    for slide in deck.slides:
        if slide.has_notes_slide:  # sources and corrections are in the speaker notes
            text.append(slide.notes_slide.notes_text_frame.text)
        for shape in slide.shapes:
            if shape.has_chart:
                for plot in shape.chart.plots:
                    for series in plot.series:
                        values.update(v for v in series.values if v is not None)
            if shape.has_text_frame:
                text.append(shape.text_frame.text)
            if shape.has_table:
                text.extend(c.text for row in shape.table.rows for c in row.cells)
    return values, "\n".join(text)


def has(values, v) -> bool:
    """v among chart values, also as the pack scales money (万元, 亿元), as a magnitude (a
    fall is drawn below zero)."""
    return any(abs(abs(x) - v / d) < 1e-6 * max(1.0, abs(v / d)) for x in values for d in (1, 1e4, 1e8))


def chart_values(at) -> set[float]:
    """Every y value drawn by the page's Plotly charts (from the figure JSON), as a
    magnitude: a reported fall ("下降9.1%", value 9.1) is drawn as −9.1 on a change chart."""
    import json
    out = set()
    for c in at.get("plotly_chart"):
        for trace in json.loads(c.proto.spec).get("data", []):
            ys = trace.get("y")
            if isinstance(ys, dict):  # plotly's typed-array encoding
                import base64
                import numpy as np
                ys = np.frombuffer(base64.b64decode(ys["bdata"]), dtype=ys["dtype"]).tolist()
            out.update(abs(float(v)) for v in (ys or []) if isinstance(v, (int, float)))
    return out


def test_queue_shows_weakest_evidence_first_with_reasons(wh):
    at = app("pages/review.py")
    assert at.title[0].value == "审核"
    table = at.dataframe[0].value
    assert len(table) > 0
    flags = table["存疑原因"].tolist()
    assert all(flags), "every queued figure says why it is there"
    assert any("未归类" in x for x in flags)
    # weakest evidence first: the weights of the reasons shown never rise down the table
    from dashboard import i18n, review
    weight = {i18n.t("rv_flag_" + n): review.WEIGHTS[n] for n in review.FLAGS}
    scores = [sum(weight[w] for w in x.split("、")) for x in flags]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1], scores[:5] + scores[-5:]
    # progress: reviewed / in queue
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["已审核", "待审核"]
    assert at.metric[0].value == "0"
    # open mode says so
    assert any("未配置账户" in i.value for i in at.info)


def assert_word_marks_the_correction(wh, new: float) -> None:
    """The Word 简报's picture of the corrected key metric carries ✎ on the bar's label and the
    dark outline, and its legend says what they mean (the picture itself is drawn by Chromium:
    checked here as the figure it is drawn from)."""
    import docx
    from dashboard import charts
    from dashboard.briefing import docx_pack
    from dashboard.briefing.collect import collect
    from dashboard.filters import Filters
    pack = collect(Filters(), wh)
    k = next(k for k in pack.key_metrics if any(charts.is_corrected(r) for _, r in k.rows.iterrows()))
    bars = [tr for tr in docx_pack._chart(pack, k).data if tr.type == "bar"]
    marked = [(lab, w) for tr in bars for lab, w in zip(tr.text, tr.marker.line.width)]
    assert [w for lab, w in marked if charts.CORRECTED_MARK in lab] == [2.5], marked
    assert sum(1 for _, w in marked if w) == 1, "only the corrected bar is outlined"
    doc = docx.Document()
    docx_pack._legend(doc, pack, k)
    assert "已人工更正" in doc.paragraphs[-1].text


def test_correction_changes_chart_and_pptx_and_undo_restores(wh):
    overview = app("pages/overview.py")
    fid, old = key_figure(wh, overview)
    new = 918273.0
    before = chart_values(overview)
    assert old in before and new not in before
    values, _ = pptx_numbers(wh)
    assert has(values, old) and not has(values, new)

    at = correct_through_page(app("pages/review.py"), fid, f"{new:g}", "原文核对为新值")
    # recorded with the signed-in user's name (open mode: the single local admin)
    assert query(wh, 'SELECT "by", field, after, reason FROM corrections') == [
        ("admin (local)", "value", f"{new:g}", "原文核对为新值")]

    over = app("pages/overview.py")
    assert new in chart_values(over), "the trend chart shows the corrected value"
    values, text = pptx_numbers(wh)
    assert has(values, new) and not has(values, old), "the pack's chart shows the corrected value"
    assert "经admin (local)于" in text and "更正，理由：原文核对为新值" in text, "the appendix says who, when, why"
    assert_word_marks_the_correction(wh, new)

    # undo through the page: the figure is back as extracted, everywhere
    at.selectbox(key="rv_pick").select(fid).run()
    undo = [b for b in at.button if b.label == "撤销"][0]
    undo.click().run()
    assert any("已撤销" in s.value for s in at.success)
    values, _ = pptx_numbers(wh)
    assert has(values, old) and not has(values, new)
    assert new not in chart_values(app("pages/overview.py"))


def test_batch_reject_removes_figures_from_every_page(wh):
    at = app("pages/review.py")
    queued = at.dataframe[0].value["数字编号"].tolist()[:2]
    at.multiselect(key="rv_batch_pick").set_value(queued).run()
    at.text_input(key="rv_batch_reason").input("个案细节，非工作成效")  # a form: sent with its button
    button(at, "剔除所选 2 条").click().run()
    assert any("已记录 2 条" in s.value for s in at.success)
    assert query(wh, "SELECT count(*) FROM figures_effective WHERE figure_id IN (?, ?)", queued) == [(0,)]
    assert at.dataframe[0].value["数字编号"].isin(queued).sum() == 0
    for page in ("pages/figures.py", "pages/quality.py"):
        shown = "\n".join(df.value.to_csv() for df in app(page).dataframe)
        assert not any(fid in shown for fid in queued), page
    # progress counts the rejections
    assert by_label(at.metric, "已剔除").value == "2"


def test_confirm_needs_a_reason_and_records_it(wh):
    at = app("pages/review.py")
    fid = at.selectbox(key="rv_pick").value
    button(at, "确认无误").click().run()
    assert any("请填写理由" in e.value for e in at.error)
    assert query(wh, "SELECT count(*) FROM corrections") == [(0,)]
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_v_reason_{fid}")][0].input("核对原文无误")
    button(at, "确认无误").click().run()
    assert query(wh, "SELECT action, figure_id FROM corrections") == [("confirm", fid)]
    assert query(wh, "SELECT review_status FROM figures_effective WHERE figure_id = ?", [fid]) == [("confirmed",)]


def test_bad_correction_is_refused_on_the_page(wh):
    at = app("pages/review.py")
    fid = at.selectbox(key="rv_pick").value
    by_label(at.text_input, "通报日期（YYYY-MM-DD）").input("2024-02-30")
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_c_reason_{fid}")][0].input("日期")
    button(at, "保存更正").click().run()
    assert any("field 'date'" in e.value and "not a date" in e.value for e in at.error)
    assert query(wh, "SELECT count(*) FROM corrections") == [(0,)]


def test_sentence_with_markup_is_shown_as_text(wh):
    fid = query(wh, "SELECT figure_id FROM figures WHERE sentence LIKE '%<script>%' LIMIT 1")[0][0]
    at = app("pages/review.py")
    at.text_input(key="rv_goto").input(fid).run()
    md = [m.value for m in at.markdown if "script" in m.value]
    assert md and all("\\<script\\>" in m for m in md), md  # escaped: shown, never run


PAGES = ("pages/overview.py", "pages/counties.py", "pages/initiatives.py", "pages/figures.py",
         "pages/quality.py", "pages/review.py")


def shown(at) -> str:
    """Everything a page shows in its tables and charts (chart JSON holds each mark's ids)."""
    return "\n".join([df.value.to_csv() for df in at.dataframe] + [c.proto.spec for c in at.get("plotly_chart")])


def test_rejecting_a_charted_figure_removes_it_from_every_page_and_pack(wh):
    import json
    import openpyxl
    from dashboard.briefing import build_xlsx
    from dashboard.filters import Filters
    counties = app("pages/counties.py")
    ranking = [json.loads(c.proto.spec) for c in counties.get("plotly_chart")][0]
    fid = next(c[1] for tr in ranking["data"] for c in (tr.get("customdata") or []) if len(c) > 1)
    before = {page: shown(app(page)) for page in PAGES if page != "pages/counties.py"}
    before["pages/counties.py"] = shown(counties)
    assert fid in before["pages/counties.py"] and fid in before["pages/figures.py"]

    def pack_ids():
        wb = openpyxl.load_workbook(io.BytesIO(build_xlsx(Filters(), wh)))
        return {c.value for ws in wb.worksheets for line in ws.iter_rows() for c in line}
    assert fid in pack_ids()

    at = app("pages/review.py")
    at.text_input(key="rv_goto").input(fid).run()
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_v_reason_{fid}")][0].input("个案细节")
    button(at, "剔除（非工作成效数字）").click().run()
    assert any("已记录 1 条" in s.value for s in at.success)
    for page in PAGES:
        assert fid not in shown(app(page)), page
    assert fid not in pack_ids()


def test_progress_follows_each_review(wh):
    at = app("pages/review.py")
    queued = int(by_label(at.metric, "待审核").value.replace(",", ""))
    assert by_label(at.metric, "已审核").value == "0" and queued > 1
    assert at.get("progress")[0].proto.text == f"已审核 0 / {queued} 条存疑数字"
    two = at.dataframe[0].value["数字编号"].tolist()[:2]   # several rows confirmed at once
    at.multiselect(key="rv_batch_pick").set_value(two).run()
    at.text_input(key="rv_batch_reason").input("核对原文无误")
    button(at, "确认所选 2 条").click().run()
    assert query(wh, 'SELECT action, "by", reason FROM corrections ORDER BY figure_id') == [
        ("confirm", "admin (local)", "核对原文无误")] * 2
    assert by_label(at.metric, "已审核").value == "2"
    assert int(by_label(at.metric, "待审核").value.replace(",", "")) == queued - 2
    assert at.get("progress")[0].proto.text == f"已审核 2 / {queued} 条存疑数字"
    assert not set(two) & set(at.dataframe[0].value["数字编号"])   # they left the queue


def test_sidebar_filters_apply_to_the_queue_on_the_page(wh):
    at = app("pages/review.py")
    ids = at.dataframe[0].value["数字编号"].tolist()
    places = dict(query(wh, f"SELECT figure_id, county_code FROM figures_effective WHERE figure_id IN "
                            f"({', '.join('?' * len(ids))})", ids))
    county = next(c for c in places.values() if c)
    assert {c for c in places.values()} - {county}, "the unfiltered queue holds other places too"
    n_all = int(by_label(at.metric, "待审核").value.replace(",", ""))

    at = AppTest.from_file(str(ROOT / "pages/review.py"), default_timeout=120)
    at.query_params["counties"] = county
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="f_counties").value == [county]
    ids = at.dataframe[0].value["数字编号"].tolist()
    assert ids and {c for (c,) in query(wh, f"SELECT DISTINCT county_code FROM figures_effective WHERE figure_id IN "
                                            f"({', '.join('?' * len(ids))})", ids)} == {county}
    assert int(by_label(at.metric, "待审核").value.replace(",", "")) == len(ids) < n_all


def test_correction_survives_reingest_and_its_orphan_is_listed_on_the_page(wh, tmp_path):
    from support import run_cli
    src = tmp_path / "in"
    src.mkdir()
    bulletin = src / "2024-05-06_缙云公安简报.txt"
    bulletin.write_text("缙云公安深化矛盾化解\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷1200起。\n", encoding="utf-8")
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    fid = query(wh, "SELECT figure_id FROM figures WHERE source LIKE ?", ["%缙云公安简报%"])[0][0]
    correct_through_page(app("pages/review.py"), fid, "1300", "核对原文")

    # another bulletin: a new snapshot, and the correction still shows, marked, on the pages
    (src / "2024-05-07_景宁公安简报.txt").write_text(
        "景宁公安\n\n本报讯 今年以来，景宁县公安局组建巡逻队伍12支。\n", encoding="utf-8")
    snap = (wh / "CURRENT").read_text()
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    assert (wh / "CURRENT").read_text() != snap
    at = AppTest.from_file(str(ROOT / "pages/figures.py"), default_timeout=120)
    at.query_params["q"] = "1200起"
    at.run()
    rows = at.dataframe[0].value
    mine = rows[rows["数字编号"] == fid]
    assert list(mine["数值"]) == [1300] and mine["更正说明"].iloc[0].startswith("✎ 经admin (local)于")

    # the bulletin is rewritten (its figure gets another id): the correction is listed, not lost
    bulletin.write_text("缙云公安深化矛盾化解（更新）\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷1250起。\n",
                        encoding="utf-8")
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    assert query(wh, "SELECT count(*) FROM figures WHERE figure_id = ?", [fid]) == [(0,)]
    at = app("pages/review.py")
    orphans = [df.value for df in at.dataframe if "数字编号" in df.value.columns and fid in set(df.value["数字编号"])]
    assert len(orphans) == 1
    row = orphans[0][orphans[0]["数字编号"] == fid].iloc[0]
    assert (row["操作"], row["字段"], row["新值"], row["原因"], row["操作人"]) == (
        "更正", "数值", "1300", "核对原文", "admin (local)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_figure_is_described_in_words_not_codes(wh, lang):
    from dashboard import i18n
    from support import run_cli
    fid = query(wh, "SELECT figure_id FROM figures_effective WHERE county_code IS NOT NULL AND measure = 'count' "
                    "AND metric <> 'other' AND initiative IS NOT NULL ORDER BY figure_id LIMIT 1")[0][0]
    assert run_cli("correct", fid, "--set", "measure=rate", "--by", "张三", "--reason", "口径",
                   "--warehouse", wh).returncode == 0
    at = AppTest.from_file(str(ROOT / "pages/review.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.text_input(key="rv_goto").input(fid).run()
    assert not at.exception, [e.message for e in at.exception]
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    decided = next(df.value for df in at.dataframe if t("rv_col_decided") in df.value.columns)
    got = dict(zip(decided[t("col_field")], decided[t("rv_col_decided")]))
    fig = query(wh, "SELECT metric, initiative, county_code, place_source, metric_source FROM figures_effective "
                    "WHERE figure_id = ?", [fid])[0]
    for code in (fig[0], fig[1], fig[3], fig[4]):   # no code of the warehouse is the answer, only words
        assert code not in got.values(), (code, got)
    # the place by its name, its GB code beside it (the one code kept: staff type it to correct)
    assert any(v.startswith(i18n.place(p, lang)) and fig[2] in v for v in got.values()
               for (p,) in query(wh, "SELECT county FROM figures_effective WHERE figure_id = ?", [fid]))
    label = (lambda s: s[:1].upper() + s[1:]) if lang == "en" else (lambda s: s)
    assert got[label(t("corr_field_measure"))] == i18n.measure("rate", lang)
    assert got[label(t("rv_field_place_source"))] == i18n.evidence(fig[3], lang)
    history = next(df.value for df in at.dataframe if t("col_action") in df.value.columns)
    assert history[t("col_action")].tolist() == [label(i18n.action("correct", lang))]
    assert history[t("col_before")].tolist() == ["count"] or lang == "zh"
    statement = [c.value for c in at.caption if c.value.startswith("✎")]
    assert statement and ("经张三于" in statement[0] if lang == "zh" else "corrected by 张三 on" in statement[0])


def test_metric_initiative_and_qualifier_are_corrected_from_lists(wh):
    """The pickers show names and store the taxonomy's codes (as the command line does)."""
    from dashboard import i18n
    fid = query(wh, "SELECT figure_id FROM figures_effective WHERE metric = 'disputes_resolved' AND qualifier IS NULL "
                    "ORDER BY figure_id LIMIT 1")[0][0]
    at = app("pages/review.py")
    at.text_input(key="rv_goto").input(fid).run()
    metric = by_label(at.selectbox, "指标")
    assert metric.value == "disputes_resolved" and "化解矛盾纠纷" in metric.options
    assert len(set(metric.options)) == len(metric.options), "two metrics read the same"
    metric.select("patrol_teams")
    by_label(at.selectbox, "专项工作").select("sida")
    by_label(at.selectbox, "限定词").select("余")
    [r for r in at.text_input if r.key and r.key.startswith(f"rv_c_reason_{fid}")][0].input("指标与限定词改正")
    button(at, "保存更正").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert sorted(query(wh, 'SELECT field, "after" FROM corrections')) == [
        ("initiative", "sida"), ("metric", "patrol_teams"), ("qualifier", "余")]
    assert query(wh, "SELECT metric, category, initiative, qualifier FROM figures_effective WHERE figure_id = ?",
                 [fid]) == [("patrol_teams", "teams", "sida", "余")]
    assert by_label(at.selectbox, "指标").value == "patrol_teams"
    assert i18n.t("rv_status_corrected") in at.dataframe[0].value["审核状态"].tolist()
