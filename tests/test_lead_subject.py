"""Whose figures an article reports when its lead names a bureau only by level (市公安局)
or as the one under whose lead the subject worked (在市公安局的领导下), while its headline
or its outlet names the subject by name. Sentences written for this test.

Why: a district bureau's year-end summary thanks its city bureau in the first line; an
outlet of a county-level city calls itself 我市; none of those figures are the city's.
"""
from __future__ import annotations

import pytest

from etl.extract import extract_text
from etl.manifest import Meta

BULLETIN = "0" * 16


def counties(text: str, meta: Meta | None = None) -> dict[str, str | None]:
    _, figs = extract_text(text, "x.txt", BULLETIN, meta)
    return {f["raw"]: f["county"] for f in figs}


@pytest.mark.parametrize("text, county", [
    ("椒江区公安分局2015年工作总结\n\n"
     "2015年，在区委、区政府和市公安局的正确领导下，分局全年共破获刑事案件1120起。\n\n"
     "全区新增治安监控探头430个，道路交通事故同比下降6.2%。\n", "椒江区"),
    ("南湖区公安分局上半年工作回顾\n\n"
     "上半年，分局在市公安局的统一部署下，抓获犯罪嫌疑人312名。\n\n"
     "全区组建平安巡防队18支。\n", "南湖区"),
    ("鹿城区公安分局召开年度总结会\n\n"
     "本报讯 记者从市公安局获悉，去年全区刑事警情同比下降12.4%，破获案件2300余起。\n", "鹿城区"),
])
def test_the_headline_names_the_subject_the_lead_only_a_level(text, county):
    got = counties(text, Meta(region="台州" if "椒江" in text else None))
    assert got and set(got.values()) == {county}, got


def test_a_named_bureau_in_the_lead_still_speaks_for_the_article():
    text = ("全市公安机关年终盘点\n\n"
            "本报讯 天台县公安局昨天通报，去年全县共破获刑事案件860起。\n")
    assert set(counties(text, Meta(region="台州")).values()) == {"天台县"}


@pytest.mark.parametrize("publisher, county, we", [
    ("永康商报", "永康市", "市"), ("今日象山", "象山县", "县"), ("嵊州时报", "嵊州市", "市"),
])
def test_an_outlet_of_a_county_names_the_article_of_we_and_our_city(publisher, county, we):
    text = (f"我{we}刑事警情连续三年下降\n\n"
            f"本报讯 记者从{we}公安局获悉，去年我{we}刑事警情同比下降15.2%，破获刑事案件1260起。\n")
    got = counties(text, Meta(publisher=publisher))
    assert got and set(got.values()) == {county}, got
