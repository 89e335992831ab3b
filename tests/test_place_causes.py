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


# ---- the third blind corpus (genre_blind3, spent): causes of its county misses ----------------

@pytest.mark.parametrize("text, raw, region, county", [
    ("江山上半年交通事故下降两成\n\n本报讯 今年1至6月，全市共发生道路交通事故46起。\n", "46起", "衢州", "江山市"),
    ("天台一季度破案120起\n\n本报讯 一季度，县公安局共破获刑事案件120起。\n", "120起", "台州", "天台县"),
    ("临海2023年刑事警情下降12%\n\n本报讯 去年全市刑事警情同比下降12%。\n", "12%", "台州", "临海市"),
    ("玉环：渔港治安平稳\n\n本报讯 今年以来，县公安局共查处涉渔违法行为58起。\n", "58起", "台州", "玉环市"),
])
def test_a_headline_opening_with_a_county_of_the_page_names_it_even_when_it_is_a_word(text, raw, region, county):
    # 江山, 天台, 临海, 玉环 are also words: the page's own city (the region) and a time or a
    # number after the name say it is the county
    assert place_of(text, raw, region=region) == county


@pytest.mark.parametrize("text, raw, region, place", [
    ("江山如画游客多\n\n本报讯 国庆期间，全市景区共接待游客12万人次。\n", "12万人次", "衢州", "衢州市"),
    ("江山上半年交通事故下降两成\n\n本报讯 今年1至6月，全市共发生道路交通事故46起。\n", "46起", "丽水", "丽水市"),
    ("临海而建的派出所\n\n本报讯 该所今年共接处警情1200起。\n", "1200起", "台州", "台州市"),
])
def test_a_word_opening_a_headline_or_a_county_of_another_city_is_no_place(text, raw, region, place):
    assert place_of(text, raw, region=region) == place


@pytest.mark.parametrize("text, raw", [
    ("国庆假期平安\n\n本报讯 国庆七天全县共接报警情320起。\n", "320起"),
    ("元旦假期平安\n\n本报讯 元旦当天全县共接报警情96起。\n", "96起"),
    ("春节平安\n\n本报讯 今年春节每天全县投入警力300人次。\n", "300人次"),
])
def test_a_scope_word_after_a_word_is_not_a_county_ending_in_it(text, raw):
    # 七天|全县 is no 天全县 (Sichuan): the name straddles a word and a scope word
    assert place_of(text, raw) is None


def test_a_county_ending_in_a_scope_word_still_counts_when_named():
    assert place_of("县域平安\n\n本报讯 四川天全县公安局今年破获刑事案件88起。\n", "88起") == "天全县"


@pytest.mark.parametrize("region, publisher, county", [
    ("金华", "永康日报", "永康市"),
    ("温州", "瑞安日报", "瑞安市"),
    ("浙江", "诸暨日报", "诸暨市"),
])
def test_an_outlet_inside_the_region_is_the_more_specific_place(region, publisher, county):
    text = "标题\n\n本报讯 记者从市公安局获悉，去年全市共破获刑事案件860起。\n"
    assert place_of(text, "860起", region=region, publisher=publisher) == county


@pytest.mark.parametrize("text, raw, meta, county", [
    ("平安成绩单\n\n本报讯（通讯员 诸暨市公安局 张伟）记者从市公安局获悉，去年全市共破获刑事案件860起。\n",
     "860起", {"region": "绍兴", "publisher": "绍兴日报"}, "诸暨市"),
    ("平安成绩单\n\n本报讯 义乌市公安局昨日通报，今年以来市公安局共抓获犯罪嫌疑人1200名。\n",
     "1200名", {}, "义乌市"),
    ("发布会\n\n本报讯 昨天，温岭市政府召开新闻发布会。会上，市公安局反诈中心通报止付资金320万元。\n",
     "320万元", {"region": "台州"}, "温岭市"),
])
def test_a_county_level_citys_own_news_keeps_its_city_bureau(text, raw, meta, county):
    # the article's own subject is a county-level city: its bare 市公安局 is that city's
    assert place_of(text, raw, **meta) == county


def test_a_district_subject_leaves_the_city_bureau_to_the_city():
    text = "标题\n\n本报讯 柯桥区公安分局昨日通报，市公安局今年共抓获犯罪嫌疑人1200名。\n"
    assert place_of(text, "1200名", region="绍兴") == "绍兴市"


@pytest.mark.parametrize("text, raw, county", [
    ("安保\n\n本报讯 记者从缙云县公安局获悉，杭州亚运会期间，该局共投入警力2100人次。\n", "2100人次", "缙云县"),
    ("安保\n\n本报讯 记者从余杭区公安分局获悉，G20杭州峰会期间，全区共设置检查站12个。\n", "12个", "余杭区"),
    ("安保\n\n本报讯 昨天，郫县公安局通报，北京奥运会期间，该局共出动警力4200人次。\n", "4200人次", "郫都区"),
])
def test_a_place_naming_an_event_is_not_the_figures_subject(text, raw, county):
    assert place_of(text, raw, region="") == county


