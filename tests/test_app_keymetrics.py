"""The dashboard and the packs agree: the same key metrics, the same counts, and a mark's
sources are exactly the figures it is drawn from. Real warehouse, real app (AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import keymetrics, queries, store
from dashboard.briefing.collect import collect
from dashboard.filters import Filters
from etl import counts

ROOT_PAGES = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "pages")


def _app(page: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(f"{ROOT_PAGES}/{page}.py", default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_cards_are_the_packs_key_metrics(app_env):
    snap = store.current(app_env)
    latest = queries.latest_reports(snap, Filters())
    chosen = keymetrics.key_series(latest, 6)
    pack = collect(Filters(), app_env)
    assert [(k.metric, k.measure) for k in pack.key_metrics][:6] == list(zip(chosen["metric"], chosen["measure"]))
    at = _app("overview")
    labels = [m.label for m in at.metric][3:]
    # cards sit in three columns (AppTest lists them column by column)
    assert len(labels) == len(chosen) and sorted(labels) == sorted(k.name for k in pack.key_metrics[:len(labels)])


def test_counts_are_the_same_on_the_quality_page_the_cli_and_the_pack(app_env):
    from etl.cli import status_dict
    at = _app("quality")
    shown = {m.label: m.value for m in at.metric}
    cli = status_dict(app_env)
    pack = collect(Filters(), app_env)
    for key in ("bulletins", "figures", "counties", "unclassified", "unplaced", "undated"):
        assert shown[counts.label(key, "zh")] == str(cli[key]) == str(pack.counts[key]), key


def test_no_figure_counts_on_the_overview_and_counties_pages(app_env):
    for page in ("overview", "counties"):
        at = _app(page)
        assert not any(m.label in ("数字条数", "数字") for m in at.metric), page
        titles = [s.value for s in at.subheader]
        assert not any("条数" in t for t in titles), (page, titles)


def test_a_bars_sources_are_exactly_its_figures(app_env):
    snap = store.current(app_env)
    f = Filters()
    latest = queries.latest_reports(snap, f)
    assert len(latest)
    for _, r in latest.head(40).iterrows():
        src = queries.fact_sources(snap, f, r["figure_id"])
        assert r["figure_id"] in set(src["figure_id"])
        assert set(src["value"]) == {r["value"]} and set(src["metric"]) == {r["metric"]}
        assert set(src["place_key"]) == {r["place_key"]}
        assert set(src["period"].fillna("∅")) == {r["period"] if isinstance(r["period"], str) else "∅"}


def test_period_kind_is_stored_for_every_figure(app_env):
    from etl.warehouse import connect_read_only
    con = connect_read_only(app_env)
    try:
        rows = con.execute("SELECT period, period_kind FROM figures").fetchall()
    finally:
        con.close()
    from etl.period_kind import period_kind
    assert rows and all(k == period_kind(p) for p, k in rows)


def test_english_overview_has_no_chinese_in_card_values_or_place_names(app_env):
    import re
    at = _app("overview", "en")
    for m in at.metric[3:]:
        assert not re.search(r"[\u4e00-\u9fff]", m.value), m.value
    caps = [c.value for c in at.caption if c.value.startswith(("best", "highest"))]
    assert caps and not any(re.search(r"[\u4e00-\u9fff]", c) for c in caps), caps
