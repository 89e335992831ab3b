"""Which place a figure belongs to, and how that was decided (issue 8): each rule with
several differently-worded bulletins, all written for these tests."""
import pytest

from etl.extract import extract_text
from etl.manifest import Meta
from etl.place_of import PLACE_SOURCES

B = "a" * 16


def rows(text, **meta):
    return extract_text(text, "t.txt", B, Meta(**meta))[1]


@pytest.mark.parametrize("text, code", [
    ("诸暨前三季度道路交通形势平稳\n事故起数、死亡人数实现“双下降”\n\n记者 陈某 通讯员 李某\n\n"
     "本报讯 记者从市公安局交警大队获悉，今年1-9月，我市共发生道路交通事故1462起，同比下降9.6%。\n",
     "330681"),
    ("海宁：上半年电诈发案明显下降\n——全民反诈见成效\n\n本报讯 今年上半年，我市电信网络诈骗发案"
     "同比下降31.2%，市反诈中心劝阻群众4100余人。\n", "330481"),
    ("临海交警护航春运\n\n本报讯 春运40天，市交警部门共查处各类交通违法2300余起，全市未发生较大"
     "交通事故。\n", "331082"),
])
def test_a_place_named_only_in_the_headline(text, code):
    got = rows(text)
    assert got and all(r["county_code"] == code for r in got), [(r["raw"], r["county"]) for r in got]
    assert {r["place_source"] for r in got} <= {"headline", "clause"}


def test_a_deck_line_under_the_headline_is_not_an_article():
    from etl.segment import segment
    text = "诸暨前三季度道路交通形势平稳\n事故起数、死亡人数实现“双下降”\n\n本报讯 今年以来，我市共发生事故12起。\n"
    arts = segment(text)
    assert len(arts) == 1 and arts[0].subtitle_span is not None


@pytest.mark.parametrize("text, region, code", [
    ("建德交警严查酒驾\n\n本报讯 今年以来，市交警大队共查处酒驾违法行为412起，市公安局破获刑事案件300起。\n",
     "建德", "330182"),
    ("本报讯 今年以来，市公安局共破获电诈案件86起，市交警大队查处醉驾45起。\n", "义乌", "330782"),
    ("本报讯 去年全市共发生火灾126起，市公安消防大队检查单位3200家次。\n", "温岭", "331081"),
])
def test_a_county_level_citys_own_bureau(text, region, code):
    got = rows(text, region=region)
    assert got and all(r["county_code"] == code for r in got), [(r["raw"], r["county"], r["city"]) for r in got]


@pytest.mark.parametrize("text, region, code", [
    ("本报讯 记者从富阳市公安消防大队获悉，2011年全市共发生火灾218起，全市居民住宅火灾占火灾总数的46%。\n",
     "富阳", "330111"),
    ("本报讯 临安市公安局去年共破获刑事案件1200起。全市刑事警情同比下降8%。\n", "临安", "330112"),
])
def test_a_county_the_text_calls_a_city_owns_its_whole_city_figures(text, region, code):
    got = rows(text, region=region)
    assert got and all(r["county_code"] == code for r in got), [(r["raw"], r["county"], r["city"]) for r in got]


def test_a_district_outlet_keeps_the_prefecture_bureau():
    # in a district's news, 市公安局 is the prefecture's bureau, not the district's
    got = rows("本报讯 市公安局近日通报，今年以来全市共破获电诈案件1200起。\n", region="鄞州")
    assert [r["city"] for r in got] == ["宁波市"] and got[0]["county_code"] is None


def test_every_figure_says_how_its_place_was_decided():
    text = ("丽水:\n\n缙云公安化解纠纷1200余起\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷1200余起。"
            "该局还组建义警队伍12支。\n\n民警走访群众3000余户。\n")
    got = rows(text)
    assert all(r["place_source"] in PLACE_SOURCES for r in got)
    by_raw = {}
    for r in got:
        by_raw.setdefault(r["raw"], []).append(r["place_source"])
    assert "back_reference" in by_raw["12支"] or "clause" in by_raw["12支"]
    assert by_raw["3000余户"] in (["paragraph"], ["article_lead"], ["headline"])


def test_no_place_says_none():
    got = rows("本报讯 今年以来，全省共破获案件3000起。\n")
    assert all((r["place_source"] == "none") == (r["province"] is None) for r in got)


@pytest.mark.parametrize("text, publisher, code", [
    ("市交警大队：“五一”假期道路交通平稳\n\n本报讯 “五一”假期，市交警大队共查处交通违法行为1376起。\n",
     "建德新闻网", "330182"),
    ("反诈宣传进万家\n\n本报讯 今年以来，我县共劝阻潜在受害群众3200余人。\n", "今日德清", "330521"),
    ("本报讯 今年以来，县公安局共破获刑事案件420起，抓获犯罪嫌疑人380名。\n", "仙居新闻网", "331024"),
])
def test_the_outlets_name_gives_the_region(text, publisher, code):
    got = rows(text, publisher=publisher)
    assert got and all(r["county_code"] == code for r in got), [(r["raw"], r["county"], r["city"]) for r in got]
    assert {r["place_source"] for r in got} & {"outlet", "clause"}


def test_a_national_outlet_names_no_place():
    got = rows("本报讯 今年以来，县公安局共破获刑事案件420起。\n", publisher="人民公安报")
    assert all(r["county_code"] is None for r in got)


@pytest.mark.parametrize("text, code", [
    ("本报讯 泽国镇、箬横镇两地电诈发案同比分别下降38.5%、44.2%。\n", "331081"),
    ("本报讯 今年以来，梅城镇、寿昌镇分别化解矛盾纠纷120起、96起。\n", "330182"),
])
def test_towns_of_one_county_listed_give_each_figure_that_county(text, code):
    got = rows(text)
    assert len(got) == 2 and all(r["county_code"] == code for r in got), [(r["raw"], r["county"]) for r in got]


@pytest.mark.parametrize("text, region", [
    ("本报讯 今年新区新建成河庄、新湾、临江3座消防站，新增消防车辆19辆。\n", "钱塘"),
    ("本报讯 辖区内通化、和平两个社区共化解纠纷56起。\n", "缙云"),
])
def test_a_bare_name_of_another_province_is_not_that_place_in_zhejiang_news(text, region):
    got = rows(text, region=region)
    assert got and all(r["province"] in (None, "浙江省") for r in got), [(r["raw"], r["province"]) for r in got]


def test_another_province_named_in_full_still_counts_in_zhejiang_news():
    got = rows("本报讯 江西省上饶市公安局去年破获电诈案件860起。\n", region="缙云")
    assert [r["city"] for r in got] == ["上饶市"]


@pytest.mark.parametrize("region, code", [("象山", "330225"), ("普陀", "330903"), ("西湖", "330106"),
                                          ("缙云", "331122"), ("丽水", "331100")])
def test_a_manifest_region_two_provinces_share_is_the_zhejiang_one(region, code):
    from etl.extract import _region_place
    assert _region_place(region).code == code


def test_a_manifest_region_of_another_province_still_resolves():
    from etl.extract import _region_place
    assert _region_place("徐州").name == "徐州市" and _region_place("无此地") is None


@pytest.mark.parametrize("text", [
    "本报讯 去年，全省新建消防站41个，新增消防车辆520辆。\n",
    "本报讯 今年全市新建消防站6座，改建消防站3座。\n",
])
def test_a_word_before_a_fire_station_is_not_a_county(text):
    got = rows(text)
    assert got and all(r["county"] != "新建区" and r["city"] != "南昌市" for r in got)
