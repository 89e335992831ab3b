"""Towns, townships and streets name their county; former names resolve to today's code.

Every sentence here is written for these tests. A town name that several counties share
must settle nothing on its own, so each rule is tested from both sides.
"""
from __future__ import annotations

import pytest

from etl import places


def _found(text, hint=None):
    return [(m.text, m.place.code if m.place else None, m.kind, m.via_town)
            for m in places.scan(text, hint)]


# --- a town's full name, unique in China, names its county
@pytest.mark.parametrize("text,town,code", [
    ("下渚湖街道组织志愿者夜间巡防", "下渚湖街道", "330521"),
    ("昨天，下渚湖街道一处仓库起火", "下渚湖街道", "330521"),
    ("高亭镇渔民安全培训班开班", "高亭镇", "330921"),
    ("家住东方镇的李大爷收到了锦旗", "东方镇", "331122"),
])
def test_unique_town_names_its_county(text, town, code):
    got = [m for m in places.scan(text) if m.text == town]
    assert got, _found(text)
    m = got[0]
    assert (m.place.code, m.place.level, m.kind, m.via_town, m.agency) == (code, "county", "town", True, None)


# --- a town name several counties share settles nothing alone ...
@pytest.mark.parametrize("text", [
    "梅城镇开展消防演练，群众踊跃参与",
    "在安仁镇，民警走进集市宣传反诈",
    "百丈派出所民警调解一起邻里纠纷",
    "三合派出所民警入户走访孤寡老人",
])
def test_shared_town_name_alone_settles_nothing(text):
    assert [m for m in places.scan(text) if m.place is not None] == []


# --- ... unless the county or city right before it, or the hint, decides
@pytest.mark.parametrize("text,hint,town,code", [
    ("建德市梅城镇开展消防演练", None, "梅城镇", "330182"),
    ("龙泉市安仁镇召开平安建设推进会", None, "安仁镇", "331181"),
    ("杭州梅城镇古城夜间巡逻", None, "杭州梅城镇", "330182"),
    ("梅城镇开展消防演练", "杭州", "梅城镇", "330182"),
    ("梅城镇派出所开展夜查", "330100", "梅城镇派出所", "330182"),
    # a Zhejiang hint of another city: the only 梅城镇 in the province
    ("梅城镇开展消防演练", "丽水", "梅城镇", "330182"),
])
def test_shared_town_name_settled_by_context(text, hint, town, code):
    got = [m for m in places.scan(text, hint) if m.text == town]
    assert got, _found(text, hint)
    assert got[0].place.code == code and got[0].via_town


def test_hint_elsewhere_in_china_does_not_invent_a_town():
    # 安仁镇 exists in four provinces; a Jiangsu hint leaves it open
    assert [m for m in places.scan("安仁镇召开会议", "南京") if m.place] == []


# --- a town's station is an agency; its short name counts only before the station word
@pytest.mark.parametrize("text,agency,code", [
    ("高亭派出所民警救起落水渔民", "高亭派出所", "330921"),
    ("接到求助后，高亭派出所立即出警", "高亭派出所", "330921"),
    ("下渚湖街道派出所联合网格员走访", "下渚湖街道派出所", "330521"),
])
def test_town_station_is_an_agency_of_its_county(text, agency, code):
    got = [m for m in places.scan(text) if m.agency == agency]
    assert got, _found(text)
    assert (got[0].place.code, got[0].kind, got[0].via_town) == (code, "agency", True)


@pytest.mark.parametrize("text", [
    "高亭的海风很大",          # short town name with no station and no county before it
    "民警在小城镇开展走访",    # 小城镇 is an ordinary word
    "建设平安乡村，守护美丽家园",
    "深入镇街开展宣传",
])
def test_short_or_ordinary_town_words_alone_are_not_towns(text):
    assert [m for m in places.scan(text) if m.kind == "town" or m.via_town] == []


def test_short_town_right_after_its_county():
    got = _found("岱山高亭渔港加强安全巡查")
    assert got[:2] == [("岱山", "330921", "place", False), ("高亭", "330921", "town", True)]
    # the same short name after another county is no town of it
    assert [m for m in places.scan("缙云高亭渔港") if m.kind == "town"] == []


def test_county_station_chain_still_one_agency():
    # a town inside a bureau's chain stays part of the agency, as before
    got = _found("松阳西屏派出所教导员走访辖区学校")
    assert got == [("松阳西屏派出所", "331124", "agency", False)]