@pytest.mark.parametrize("text, raw, county", [
    ("抗震\n\n本报讯 地震发生后，汶川县公安局抽调民警60名支援茂县、理县，目前仍有20名民警在当地执勤。\n",
     "20名", "汶川县"),
    ("抗洪\n\n本报讯 洪灾发生后，建德市公安局派出民警80名驰援淳安，目前已转移群众600余人。\n",
     "600余人", "建德市"),
])
def test_the_places_officers_were_sent_to_are_a_scene(text, raw, county):
    assert place_of(text, raw) == county


@pytest.mark.parametrize("text, raw, county", [
    ("平安海岛\n\n本报讯 今年，岱山县公安局深化平安建设。\n\n暑期，民警在高亭、衢山两地共开展巡逻320次。\n",
     "320次", "岱山县"),
    ("全市通报\n\n本报讯 今年全市破案1200起，其中普陀区480起。\n\n沈家门、六横等地共查处违法行为540起。\n",
     "540起", "普陀区"),
    ("平安创建\n\n本报讯 缙云县公安局今年深化“枫桥经验”。\n\n壶镇、新建等镇共组建巡逻队21支。\n",
     "21支", "缙云县"),
])
def test_short_names_of_towns_of_a_county_the_article_names_are_that_county(text, raw, county):
    assert place_of(text, raw, region="浙江") == county


@pytest.mark.parametrize("text", [
    "新年伊始，万象更新。今年莲都区公安分局共破获案件300起。",  # 万象 (a town of 莲都) in an idiom
    "莲都区今年加强队伍建设，共组建巡逻队30支。",              # 建设 is a town somewhere: a word
])
def test_a_town_name_that_is_a_word_or_inside_one_names_no_town(text):
    ms = places.scan(text, "331100")
    assert [m.text for m in ms if m.kind == "town"] == []


# ---- a town of the named county holding another county's name; ranking frames; 我市 of a
# county-level city in its prefecture's paper (causes read from the spent genre_blind9)

@pytest.mark.parametrize("text, raw, county", [
    ("护航\n\n本报讯 黎城县公安局近日在西井、东阳关等镇开展夜巡，查处酒驾案件17起。\n", "17起", "黎城县"),
    ("平安\n\n本报讯 武安市公安局今年在北安庄等乡镇组建护村队28支。\n", "28支", "武安市"),
    ("治超\n\n本报讯 迁安市交警大队在杨店子、沙河驿两地设立检查点6个。\n", "6个", "迁安市"),
])
def test_a_town_of_the_named_county_outweighs_another_countys_name_inside_it(text, raw, county):
    # 东阳关 is a town of 黎城, not 东阳 followed by 关
    assert place_of(text, raw) == county


def test_a_town_holding_another_countys_name_is_scanned_as_the_town():
    ms = places.scan("黎城县公安局在东阳关、西井等镇设卡。")
    assert [(m.text, m.place.name) for m in ms if m.kind == "town"] == [("东阳关", "黎城县"), ("西井", "黎城县")]


@pytest.mark.parametrize("text, raw, meta, county", [
    ("降幅\n\n本报讯 今年我市电诈发案降幅居无锡各市（县）区首位，破获诈骗案件210起。\n",
     "210起", {"publisher": "宜兴日报"}, "宜兴市"),
    ("排名\n\n本报讯 去年，全市交通事故死亡人数同比下降21%，降幅位居温州各县（市、区）第一，查处酒驾1300起。\n",
     "1300起", {"publisher": "乐清日报"}, "乐清市"),
])
def test_the_places_a_figure_is_ranked_among_are_not_its_subject(text, raw, meta, county):
    assert place_of(text, raw, **meta) == county


@pytest.mark.parametrize("text, raw, region, place", [
    ("义乌“警务驿站”守护夜归人\n\n本报讯（记者 王丽）晚上十点，佛堂镇派出所的警务驿站里依然亮着灯。\n\n"
     "今年以来，我市依托派出所建成警务驿站32个，接待群众求助1.2万余人次。\n", "32个", "金华", "义乌市"),
    ("乐清护航渔民出海\n\n本报讯 记者从市公安局获悉，今年我市共开展海上巡逻460航次，救助遇险渔民83人。\n",
     "83人", "温州", "乐清市"),
    # a district is no city of its own: its prefecture's paper's 我市 stays the prefecture
    ("柯桥夜市有了“平安岗”\n\n本报讯 今年以来，我市在夜市设立平安岗16个。\n", "16个", "绍兴", "绍兴市"),
])
def test_wo_shi_in_a_county_level_citys_news_in_its_prefectures_paper(text, raw, region, place):
    assert place_of(text, raw, region=region) == place
