"""What matters first and which way is good: data/reference/metric_priority.csv and the
one module (dashboard.keymetrics) every page and pack asks."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from dashboard import cards, keymetrics
from etl import reference
from etl.config import REFERENCE_DIR
from etl.period_kind import period_kind


def _rows(name):
    with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_metric_in_the_taxonomy_has_a_priority_row_and_no_row_is_stray():
    metrics = {r["code"] for r in _rows("metrics.csv")}
    prio = [r["code"] for r in _rows("metric_priority.csv")]
    assert len(prio) == len(set(prio)), "a code listed twice"
    missing = sorted(metrics - set(prio))
    assert not missing, f"metric_priority.csv lacks rows for {missing}"
    derived = set(reference.metrics())          # X_change, X_share are named by their base
    stray = sorted(set(prio) - metrics - derived)
    assert not stray, f"metric_priority.csv names codes no taxonomy knows: {stray}"
    for r in _rows("metric_priority.csv"):
        float(r["priority"])
        assert r["higher_is_better"] in ("", "0", "1"), r


def test_direction_of_good_agrees_with_the_taxonomy_where_both_say():
    for r in _rows("metrics.csv"):
        if r["higher_is_better"].strip():
            assert keymetrics.higher_is_better(r["code"]) == (r["higher_is_better"].strip() == "1"), r["code"]


def test_response_time_lower_is_better_in_ranking_and_headline():
    assert keymetrics.higher_is_better("response_time") is False
    df = pd.DataFrame({"place_name": ["天台县", "缙云县", "景宁畲族自治县"], "signed": [39.0, 12.0, 20.0],
                       "place_key": ["331023", "331122", "331127"], "county_level": [True] * 3,
                       "metric": ["response_time"] * 3, "measure": ["duration"] * 3, "unit": ["分钟"] * 3,
                       "value": [39.0, 12.0, 20.0], "qualifier": [None] * 3, "direction": [None] * 3,
                       "figure_id": ["a", "b", "c"], "place_level": ["county"] * 3, "raw": ["39分钟", "12分钟", "20分钟"],
                       "sentence": [""] * 3, "period": [None] * 3, "synthetic": [False] * 3})
    ranked = keymetrics.best_first(df, "response_time")
    assert list(ranked["place_name"]) == ["缙云县", "景宁畲族自治县", "天台县"]
    key = pd.DataFrame({"metric": ["response_time"], "measure": ["duration"]})
    from dashboard.filters import Filters
    card = cards.build(df, key, Filters(), "zh", {"response_time": "处置用时"})[0]
    assert card.caption.startswith("最好: 缙云县（12分钟）"), card.caption
    assert "最差: 天台县（39分钟）" in card.caption
    # and the packs' headline sentence and summary row: the fastest county is the best one
    from types import SimpleNamespace
    from dashboard.briefing import narrative
    from dashboard.briefing.collect import KeyMetric
    k = KeyMetric("response_time", "duration", "处置用时", "分钟", ranked.assign(ref=[1, 2, 3]),
                  df.head(0), higher_is_better=False)
    line = narrative.conclusion(SimpleNamespace(lang="zh"), k)
    assert "最好为缙云县（12分钟）" in line and "最差为天台县（39分钟）" in line, line
    row = narrative.summary_row(SimpleNamespace(lang="zh"), k)
    assert row[3].startswith("缙云县") and row[4].startswith("天台县"), row


def test_derived_codes_take_their_base_row_and_a_share_has_no_direction():
    assert keymetrics.rule("criminal_incidents_change").priority == keymetrics.rule("criminal_incidents").priority
    assert keymetrics.higher_is_better("criminal_incidents_change") is False
    assert keymetrics.higher_is_better("fraud_cases_share") is None
    assert keymetrics.is_good("criminal_incidents_change", "down") is True
    assert keymetrics.is_good("fraud_losses_recovered_change", "down") is False


def test_choice_puts_incidents_crime_fraud_and_disputes_before_drones_across_categories():
    series = pd.DataFrame([
        ("drones", "count", "drones", 40), ("drone_pilots", "count", "drones", 40),
        ("drone_routes", "count", "drones", 40), ("incidents_total_change", "change", "incidents", 12),
        ("fraud_cases_change", "change", "anti_fraud", 30), ("fraud_losses_recovered", "amount", "anti_fraud", 20),
        ("disputes_resolved", "count", "disputes", 10), ("equipment", "count", "resources", 44),
        ("traffic_deaths", "count", "traffic", 3), ("fire_casualties", "count", "fire", 2),
        ("other", "count", "other", 50)],
        columns=["metric", "measure", "category", "n_places"])
    chosen = keymetrics.choose(series, 6)
    codes = list(chosen["metric"])
    assert len(codes) == 6
    assert not {"drones", "drone_pilots", "drone_routes", "equipment", "other"} & set(codes), codes
    assert {"incidents_total_change", "fraud_cases_change", "disputes_resolved", "traffic_deaths"} <= set(codes)
    assert chosen["category"].nunique() >= 4
    # the first n of a longer choice are the choice of n: overview (6) and packs (8) agree
    assert list(keymetrics.choose(series, 8)["metric"])[:6] == codes


def test_one_series_per_metric():
    series = pd.DataFrame([("fraud_cases", "count", "anti_fraud", 5), ("fraud_cases_change", "change", "anti_fraud", 30)],
                          columns=["metric", "measure", "category", "n_places"])
    assert len(keymetrics.choose(series, 6)) == 1


@pytest.mark.parametrize("sentence,raw,basis", [
    ("今年1-9月，全县刑事警情同比下降40.9%。", "40.9%", "同比"),
    ("电诈警情环比下降12%，同比上升3%。", "3%", "同比"),
    ("电诈警情环比下降12%，同比上升3%。", "12%", "环比"),
    ("较去年下降20%。", "20%", "较去年"),
    ("警情下降20%。", "20%", None),
])
def test_a_change_says_what_it_compares_with_as_written(sentence, raw, basis):
    assert keymetrics.comparison_basis(sentence, raw) == basis


@pytest.mark.parametrize("period,kind", [
    ("今年以来", "ytd"), ("今年1-9月", "ytd"), ("1至9月", "ytd"), ("截至9月底", "ytd"), ("今年前10个月", "ytd"),
    ("去年", "year"), ("2024年", "year"), ("上半年", "half"), ("一季度", "quarter"), ("4-6月", "quarter"),
    ("10月份", "month"), ("目前", "point"), ("截至目前", "point"), ("日均", "per_day"), ("年均", "per_year"),
    ("去年以来", "since"), ("专项行动开展以来", "since"), ("近年来", "since"), (None, "unknown"), ("", "unknown"),
    ("3-5月", "span"),
])
def test_period_kind(period, kind):
    assert period_kind(period) == kind


def test_scorecard_headers_are_short_and_say_measure_and_unit():
    """A scorecard column at 1024 px: the county and three metrics fit in one screen only when
    every header is short (metric_priority.csv's short names); the measure and unit stay in it."""
    from dashboard import scorecard
    from dashboard.layout import fit_px
    assert scorecard.header("fraud_cases", "change", "%", "电信网络诈骗案件", "zh") == "电诈案件增减%"
    assert scorecard.header("fraud_cases", "change", "%", "Telecom and online fraud cases", "en") == "Fraud cases ±%"
    assert scorecard.header("fraud_losses_recovered", "amount", "元", "挽回群众损失", "zh") == "挽回损失(万元)"
    assert scorecard.header("satisfaction_rate", "rate", "%", "Public satisfaction", "en") == "Satisfaction %"
    assert scorecard.header("satisfaction_rate", "change", "个百分点", "群众满意率", "zh") == "满意率增减(个百分点)"
    assert scorecard.header("arrests", "count", "名", "Suspects arrested", "en") == "Suspects arrested"
    too_wide = []
    for r in _rows("metrics.csv"):
        if not keymetrics.rule(r["code"]).card:
            continue
        unit = r["units"].split("|")[0]
        for lang, name in (("zh", r["name_zh"]), ("en", r["name_en"])):
            for measure, u in ((r["measure"], unit), ("change", "%")):
                head = scorecard.header(r["code"], measure, u, name, lang)
                if fit_px([], head) > 180:
                    too_wide.append(head)
    assert not too_wide, too_wide
