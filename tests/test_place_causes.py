"""General causes of wrong and missing counties, found from the spent held-out parts of the
two blind corpora and fixed as rules: each tested here with sentences written for this file
in several wordings (never a corpus sentence), invented text throughout.

The causes: an outlet's name cut one character too far (桐乡新闻网 read as 桐); a city's
name shared with districts elsewhere (西安, 资阳) left unresolved; stations and checkpoints
named after their town with words the gazetteer did not know (磨憨出入境边防检查站); a
station's short town name of another province taking a figure from the page's own province
(海岛派出所 in a 舟山 paper); former names only GB/T 2260's revisions know (户县); and the
autonomous areas' own words: 全州/我州, 全旗/我旗, 全盟, 自治区公安厅, 全区 in 宁夏, 本市.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl import places
from etl.extract import extract_text
from etl.manifest import Meta

B = "d" * 16
REF = Path(__file__).resolve().parent.parent / "data" / "reference"


def rows(text, **meta):
    return extract_text(text, "t.txt", B, Meta(**meta))[1]


def place_of(text, raw, **meta):
    r = next(r for r in rows(text, **meta) if r["raw"] == raw)
    return r["county"] or r["city"] or r["province"]


# ---- outlets and labels -----------------------------------------------------------------------

@pytest.mark.parametrize("outlet, name", [
    ("桐乡新闻网", "桐乡市"),      # 乡 is a locality word: the name stops at 桐乡
    ("宁乡发布", "宁乡市"),
    ("湘乡日报", "湘乡市"),
    ("今日桐乡", "桐乡市"),
    ("红河日报", "红河哈尼族彝族自治州"),  # a city whose name is also a word
    ("大理日报", "大理白族自治州"),
    ("西安晚报", "西安市"),         # a city named like districts elsewhere (西安区)
])
def test_an_outlet_names_its_place_without_losing_a_character(outlet, name):
    assert places.from_publisher(outlet).name == name


@pytest.mark.parametrize("label, name", [("西安", "西安市"), ("资阳", "资阳市")])
def test_a_city_named_like_districts_elsewhere_is_the_city(label, name):
    assert places.resolve(label).name == name


@pytest.mark.parametrize("label", ["吉林", "朝阳", "江南晚报"])
def test_names_that_stay_ambiguous(label):
    # a province and a city (吉林), a city and a county (朝阳), a word (江南)
    assert places.resolve(label) is None or label == "江南晚报"
    assert places.from_publisher("江南晚报") is None


def test_a_county_outlet_gives_its_bare_city_bureau_and_our_city():
    text = "头盔佩戴率明显提升\n\n今年以来，市交警大队查处不戴头盔违法行为5200起。我市已有46家企业签订承诺书。\n"
    got = {r["raw"]: r["county"] for r in rows(text, publisher="桐乡新闻网")}
    assert got == {"5200起": "桐乡市", "46家": "桐乡市"}


def test_a_city_region_shared_with_districts_settles_its_own_districts():
    text = ("平安建设通报\n\n今年以来，全市刑事发案同比下降7.4%。新城区组建巡逻队伍48支，"
            "临潼区设立警务服务站9个。\n")
    got = {r["raw"]: (r["county"] or r["city"]) for r in rows(text, publisher="西安日报", region="西安")}
    assert got == {"7.4%": "西安市", "48支": "新城区", "9个": "临潼区"}


# ---- stations and checkpoints named after their town ------------------------------------------

@pytest.mark.parametrize("text, raw, county", [
    ("口岸通关提速\n\n记者从畹町出入境边防检查站获悉，该站去年查验出入境人员86.2万人次。\n",
     "86.2万人次", "瑞丽市"),
    ("边检服务\n\n打洛边检站全年办理出入境证件3100余本。\n", "3100余本", "勐海县"),
    ("边境平安\n\n猴桥边境派出所今年共调解边民纠纷46起。\n", "46起", "腾冲市"),
    ("海岛守护\n\n干览边防派出所全年救助遇险渔民37人。\n", "37人", "定海区"),
])
def test_a_border_station_named_after_its_town_names_the_county(text, raw, county):
    assert place_of(text, raw) == county


@pytest.mark.parametrize("text, raw", [
    ("渔区平安\n\n普陀公安边防大队去年共调处渔事纠纷210起。另外，海岛派出所为渔民办理证件380本。\n", "380本"),
    ("海上平安\n\n普陀公安边防大队组织创建活动。海岛派出所全年救起落水群众12人。\n", "12人"),
])
def test_a_short_town_name_of_another_province_never_takes_a_figure_out_of_the_page(text, raw):
    # 海岛 is a 乡 of 霞浦 (Fujian) and an ordinary word: in a 舟山 paper it is no county
    got = next(r for r in rows(text, publisher="舟山日报", region="舟山") if r["raw"] == raw)
    assert got["province"] == "浙江省" and got["county"] != "霞浦县"


# ---- former names from GB/T 2260's revisions ----------------------------------------------------

def test_former_names_from_the_revisions_point_at_todays_code():
    renamed = {r["alias"]: r["county_code"] for r in csv.DictReader(open(REF / "renamed.csv", encoding="utf-8"))}
    assert renamed["户县"] == "610118"       # now 鄠邑区: another name, not a regular form
    assert renamed["毕节地区"] == "520500"   # a prefecture that became a city
    assert renamed["枝城市"] == "420581"     # 宜都县 -> 枝城市 -> 宜都市
    assert renamed["郫县"] == "510117"
    assert "武昌县" not in renamed           # 江夏区 by history, 武昌区 by form: left out
    assert "市区" not in renamed             # a word, whatever a district was once called


@pytest.mark.parametrize("text, raw, county", [
    ("打击盗窃\n\n2014年，户县公安局破获盗窃案件210起。\n", "210起", "鄠邑区"),
    ("平安建设\n\n2012年，陕西户县共化解矛盾纠纷860起。\n", "860起", "鄠邑区"),
    ("治安通报\n\n2015年，在户县，民警共查处治安案件95起。\n", "95起", "鄠邑区"),
    ("县域平安\n\n2010年，郫县公安局抓获犯罪嫌疑人412名。\n", "412名", "郫都区"),
])
def test_a_former_name_resolves_to_todays_division(text, raw, county):
    assert place_of(text, raw) == county


@pytest.mark.parametrize("text", [
    "基层治理\n\n他在担任县长期间，推动破获刑事案件210起。\n",      # 任县
    "基层治理\n\n恢复县城交通秩序后，共查处违法行为31起。\n",        # 复县
    "基层治理\n\n完成县级考核后，共化解纠纷64起。\n",                # 成县, a county of Gansu
    "基层治理\n\n在任县长期间，他推动破获刑事案件88起。\n",          # 在 is a particle, 县长 a word
])
def test_a_two_character_former_name_inside_words_is_no_place(text):
    assert all(r["county"] is None for r in rows(text, publisher="人民网"))


# ---- autonomous areas and their words -----------------------------------------------------------

@pytest.mark.parametrize("text, raw, place", [
    ("州局通报\n\n上半年，全州共破获刑事案件2300起。其中，个旧市公安局破获案件310起。\n",
     "2300起", "红河哈尼族彝族自治州"),
    ("州局通报\n\n今年以来，州公安局共抓获犯罪嫌疑人640名。\n", "640名", "红河哈尼族彝族自治州"),
    ("破案攻坚\n\n今年，蒙自市公安局破获刑事案件520起。全州公安机关共抓获嫌疑人1800名。\n",
     "1800名", "红河哈尼族彝族自治州"),
])
def test_quan_zhou_and_the_zhou_bureau_are_the_prefecture(text, raw, place):
    assert place_of(text, raw, publisher="红河日报") == place


@pytest.mark.parametrize("text, raw, meta, place", [
    ("牧区平安\n\n今年以来，全旗刑事案件下降15.2%。\n", "15.2%", {"publisher": "正蓝旗融媒体中心"}, "正蓝旗"),
    ("牧区平安\n\n今年以来，旗公安局共抓获犯罪嫌疑人86名。\n", "86名", {"publisher": "正蓝旗融媒体中心"}, "正蓝旗"),
    ("牧区平安\n\n今年以来，我旗共化解纠纷230起。\n", "230起", {"publisher": "锡林郭勒日报", "region": "正蓝旗"}, "正蓝旗"),
    ("草原平安\n\n今年以来，全盟共破获刑事案件1300起。\n", "1300起", {"publisher": "锡林郭勒日报"}, "锡林郭勒盟"),
])
def test_banners_and_leagues_speak_for_themselves(text, raw, meta, place):
    assert place_of(text, raw, **meta) == place


@pytest.mark.parametrize("text, raw, meta, place", [
    ("州里平安\n\n今年以来，我州共发生道路交通事故120起。\n", "120起", {"publisher": "汶川县融媒体中心"},
     "阿坝藏族羌族自治州"),
    ("凯里：多措并举护平安\n\n今年以来，我市共化解矛盾纠纷1500余起。\n", "1500余起",
     {"publisher": "黔东南日报"}, "凯里市"),
    ("本市电诈案件下降\n\n今年前三季度，本市共劝阻群众3.2万人。\n", "3.2万人", {"publisher": "北京晚报"}, "北京市"),
    ("澧县：平安建设\n\n今年以来，本县刑事案件同比下降11.2%。\n", "11.2%", {"publisher": "常德日报", "region": "常德"}, "澧县"),
])
def test_wo_and_ben_speak_for_the_place_of_their_kind(text, raw, meta, place):
    # 我州 in a county's news is its prefecture; 我市 in a 州 paper's `凯里：` article is 凯里
    assert place_of(text, raw, **meta) == place


@pytest.mark.parametrize("text, raw, meta, place", [
    ("命案攻坚\n\n今年以来，全区公安机关共侦破命案积案32起。\n", "32起", {"publisher": "宁夏日报"}, "宁夏回族自治区"),
    ("跨境赌博\n\n今年以来，自治区公安厅组织破获跨境赌博案件210起。\n", "210起", {"publisher": "广西日报"},
     "广西壮族自治区"),
    ("地区平安\n\n2010年，毕节地区公安机关破获刑事案件4500起，全区刑事发案下降6.2%。\n", "6.2%",
     {"publisher": "贵州日报"}, "毕节市"),
])
def test_quan_qu_of_an_autonomous_region_or_a_diqu_is_the_whole_region(text, raw, meta, place):
    assert place_of(text, raw, **meta) == place


def test_a_city_district_keeps_quan_qu():
    text = "社区警务\n\n今年以来，鼓楼分局共化解矛盾纠纷430起。全区盗窃警情下降18.3%。\n"
    got = {r["raw"]: r["county"] for r in rows(text, publisher="徐州日报", region="徐州")}
    assert got == {"430起": "鼓楼区", "18.3%": "鼓楼区"}


@pytest.mark.parametrize("text, raw, county", [
    ("县域平安\n\n今年以来，沛县共破获刑事案件520起。\n", "520起", "沛县"),
    ("县域平安\n\n2011年，江苏沛县公安局抓获犯罪嫌疑人310名。\n", "310名", "沛县"),
    ("县域平安\n\n2014年，户县交警大队查处酒驾120起。\n", "120起", "鄠邑区"),
])
def test_a_two_character_name_standing_as_a_word_still_counts(text, raw, county):
    assert place_of(text, raw, publisher="人民网") == county