# --- a station named in full once and by its short name later
def test_station_named_again_keeps_its_county():
    text = ("宁波市公安局鄞州分局百丈派出所开展夜间巡查。"
            "随后，百丈派出所组建了一支平安志愿者队伍。"
            "百丈派出所还走访了辖区企业。")
    got = [m for m in places.scan(text) if m.agency and m.agency.startswith(("宁波", "百丈"))]
    assert [m.agency for m in got] == ["宁波市公安局鄞州分局百丈派出所", "百丈派出所", "百丈派出所"]
    assert all(m.place.code == "330212" for m in got)
    assert [m.via_town for m in got] == [False, True, True]


def test_station_memory_is_per_scan_and_needs_one_county():
    # a new scan (another article) starts with nothing remembered
    assert [m for m in places.scan("百丈派出所组建了巡逻队") if m.place] == []
    # two counties with a station of the same name: the later short name stays open
    text = ("杭州市公安局余杭区分局百丈派出所和宁波市公安局鄞州分局百丈派出所联合行动。"
            "百丈派出所组建了专班。")
    later = [m for m in places.scan(text) if m.text == "百丈派出所"]
    assert later == [] or later[0].place is None


def test_station_memory_respects_article_range():
    text = "宁波市公安局鄞州分局百丈派出所开展巡查。||百丈派出所组建了队伍。"
    cut = text.index("||")
    second = places.scan(text, None, cut, len(text))
    assert [m for m in second if m.place] == []


# --- renamed divisions resolve to today's code
@pytest.mark.parametrize("old,code,name", [
    ("奉化市", "330213", "奉化区"), ("富阳市", "330111", "富阳区"), ("临安市", "330112", "临安区"),
    ("上虞市", "330604", "上虞区"), ("绍兴县", "330603", "柯桥区"), ("鄞县", "330212", "鄞州区"),
    ("萧山市", "330109", "萧山区"), ("余杭县", "330110", "余杭区"), ("江干区", "330102", "上城区"),
    ("下城区", "330105", "拱墅区"), ("衢县", "330803", "衢江区"), ("黄岩市", "331003", "黄岩区"),
    ("椒江市", "331002", "椒江区"), ("嵊县", "330683", "嵊州市"), ("诸暨县", "330681", "诸暨市"),
    ("襄樊市", "420600", "襄阳市"), ("玉环县", "331083", "玉环市"),
])
def test_former_names_resolve_to_todays_code(old, code, name):
    p = places.resolve(old)
    assert p is not None and (p.code, p.name) == (code, name)
    for sentence in (f"{old}公安局破获一起盗窃案", f"2012年，{old}共发生交通事故"):
        got = [m for m in places.scan(sentence) if m.text.startswith(old)]
        assert got and got[0].place.code == code, (sentence, _found(sentence))


# --- new areas without a GB code have their parent city
@pytest.mark.parametrize("text,hint,name,city", [
    ("前湾新区公安分局开展夏夜行动", None, "宁波前湾新区", "宁波市"),
    ("宁波前湾新区警情同比下降", None, "宁波前湾新区", "宁波市"),
    ("杭州湾新区派出所民警走访企业", "宁波", "宁波杭州湾新区", "宁波市"),
    ("钱塘新区公安分局召开会议", None, "钱塘区", "杭州市"),
    ("大江东产业集聚区交通秩序整治", None, "钱塘区", "杭州市"),
    ("温州湾新区消防救援大队开展演练", None, "温州经济技术开发区", "温州市"),
])
def test_new_areas_have_their_parent_city(text, hint, name, city):
    got = [m for m in places.scan(text, hint) if m.place is not None]
    assert got, _found(text)
    assert (got[0].place.name, got[0].place.city) == (name, city)


@pytest.mark.parametrize("text,hint,surface,code,kind", [
    ("舟山高亭渔港开展安全检查", None, "舟山高亭", "330921", "town"),
    ("杭州梅城古镇游客激增", None, "杭州梅城", "330182", "town"),
    ("梅城派出所民警巡查古镇", "杭州", "梅城派出所", "330182", "agency"),
    ("据了解，梅城派出所今年调解纠纷", "330182", "梅城派出所", "330182", "agency"),
])
def test_short_town_after_its_city_or_before_its_station(text, hint, surface, code, kind):
    got = [m for m in places.scan(text, hint) if m.text == surface]
    assert got, _found(text, hint)
    assert (got[0].place.code, got[0].kind, got[0].via_town) == (code, kind, True)


def test_town_inside_a_county_bureau_chain_is_the_bureau():
    got = _found("建德市公安局梅城派出所开展巡逻")
    assert got == [("建德市公安局梅城派出所", "330182", "agency", False)]


def test_town_that_no_county_of_the_city_has_is_nothing():
    # 高亭 is a town of 岱山 (舟山), not of any county of 丽水
    assert [m for m in places.scan("丽水高亭") if m.via_town] == []
