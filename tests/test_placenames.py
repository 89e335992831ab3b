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


def test_a_compound_of_a_known_city_and_a_known_area_reads_as_two_words():
    from dashboard.placenames import place, split_compound
    compounds = {
        "金华江南": "Jinhua Jiangnan",      # the alias of Jinhua's Jiangnan branch (aliases.csv)
        "丽水莲都": "Lishui Liandu",        # the second part keeps its override (都 = du)
        "杭州西湖": "Hangzhou Xihu",
        "温州鹿城区": "Wenzhou Lucheng",    # the area's suffix is dropped like a county's
        "宁波北仑": "Ningbo Beilun",
        "台州椒江": "Taizhou Jiaojiang",
        "绍兴柯桥区": "Shaoxing Keqiao",
        "缙云壶镇": "Jinyun Huzhen",        # a county and one of its towns
    }
    for zh, en in compounds.items():
        assert pinyin(zh) == en, (zh, pinyin(zh))
        assert place(zh, "en") == en
        assert place(zh, "zh") == zh
    # a name that is itself a place is never split, nor a name one part of which is unknown
    for whole in ("江山市", "江南区", "金华市", "婺城区", "义乌市", "金东区", "龙泉市"):
        assert split_compound(whole.rstrip("市区")) is None, whole
        assert " " not in pinyin(whole), (whole, pinyin(whole))
    assert split_compound("金华某某") is None


def test_no_county_of_the_gazetteer_is_split_into_two_words():
    with open(REFERENCE_DIR / "gazetteer.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] in ("county", "city")]
    split = [r["name"] for r in rows if " " in pinyin(r["name"])]
    assert not split, split[:20]
