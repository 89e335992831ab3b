"""Like with like: a ranking, a map, the changes chart, a card's best and worst and the packs
compare places over one period only, and say which (dashboard.comparable).

The checks read the figures a chart is drawn from back out of the warehouse and test their
periods with plain SQL columns (period_kind, period_end), not with the module's own rule,
so a page that mixes a 年均 report into a ranking of 今年1-8月 reports fails here.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cards, comparable, keymetrics, queries, store
from dashboard.briefing.collect import collect
from dashboard.filters import Filters

ROOT_PAGES = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "pages")


def _row(kind, end=None, measure="count", start=None, place="p", value=1.0, published=None):
    return {"place_key": place, "place_name": place, "period_kind": kind, "measure": measure,
            "period_end": pd.Timestamp(end) if end else pd.NaT,
            "period_start": pd.Timestamp(start) if start else (pd.Timestamp(end[:4] + "-01-01") if end else pd.NaT),
            "published_on": pd.Timestamp(published) if published else pd.NaT, "signed": value,
            "direction": None, "value": value}


# ------------------------------------------------------------------ the rule itself

def test_counts_compare_over_the_same_months_changes_over_the_same_year():
    jan_apr = _row("ytd", "2026-04-30")
    jan_sep = _row("ytd", "2026-09-30")
    assert comparable.period_class(jan_apr) != comparable.period_class(jan_sep)       # a count grows
    chg = dict(measure="change")
    assert comparable.period_class(_row("ytd", "2026-04-30", **chg)) == \
        comparable.period_class(_row("ytd", "2026-09-30", **chg))                      # a 同比 does not
    assert comparable.period_class(_row("ytd", "2025-09-30", **chg)) != \
        comparable.period_class(_row("ytd", "2026-09-30", **chg))                      # another year
    assert comparable.period_class(_row("per_year")) != comparable.period_class(jan_sep)
    # a full year and a year to date are different kinds, even over the same months
    assert comparable.period_class(_row("year", "2025-12-31")) != comparable.period_class(_row("ytd", "2025-12-31"))


def test_the_period_most_places_reported_is_compared_and_the_rest_listed():
    rows = pd.DataFrame([_row("ytd", "2026-09-30", place="a", value=5), _row("ytd", "2026-09-30", place="b", value=9),
                         _row("per_year", place="c", value=100), _row("unknown", place="d", value=50)])
    cmp = comparable.compare(rows, "disputes_resolved")                                  # higher is better
    assert list(cmp.rows["place_key"]) == ["b", "a"]
    assert sorted(cmp.others["place_key"]) == ["c", "d"]
    assert cmp.label("zh") == "2026年1-9月" and cmp.label("en") == "Jan–Sep 2026"
    assert "2地" in cmp.note("zh") and "另有2地" in cmp.note("zh")
    # a tie goes to a stated period over "period not stated", then to the later period
    tie = pd.DataFrame([_row("unknown", place="a"), _row("ytd", "2025-06-30", place="b"),
                        _row("ytd", "2026-03-31", place="c")])
    assert comparable.choose_class(tie) == ("ytd", 2026, 1, 3)


def test_labels_name_the_period_in_both_languages():
    assert comparable.label(("ytd", 2026, None, None), "zh") == "2026年年内累计"
    assert comparable.label(("ytd", 2026, None, None), "en") == "2026 year to date"
    assert comparable.label(("year", 2025, 1, 12), "zh") == "2025年全年"
    assert comparable.label(("quarter", 2026, 7, 9), "en") == "Q3 2026"
    assert comparable.label(("unknown", None, None, None), "zh") == "未注明期间"
    assert comparable.label(("unknown", None, None, None), "en") == "no period stated"


# ------------------------------------------------------------------ on the pages and in the packs

def _periods(snap, ids) -> list[dict]:
    marks = ", ".join("?" * len(ids))
    return store.query(snap, f"""
        SELECT figure_id, metric, measure, period_kind, period_end,
               coalesce(county_code, county, city_code, province) AS place_key
        FROM figures_effective WHERE figure_id IN ({marks})""", list(ids)).to_dict("records")


def _one_period(rows: list[dict]) -> None:
    """Plain columns, not the module: one kind; one year for dated kinds; for counts and
    amounts one month too (1-4月 and 1-9月 are different amounts of time)."""
    assert len({r["period_kind"] for r in rows}) == 1, {r["period_kind"] for r in rows}
    ends = [pd.Timestamp(r["period_end"]) for r in rows if pd.notna(r["period_end"])]
    if rows[0]["period_kind"] in ("ytd", "year", "half", "quarter", "month", "span") and ends:
        assert len({e.year for e in ends}) == 1, ends
        if rows[0]["measure"] in ("count", "amount"):
            assert len({(e.year, e.month) for e in ends}) == 1, ends


def _chart_ids(at, key: str, col: int) -> list[str]:
    for c in at.get("plotly_chart"):
        if c.proto.id.endswith("-" + key):
            spec = json.loads(c.proto.spec)
            return [str(cd[col]) for tr in spec["data"] for cd in (tr.get("customdata") or [])]
    raise AssertionError(f"no chart {key}")


def _mixed_series(latest: pd.DataFrame) -> list[str]:
    """County series whose latest reports cover more than one kind of period (the test's point)."""
    c = latest[latest["county_level"].astype(bool)]
    kinds = c.groupby(["metric", "measure"])["period_kind"].nunique()
    return [f"{m}|{s}" for (m, s), n in kinds.items() if n > 1]


@pytest.fixture(scope="module")
def counties_page(warehouse_dir):
    import os
    old = os.environ.get("PINGAN_WAREHOUSE")
    os.environ["PINGAN_WAREHOUSE"] = str(warehouse_dir)
    try:
        at = AppTest.from_file(f"{ROOT_PAGES}/counties.py", default_timeout=90)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        yield at
    finally:
        if old is None:
            os.environ.pop("PINGAN_WAREHOUSE", None)
        else:
            os.environ["PINGAN_WAREHOUSE"] = old


def test_a_ranking_and_its_map_never_mix_periods(app_env, counties_page):
    snap = store.current(app_env)
    latest = queries.latest_reports(snap, Filters())
    mixed = _mixed_series(latest)
    assert mixed, "the fixture should hold a series reported over several kinds of period"
    county = latest[latest["county_level"].astype(bool)]
    for series in mixed[:4]:
        counties_page.selectbox(key="co_metric").set_value(series).run()
        assert not counties_page.exception
        ranked = _chart_ids(counties_page, "co_ranking", 1)
        mapped = _chart_ids(counties_page, "co_map", 1)
        rows = _periods(snap, ranked)
        assert rows, series
        _one_period(rows)
        assert set(mapped) <= set(ranked), series                   # the map colours the ranked ones only
        metric, measure = series.split("|")
        reported = county[(county["metric"] == metric) & (county["measure"] == measure)]
        assert len(ranked) < len(reported), series                  # another kind was left out, not mixed in
        # the chart says which period it compares
        title = json.loads(next(c.proto.spec for c in counties_page.get("plotly_chart")
                                if c.proto.id.endswith("-co_ranking")))["layout"]["title"]["text"]
        cmp = comparable.compare(reported, metric)
        assert cmp.label("zh") in title, title
        assert any("未参与比较" in c.value for c in counties_page.caption), series


def test_cards_and_the_changes_chart_compare_one_period(app_env):
    snap = store.current(app_env)
    f = Filters()
    latest = queries.latest_reports(snap, f)
    key = keymetrics.key_series(latest, 6)
    deck = cards.build(latest, key, f, "zh", {})
    checked = 0
    for card in deck:
        ids = [r["figure_id"] for r in (card.best, card.worst) if r is not None]
        if len(ids) == 2:
            _one_period(_periods(snap, ids))
            checked += 1
        if card.others is not None and len(card.others):
            assert "期间不同" in card.compared, card.compared
    assert checked
    at = AppTest.from_file(f"{ROOT_PAGES}/overview.py", default_timeout=90)
    at.run()
    assert not at.exception
    ids = _chart_ids(at, "ov_changes", 0)
    rows = _periods(snap, ids)
    assert rows and {r["measure"] for r in rows} == {"change"}
    _one_period(rows)


def test_the_packs_rank_and_call_best_exactly_as_the_pages(app_env, counties_page):
    """The deck's bars, the 简报's table and the conclusions take the same counties in the
    same order as the counties page's ranking; the packs' changes cover the overview's period."""
    pack = collect(Filters(), app_env)
    snap = store.current(app_env)
    assert pack.key_metrics
    for k in pack.key_metrics[:3]:
        counties_page.selectbox(key="co_metric").set_value(f"{k.metric}|{k.measure}").run()
        assert _chart_ids(counties_page, "co_ranking", 1) == list(k.rows["figure_id"]), k.name
        if len(k.rows):
            _one_period(_periods(snap, list(k.rows["figure_id"])))
        assert not set(k.rows["place_key"]) & set(k.others["place_key"])
    latest = queries.latest_reports(snap, Filters())
    # the overview's cards call the same counties best and worst as the deck's summary
    key = keymetrics.key_series(latest, 6)
    for card, k in zip(cards.build(latest, key, Filters(), "zh", {}), pack.key_metrics):
        assert (card.metric, card.measure) == (k.metric, k.measure)
        if len(k.rows):
            assert card.best["figure_id"] == k.rows.iloc[0]["figure_id"], k.name
            assert card.worst is None or card.worst["figure_id"] == k.rows.iloc[-1]["figure_id"], k.name
    page = comparable.changes(latest)
    assert pack.changes_compared.key == page.key
    if len(pack.changes):
        _one_period(_periods(snap, list(pack.changes["figure_id"])))


def test_the_scorecard_lists_the_decks_counties_in_the_decks_order(app_env, counties_page):
    """One scorecard on screen and on paper: the same counties, in gazetteer-code order (a
    city's counties together), each cell of another period marked, never coloured."""
    from dashboard import scorecard
    pack = collect(Filters(), app_env)
    board = counties_page.table[0].value          # the scorecard is the page's one table
    shown = list(board.data.iloc[:, 0] if hasattr(board, "data") else board.iloc[:, 0])
    assert shown == [scorecard.place_label(n, "zh") for n in pack.counties]


def test_quality_page_names_where_a_date_came_from_in_chinese(app_env):
    at = AppTest.from_file(f"{ROOT_PAGES}/quality.py", default_timeout=90)
    at.run()
    assert not at.exception
    per = next(d.value for d in at.dataframe if "日期来源" in getattr(d.value, "columns", []))
    assert set(per["日期来源"]) <= {"清单文件", "文件名", "正文", "未知"}, set(per["日期来源"])


def test_an_english_count_of_one_is_singular():
    """'1 place compared', never '1 places' (the scorecard's legend and the ranking's note)."""
    from dashboard.comparable import _singular
    assert _singular("1 places compared, 2024 year to date; 1 of other periods left out") == \
        "1 place compared, 2024 year to date; 1 of other periods left out"
    assert _singular("Compares Jan–May 2024 reports (1 places); 1 more places' latest reports cover other "
                     "periods and are not compared") == ("Compares Jan–May 2024 reports (1 place); 1 more place's "
                                                         "latest report covers another period and is not compared")
    assert _singular("11 places compared") == "11 places compared"
