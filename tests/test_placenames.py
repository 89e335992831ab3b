"""English that reads as English: pinyin place names checked against the gazetteer, amounts
in million/billion yuan, units and periods translated."""
from __future__ import annotations

import csv
import re

from dashboard import i18n
from dashboard.placenames import overrides, pinyin
from etl.config import REFERENCE_DIR


def test_every_zhejiang_county_has_a_clean_distinct_pinyin_name():
    with open(REFERENCE_DIR / "gazetteer.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["province_code"] == "330000" and r["level"] == "county"]
    assert len(rows) == 90
    names = {r["name"]: pinyin(r["name"]) for r in rows}
    for zh, en in names.items():
        assert re.fullmatch(r"[A-Z][a-zü']+", en), (zh, en)
    assert names["缙云县"] == "Jinyun" and names["景宁畲族自治县"] == "Jingning"
    assert names["莲都区"] == "Liandu"            # override: pypinyin reads 都 as dou
    assert names["磐安县"] == "Pan'an" and names["乐清市"] == "Yueqing" and names["长兴县"] == "Changxing"
    assert len(set(names.values())) == len(names) - 0, "two counties share one English name"


def test_overrides_name_real_places_of_the_gazetteer():
    with open(REFERENCE_DIR / "gazetteer.csv", encoding="utf-8") as fh:
        shorts = {r["short"] for r in csv.DictReader(fh)}
    unknown = sorted(set(overrides()) - shorts)
    assert not unknown, f"pinyin_overrides.csv names places the gazetteer lacks: {unknown}"


def test_english_amounts_units_and_periods():
    assert i18n.fmt_value(23000000, "元", "余", "en") == "over 23 million yuan"
    assert i18n.fmt_value(1.25e9, "元", None, "en") == "1.25 billion yuan"
    assert i18n.fmt_value(23000000, "元", "余", "zh") == "2300万余元"
    assert i18n.fmt_value(2300, "架次", "余", "en") == "over 2,300 flights"
    assert i18n.fmt_value(47, "%", "超", "en") == "over 47%"
    assert i18n.period("今年1至9月", "en") == "Jan–Sep this year"
    assert i18n.period("今年以来", "en") == "since the start of the year"
    assert not re.search(r"[\u4e00-\u9fff]", i18n.period("截至9月底", "en"))
