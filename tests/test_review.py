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
    # progress: reviewed / in queue
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["已审核", "待审核"]
    assert at.metric[0].value == "0"
    # open mode says so
    assert any("未配置账户" in i.value for i in at.info)


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
