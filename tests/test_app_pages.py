"""Every page of the real app, run by AppTest against a warehouse built by the real ingest."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from support import HOSTILE_FILE, REFUSED_FILE

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"overview": "pages/overview.py", "counties": "pages/counties.py",
         "initiatives": "pages/initiatives.py", "figures": "pages/figures.py",
         "quality": "pages/quality.py"}
TITLES_ZH = {"overview": "总览", "counties": "区县对比", "initiatives": "专项工作",
             "figures": "数据明细", "quality": "数据质量"}


def run_app(page: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page:
        at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    for c in at.get("plotly_chart"):
        if c.proto.id.endswith("-" + key):
            return json.loads(c.proto.spec)
    raise AssertionError(f"no chart {key}: {[c.proto.id for c in at.get('plotly_chart')]}")


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_title_and_no_error(app_env, page):
    at = run_app(page)
    assert [t.value for t in at.title] == [TITLES_ZH[page]]
    assert not at.error
    # the sidebar filters are on every page (stable keys for the browser suite)
    assert at.sidebar.checkbox(key="f_demo").value is True
    assert at.sidebar.radio(key="f_lang").value == "zh"


def test_page_file_run_alone_sets_itself_up(app_env):
    """Legacy auto-discovery may run a page without app.py: it must still work."""
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=90)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == ["数据明细"]
    assert len(at.dataframe) >= 1


def test_overview_kpis_and_key_metrics(app_env):
    at = run_app("overview")
    tiles = {m.label: m.value for m in at.metric}
    assert int(tiles["通报数"]) >= 3          # sample + hostile + demo bulletins
    assert "数字条数" not in tiles            # counts of extracted figures live on the quality page
    assert int(tiles["有报告的地区"]) >= 5
    assert tiles["最新通报日期"][:2] == "20"
    assert len(tiles) >= 5                    # key metric cards follow the three tiles
    assert not any(c.value.startswith("另有 0 ") for c in at.caption)   # nothing said about none
    trend = chart(at, "ov_trend")
    assert trend["data"] and all(tr["mode"].startswith("lines+markers") for tr in trend["data"])


def test_figures_page_shows_jinyun_6300_disputes_with_its_sentence(app_env):
    at = run_app("figures", {"q": "6300"})
    assert at.text_input(key="fi_search").value == "6300"
    df = frames(at)[0]
    hit = df[df["原文数字"].astype(str).str.contains("6300余")]
    assert len(hit) >= 1, df.head()
    row = hit.iloc[0]
    assert "缙云" in row["地区"]
    assert "化解纠纷【6300余起】" in row["原文"]
    # the grid shows the sentence around its figure (the whole sentence is the row's detail)
    assert "化解纠纷【6300余起】" in row["原文（摘录）"] and len(row["原文（摘录）"]) < 40
    assert row["数字"] == "6300余起"
    assert row["数值"] == 6300
    assert row["指标"] == "化解矛盾纠纷"
    # both downloads offered for the rows shown
    labels = [b.proto.label for b in at.get("download_button")]
    assert [x for x in labels if x.startswith("下载")] == ["下载 CSV", "下载 Excel"]
    # and the briefing packs of the current view, in the sidebar of every page
    assert {"PowerPoint 汇报", "Excel 数据表", "Word 简报"} <= set(labels)


def _bars(spec):
    ys, xs, hover = [], [], []
    for tr in spec["data"]:
        ys += tr["y"]; xs += tr["x"]; hover += tr["hovertext"]
    return ys, xs, hover


def test_counties_ranking_is_ordered_best_first_with_names_beside_bars(app_env):
    at = run_app("counties", {"metric": "disputes_resolved|count"})
    assert at.selectbox(key="co_metric").value == "disputes_resolved|count"
    spec = chart(at, "co_ranking")
    order = spec["layout"]["yaxis"]["categoryarray"]
    assert len(order) >= 2
    names, values, hover = _bars(spec)
    by = dict(zip(names, values))
    ranked = [by[n] for n in order]
    assert ranked == sorted(ranked, reverse=True)      # more disputes resolved is better: on top
    # the sample's 缙云 (6300余起, no period stated) is ranked, or listed apart when another
    # period is the one compared (dashboard.comparable): never dropped
    others = [d.value for e in at.expander if e.label.startswith("其他期间") for d in e.dataframe]
    assert any(n.startswith("缙云") for n in names) or any(
        str(x).startswith("缙云") for o in others for x in o.iloc[:, 0]), (names, others)
    assert all("原文数字" in h and "通报日期" in h for h in hover)
    assert spec["layout"]["showlegend"] is True and all(tr["orientation"] == "h" for tr in spec["data"])
    m = chart(at, "co_map")
    # drawn offline as plain shapes (no tiles, no web fonts), every county named, no-data in the legend
    assert "map" not in m["layout"] and all(tr["type"] == "scatter" for tr in m["data"])
    names = [x for tr in m["data"] if "text" in tr.get("mode", "") for x in tr.get("text", [])]
    # counties named where names do not run into each other (tests/browser/test_map_labels.py)
    assert "缙云" in names and len(names) >= 60
    assert any(tr.get("name") == "无数据" and tr.get("showlegend") for tr in m["data"])
    assert any(tr.get("customdata") for tr in m["data"])       # a county's point opens its sources


def test_counties_never_sums_across_bulletins(app_env, warehouse_dir):
    """The ranking value of a county is one reported figure, not a total of several."""
    from etl.warehouse import connect_read_only
    con = connect_read_only(warehouse_dir)
    try:
        rows = con.execute("SELECT county, value FROM figures WHERE metric = 'disputes_resolved' "
                           "AND measure = 'count' AND county IS NOT NULL").fetchall()
    finally:
        con.close()
    reported = {}
    for county, value in rows:
        reported.setdefault(county, set()).add(value)
    names, values, _ = _bars(chart(run_app("counties", {"metric": "disputes_resolved|count"}), "co_ranking"))
    for county, x in zip(names, values):
        assert x in reported[county], (county, x, reported[county])


def test_initiatives_page_treemap_and_key_results(app_env):
    at = run_app("initiatives")
    tree = chart(at, "in_treemap")["data"][0]
    assert tree["type"] == "treemap"
    ids = tree["ids"]
    for node, parent, value in zip(ids, tree["parents"], tree["values"]):
        if parent:
            assert parent in ids
            assert value <= tree["values"][ids.index(parent)]
    assert chart(at, "in_key_0")["data"][0]["orientation"] == "h"
    assert len(frames(at)) >= 1


def test_quality_page_lists_refused_file_and_unknown_dates(app_env):
    at = run_app("quality")
    tiles = {m.label: m.value for m in at.metric}
    assert int(tiles["未导入的文件"]) >= 1
    # the sample page states no year: its figures have unknown dates, counted here
    assert int(tiles["日期未知的数字"]) >= 1
    refused = [df for df in frames(at) if "原因" in df.columns]
    assert refused and refused[0]["路径"].astype(str).str.contains(REFUSED_FILE).any()
    assert refused[0]["原因"].astype(str).str.len().min() > 0


def test_hostile_bulletin_text_stays_text(app_env):
    at = run_app("figures", {"q": "alert"})
    df = frames(at)[0]
    assert len(df) >= 1
    sentence = df["原文"].iloc[0]
    assert "<script>alert('pingan')</script>" in sentence and "<b>坚持</b>" in sentence
    assert df["文件"].iloc[0] == HOSTILE_FILE
    # nothing on the page is raw HTML: no html elements, markdown never carries a live tag
    # the only html element is our own static style sheet (cards wrap instead of being cut)
    from dashboard.layout import CARD_CSS
    assert all(h.proto.body == CARD_CSS for h in at.get("html")), [h.proto.body[:80] for h in at.get("html")]
    for md in at.markdown:
        assert "<script" not in md.value and "<b>" not in md.value
        assert not md.proto.allow_html


def test_empty_warehouse_says_how_to_ingest(monkeypatch, empty_warehouse_dir):
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(empty_warehouse_dir))
    for page in PAGES:
        at = run_app(page)
        assert any("python -m etl ingest" in i.value for i in at.info), page
        assert not at.get("plotly_chart")


def test_briefing_buttons_build_the_pack_of_the_current_view(app_env, warehouse_dir):
    """The sidebar buttons build the same pack as `python -m dashboard.briefing` for the
    filters on screen (deferred: nothing is built until a click)."""
    import io

    from pptx import Presentation

    from dashboard.briefing import build_pptx
    from dashboard.filters import Filters

    at = run_app("overview", {"categories": "disputes"})
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert not buttons["PowerPoint 汇报"].proto.disabled
    deck = Presentation(io.BytesIO(build_pptx(Filters(categories=("disputes",)), warehouse_dir)))
    text = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert "6300余" in text + notes          # on a slide, or in the notes of one (another period)
