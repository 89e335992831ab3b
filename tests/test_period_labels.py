"""Periods in English read as English, however a bulletin wrote them (issue 10).

Each period below is written a different way; the English label must carry no Chinese at
all (the original stays in the Chinese view and in the grids' sentence column), and the
ones a general rule reads must say what the rule says, not just a period kind.
"""
from __future__ import annotations

import re

import pytest

from dashboard import i18n

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

WRITTEN = {
    "一季度": "Q1",
    "第一季度": "Q1",
    "2024年第二季度": "Q2 2024",
    "1至3月": "Jan–Mar",
    "1-6月份": "Jan–Jun",
    "２０２４年１－６月": "Jan–Jun 2024",        # full-width digits and dash
    "上半年": "first half",
    "去年下半年": "second half of last year",
    "今年以来": "since the start of the year",
    "去年以来": "since the start of last year",
    "2019年以来": "since 2019",
    "今年一季度以来": "since Q1 this year",
    "截至10月底": "to the end of Oct",
    "截至2023年底": "to the end of 2023",
    "近三年": "the past 3 years",
    "近两个月": "the past 2 months",
    "春节期间": "during the Spring Festival",
    "2023年至2024年": "2023–2024",
    "今年前三季度": "first 3 quarters this year",
    "1月1日至9月30日": "Jan 1–Sep 30",
    "2024年3月": "Mar 2024",
    "今年1至9月": "Jan–Sep this year",
}


@pytest.mark.parametrize("zh,en", sorted(WRITTEN.items()))
def test_a_period_written_any_way_reads_as_english(zh, en):
    got = i18n.period(zh, "en")
    assert got == en, (zh, got)
    assert not CJK.search(got)
    assert i18n.period(zh, "zh") == zh          # the Chinese view keeps it as written


@pytest.mark.parametrize("zh,kind", [("专项行动开展以来", "since"), ("百日攻坚行动期间", None),
                                     ("某某时段", None), ("本轮整治中", "point")])
def test_what_no_rule_reads_falls_back_to_english_never_to_chinese(zh, kind):
    got = i18n.period(zh, "en", kind=kind)
    assert got and not CJK.search(got), (zh, got)
    if kind:
        assert got == i18n.period_kind(kind, "en")


def test_the_fallback_uses_the_period_kind_read_from_the_text():
    from etl.period_kind import period_kind
    # a kind is read (since) though no English rule applies to the start it names
    assert period_kind("扫黑除恶专项斗争开展以来") == "since"
    assert i18n.period("扫黑除恶专项斗争开展以来", "en") == "since an earlier start"
    assert i18n.period("", "en") == "" and i18n.period(None, "en") == ""
