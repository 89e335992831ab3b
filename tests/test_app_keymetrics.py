"""The dashboard and the packs agree: the same key metrics, the same counts, and a mark's
sources are exactly the figures it is drawn from. Real warehouse, real app (AppTest)."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import keymetrics, queries, store
from dashboard.i18n import UNITS_EN
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
    caps = [c.value for c in at.caption if "best" in c.value or "highest" in c.value]
    assert caps and not any(re.search(r"[\u4e00-\u9fff]", c) for c in caps), caps


def _figures(snap, ids: list[str]) -> list[dict]:
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    return store.query(snap, f"""
        SELECT figure_id, metric, measure, unit, period_kind, period_end,
               coalesce(county_code, county, city_code, province) AS place_key
        FROM figures_effective WHERE figure_id IN ({marks})""", list(ids)).to_dict("records")


def _chart_ids(at, key: str) -> list[list[str]]:
    """Figure ids of each trace of a chart, from the customdata its marks carry."""
    import json
    for c in at.get("plotly_chart"):
        if c.proto.id.endswith("-" + key):
            spec = json.loads(c.proto.spec)
            return [[str(cd[0] if key == "ov_trend" or key.startswith("ov_changes") else cd[1])
                     for cd in (tr.get("customdata") or [])] for tr in spec["data"]]
    raise AssertionError(f"no chart {key}")


def test_a_trend_never_joins_a_year_to_date_report_to_another_period_kind(app_env):
    """Every point of the overview's trend is one place's report of one metric, measure and
    period kind; a year-to-date line holds one year's reports only (same-period comparison),
    for every kind the page offers."""
    snap = store.current(app_env)
    at = _app("overview")
    checked = 0
    latest = queries.latest_reports(snap, Filters())
    chosen = keymetrics.choose(keymetrics.series_summary(latest), 99)       # the page's own list
    for series in [f"{m}|{x}" for m, x in zip(chosen["metric"], chosen["measure"])][:3]:
        at.selectbox(key="ov_metric").set_value(series).run()
        kinds = list(at.selectbox(key="ov_kind").options)
        values = [k for k in ("ytd", "year", "half", "quarter", "month", "point", "per_day", "per_year", "span",
                              "since", "unknown") if __import__("dashboard.i18n").i18n.period_kind(k, "zh") in kinds]
        for kind in values:
            at.selectbox(key="ov_kind").set_value(kind).run()
            assert not at.exception
            traces = _chart_ids(at, "ov_trend")
            rows = _figures(snap, [i for tr in traces for i in tr])
            if not rows:
                continue
            checked += 1
            assert len({(r["place_key"], r["metric"], r["measure"], r["period_kind"]) for r in rows}) == 1, rows
            kinds = {r["period_kind"] for r in rows}
            if "ytd" in kinds:
                by_id = {r["figure_id"]: r for r in rows}
                for tr in traces:   # one line per year: never across a January
                    years = {pd.Timestamp(by_id[i]["period_end"]).year for i in tr
                             if pd.notna(by_id[i]["period_end"])}
                    assert len(years) <= 1, years
    assert checked >= 2


def test_one_chart_never_mixes_measures_or_units(app_env):
    """A share (电诈警情占全部警情 2.6%), a change (-19%) and a count of one subject are different
    series: a ranking is drawn from one metric × measure in one unit, and the overview draws
    reported changes one chart per unit."""
    snap = store.current(app_env)
    at = _app("counties")
    latest = queries.latest_reports(snap, Filters())
    county = latest[latest["county_level"].astype(bool)]
    chosen = keymetrics.choose(keymetrics.series_summary(county), 999)      # the page's own list
    options = [f"{m}|{x}" for m, x in zip(chosen["metric"], chosen["measure"])]
    assert any(o.endswith("|change") for o in options) and any(not o.endswith("|change") for o in options)
    for opt in options[:6]:
        at.selectbox(key="co_metric").set_value(opt).run()
        rows = _figures(snap, [i for tr in _chart_ids(at, "co_ranking") for i in tr])
        assert rows, opt
        metric, measure = opt.split("|")
        assert {(r["metric"], r["measure"]) for r in rows} == {(metric, measure)}, opt
        # one unit as a reader reads it (起 and 件 are both cases, 人 and 名 both people)
        assert len({UNITS_EN.get(r["unit"], r["unit"]) for r in rows}) == 1, (opt, {r["unit"] for r in rows})
    ov = _app("overview")
    keys = [c.proto.id.rsplit("-", 1)[-1] for c in ov.get("plotly_chart") if "ov_changes" in c.proto.id]
    assert keys
    for key in keys:
        rows = _figures(snap, [i for tr in _chart_ids(ov, key) for i in tr])
        assert {r["measure"] for r in rows} == {"change"} and len({r["unit"] for r in rows}) == 1, key
