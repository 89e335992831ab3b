"""Cards, deltas and trends compare like with like, and say so in the right unit."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import cards, charts


def _row(fid, value, published, period, kind, unit="起", measure="count", metric="disputes_resolved",
         period_end=None, direction=None):
    return {"figure_id": fid, "place_key": "331122", "place_name": "缙云县", "metric": metric, "measure": measure,
            "value": value, "signed": -value if direction == "down" else value, "unit": unit, "qualifier": None,
            "direction": direction, "raw": f"{value}{unit}", "period": period, "period_kind": kind,
            "period_end": period_end, "published_on": published, "sentence": f"{period}{value}{unit}",
            "synthetic": False, "county_level": True, "place_level": "county", "category": "disputes"}


def test_no_arrow_when_nothing_changed():
    now = _row("a", 3, dt.date(2026, 5, 1), "目前", "point")
    before = _row("b", 3, dt.date(2026, 1, 1), "目前", "point")
    reports = pd.DataFrame([now, before])
    prev, how = cards.previous_comparable(reports, pd.Series(now))
    text, arrow = cards.delta_text(pd.Series(now), prev, how, "zh")
    assert arrow == "off" and text.startswith("持平") and "+0" not in text


def test_a_rate_change_is_in_percentage_points():
    now = _row("a", 97.6, dt.date(2026, 5, 1), "目前", "point", unit="%", measure="rate", metric="satisfaction_rate")
    before = _row("b", 98.0, dt.date(2026, 1, 1), "目前", "point", unit="%", measure="rate", metric="satisfaction_rate")
    prev, how = cards.previous_comparable(pd.DataFrame([now, before]), pd.Series(now))
    zh, arrow = cards.delta_text(pd.Series(now), prev, how, "zh")
    en, _ = cards.delta_text(pd.Series(now), prev, how, "en")
    assert zh.startswith("-0.4个百分点") and arrow == "auto", zh
    assert en.startswith("-0.4 percentage points"), en


def test_ytd_compares_with_the_same_months_last_year_and_never_with_another_kind():
    now = _row("a", 900, dt.date(2026, 10, 10), "今年1-9月", "ytd", period_end=dt.date(2026, 9, 30))
    jan = _row("b", 80, dt.date(2026, 2, 5), "1月", "month", period_end=dt.date(2026, 1, 31))
    ytd_other = _row("c", 500, dt.date(2026, 6, 10), "今年1-5月", "ytd", period_end=dt.date(2026, 5, 31))
    last_year = _row("d", 800, dt.date(2025, 10, 9), "1-9月", "ytd", period_end=dt.date(2025, 9, 30))
    reports = pd.DataFrame([now, jan, ytd_other])
    assert cards.previous_comparable(reports, pd.Series(now)) is None      # no 1-9月 of last year yet
    prev, how = cards.previous_comparable(pd.DataFrame([now, jan, ytd_other, last_year]), pd.Series(now))
    assert prev["figure_id"] == "d" and how == "same_period"
    text, _ = cards.delta_text(pd.Series(now), prev, how, "zh")
    assert text.startswith("+100起 较去年同期（1-9月）"), text


def test_ytd_trend_is_drawn_as_same_period_lines_per_year():
    rows = pd.DataFrame([
        _row("a", 900, dt.date(2026, 10, 10), "今年1-9月", "ytd", period_end=dt.date(2026, 9, 30)),
        _row("b", 500, dt.date(2026, 6, 10), "今年1-5月", "ytd", period_end=dt.date(2026, 5, 31)),
        _row("c", 1200, dt.date(2025, 12, 20), "1-11月", "ytd", period_end=dt.date(2025, 11, 30)),
        _row("d", 120, dt.date(2026, 2, 10), "今年1月", "ytd", period_end=dt.date(2026, 1, 31))])
    fig = charts.comparable_trend(rows, "zh", "t", "ytd")
    names = sorted(tr.name for tr in fig.data)
    assert names == ["2025年", "2026年"]
    y2026 = next(tr for tr in fig.data if tr.name == "2026年")
    assert list(y2026.x) == [1, 5, 9] and list(y2026.y) == [120, 500, 900]   # rises through the year


def test_changes_chart_labels_carry_sign_and_basis_and_a_legend():
    ch = pd.DataFrame([
        {**_row("a", 40.9, dt.date(2026, 10, 1), "今年1-9月", "ytd", unit="%", measure="change",
                metric="criminal_incidents_change", direction="down"), "sentence": "刑事警情同比下降40.9%", "raw": "40.9%"},
        {**_row("b", 2.0, dt.date(2026, 10, 1), "今年以来", "ytd", unit="%", measure="change",
                metric="incidents_total_change", direction="up"), "sentence": "警情同比上升2%", "raw": "2%"}])
    fig = charts.changes_bar(ch, "zh", {}, "t")
    texts = [x for tr in fig.data for x in tr.text]
    assert "-40.9% 同比" in texts and "+2% 同比" in texts
    assert fig.layout.showlegend and {tr.name for tr in fig.data} == {"向好", "变差"}
    xs = [x for tr in fig.data for x in tr.x]
    assert -40.9 in xs and 2.0 in xs


def test_ranking_and_map_colour_by_good_and_keep_no_data_distinct():
    from dashboard import colors
    assert colors.NO_DATA not in [c for _, c in colors.GOOD_BAD_SCALE + colors.NEUTRAL_SCALE + charts.CHANGE_SCALE]
    df = pd.DataFrame([_row(str(i), v, dt.date(2026, 1, 1), "目前", "point", metric="response_time",
                            measure="duration", unit="分钟") | {"place_name": n, "place_key": n}
                       for i, (n, v) in enumerate([("天台县", 39), ("缙云县", 12), ("云和县", 20)])])
    fig = charts.ranking_bar(df, "zh", "处置用时", "response_time", "duration")
    good = next(tr for tr in fig.data if tr.name.startswith("较好"))
    bad = next(tr for tr in fig.data if tr.name.startswith("较差"))
    assert list(good.y) == ["缙云县"] and list(bad.y) == ["天台县"]
    assert fig.layout.showlegend is True


def test_a_rise_in_response_time_is_bad_news_on_its_card():
    """The card's delta says +分钟 and is coloured by the direction of good: for response time a
    rise is drawn red (Streamlit's 'inverse'), for disputes resolved green; no direction, grey."""
    from dashboard.filters import Filters
    now = _row("a", 39, dt.date(2026, 5, 1), "目前", "point", unit="分钟", measure="duration", metric="response_time")
    before = _row("b", 30, dt.date(2026, 1, 1), "目前", "point", unit="分钟", measure="duration", metric="response_time")
    latest = pd.DataFrame([now])
    key = pd.DataFrame({"metric": ["response_time"], "measure": ["duration"]})
    card = cards.build(latest, key, Filters(counties=("331122",)), "zh", {"response_time": "处置用时"},
                       reports_of=lambda m, s, p: pd.DataFrame([now, before]))[0]
    assert card.delta.startswith("+9分钟") and card.delta_arrow == "auto", card.delta
    assert card.delta_color == "inverse"
    assert card.where == "缙云县 · 目前"
    key2 = pd.DataFrame({"metric": ["disputes_resolved"], "measure": ["count"]})
    assert cards.build(pd.DataFrame([_row("c", 9, dt.date(2026, 5, 1), "目前", "point")]), key2, Filters(),
                       "zh", {})[0].delta_color == "normal"


def test_a_relative_period_shows_its_year_on_cards_and_in_the_packs():
    """A 2025 bulletin's 今年1至8月 on a 2026 meeting screen would read as 2026's: cards and the
    packs' best/worst (cards.place_figure) write the year the period resolved to."""
    r = {"period": "今年1至8月", "period_kind": "ytd", "period_start": pd.Timestamp("2025-01-01"),
         "period_end": pd.Timestamp("2025-08-31"), "place_name": "莲都区", "measure": "change",
         "value": 29.8, "unit": "%", "qualifier": None, "direction": "down", "sentence": "", "raw": "29.8%"}
    assert cards.dated_period(r, "zh") == "2025年1至8月"
    assert cards.dated_period(r, "en") == "Jan–Aug 2025"
    assert cards.place_figure(r, "zh") == "莲都区（2025年1至8月下降29.8%）"
    assert cards.dated_period(r | {"period": "去年", "period_kind": "year", "period_start": pd.Timestamp("2024-01-01"),
                                   "period_end": pd.Timestamp("2024-12-31")}, "zh") == "2024年"
    assert cards.dated_period(r | {"period": "1-8月"}, "en") == "Jan–Aug 2025"
    assert cards.dated_period(r | {"period": "截至8月底"}, "zh") == "截至2025年8月底"
    # with no resolved date the period stays as written, never a guessed year
    assert cards.dated_period(r | {"period_end": pd.NaT, "period_start": pd.NaT}, "zh") == "今年1至8月"


def test_small_treemap_boxes_are_grouped_and_named():
    """Two or more tiny boxes under one programme become one '其他 N 项' box whose hover lists them;
    every box still too small for its name is named in the note under the chart."""
    from dashboard import charts
    tree = charts.Tree(ids=["P", "P.a", "P.b", "P.c", "Q", "R"], labels=["专项甲", "小项一", "小项二", "大项", "专项乙", "专项丙"],
                       parents=["", "P", "P", "P", "", ""], values=[62, 1, 1, 60, 2, 40],
                       hover=[""] * 6, custom=[["P"], ["P.a"], ["P.b"], ["P.c"], ["Q"], ["R"]])
    out = charts.group_small(tree, "zh")
    assert "P.a" not in out.ids and "P.b" not in out.ids and "P.c" in out.ids
    i = out.ids.index("P/__others")
    assert out.labels[i] == "其他 2 项" and out.parents[i] == "P" and out.values[i] == 2
    assert "小项一（1地）" in out.hover[i] and "小项二（1地）" in out.hover[i]
    # the whole still adds up (branchvalues 'total')
    assert sum(v for v, p in zip(out.values, out.parents) if p == "P") == out.values[out.ids.index("P")]
    note = charts.small_note(out, "zh")
    assert "专项甲 · 其他 2 项：小项一（1地）、小项二（1地）" in note and "专项乙（2地）" in note
    assert "大项" not in note and "专项丙" not in note
    en = charts.small_note(charts.group_small(tree, "en"), "en")
    assert en.startswith("Smaller boxes") and "2 others: 小项一 (1 places)" not in en and "小项一 (1 place)" in en
    # nothing small: no box grouped, no note
    big = charts.Tree(["A", "B"], ["甲", "乙"], ["", ""], [10, 12], ["", ""], [["A"], ["B"]])
    assert charts.small_note(charts.group_small(big, "zh"), "zh") == "" and charts.group_small(big, "zh").ids == ["A", "B"]
