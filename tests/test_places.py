"""Place and agency mentions in bulletin sentences, against the real committed gazetteer.

The sentences are written for these tests in the genre of county police bulletins; each
case lists every mention expected, so a false positive fails as surely as a miss.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from etl import places
from etl.places import Mention, Place

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"

# (sentence, city_hint, [(mention text, agency or None, code or place name, level, confident)])
CASES = [
    # --- the sample bulletin's agencies, in sentences of the same kind
    ("丽水莲都公安运行无人机空地协作新模式", "丽水",
     [("丽水莲都公安", "丽水莲都公安", "331102", "county", True)]),
    ("缙云公安组织警力分赴多地，抓获嫌疑人8人", None,
     [("缙云公安", "缙云公安", "331122", "county", True)]),
    ("云和公安15分钟抓获3名盗窃嫌疑人", None,
     [("云和公安", "云和公安", "331125", "county", True)]),
    ("开发区公安建强作战中心，辖区盗窃警情大幅下降", "丽水",
     [("开发区公安", "开发区公安", "丽水经济技术开发区", "county", True)]),
    ("为守好烟火气，青田县公安局深化夜市警务", None,
     [("青田县公安局", "青田县公安局", "331121", "county", True)]),
    ("遂昌公安年均调处矛盾纠纷3000余件", None,
     [("遂昌公安", "遂昌公安", "331123", "county", True)]),
    ("松阳公安探索预警拦截新战法", None,
     [("松阳公安", "松阳公安", "331124", "county", True)]),
    ("龙泉公安开设法治课程388场", None,
     [("龙泉公安", "龙泉公安", "331181", "county", True)]),
    ("景宁公安治安警情同比下降46.7%", None,
     [("景宁公安", "景宁公安", "331127", "county", True)]),
    ("庆元公安搭建预警模型", None,
     [("庆元公安", "庆元公安", "331126", "county", True)]),
    ("天台县公安局三合派出所开展入户走访", None,
     [("天台县公安局三合派出所", "天台县公安局三合派出所", "331023", "county", True)]),
    ("温岭市公安局横峰派出所无人机中队拥有无人机3架", None,
     [("温岭市公安局横峰派出所", "温岭市公安局横峰派出所", "331081", "county", True)]),
    ("临海市公安局交警大队头门港中队走进运输企业", None,
     [("临海市公安局交警大队头门港中队", "临海市公安局交警大队头门港中队", "331082", "county", True)]),
    ("金华市市公安局江南分局举行建局三十周年报告会", None,
     [("金华市市公安局江南分局", "金华市市公安局江南分局", "金华江南", "county", True)]),
    ("义乌市消防救援支队在社区试点改造充电点位", None,
     [("义乌市消防救援支队", "义乌市消防救援支队", "330782", "county", True)]),
    ("义乌市福田街道长春社区一处换电柜投入使用", None,
     [("义乌市", None, "330782", "county", True),
      ("福田街道", None, "330782", "county", True, "town")]),
    ("安吉县消防救援大队深入辖区单位开展防消联勤", None,
     [("安吉县消防救援大队", "安吉县消防救援大队", "330523", "county", True)]),
    ("江山市消防救援大队组织心理健康辅导", None,
     [("江山市消防救援大队", "江山市消防救援大队", "330881", "county", True)]),
    # --- short names standing alone: only unambiguous Zhejiang names
    ("在侨乡青田，警商驿站延伸到夜市", None, [("青田", None, "331121", "county", True)]),
    ("在松阳，公安联合民政开展走访", None, [("松阳", None, "331124", "county", True)]),
    ("缙云由公安牵头化解纠纷6300余起", None, [("缙云", None, "331122", "county", True)]),
    ("松阳西屏派出所教导员走访辖区学校", None,
     [("松阳西屏派出所", "松阳西屏派出所", "331124", "county", True)]),
    ("平安丽水金名片持续擦亮", None, [("丽水", None, "331100", "city", True)]),
    ("丽水市公安局建立新型警务运行模式", None,
     [("丽水市公安局", "丽水市公安局", "331100", "city", True)]),
    ("丽水公安打好电诈案件压降攻坚战", None,
     [("丽水公安", "丽水公安", "331100", "city", True)]),
    # --- ambiguous short names alone are not mentions
    ("民警在天台上发现晾晒的可疑物品", None, []),
    ("江山如画，守护一方平安", None, []),
    ("游客在龙泉寺前排队祈福", None, []),
    ("平湖秋月景区客流同比上升", None, []),
    ("景区安宁生活得到保障", None, []),
    # ...but they count with an agency word or a qualifying place
    ("天台公安破获一起电诈案", None, [("天台公安", "天台公安", "331023", "county", True)]),
    ("浙江天台的民警走进校园", None, [("浙江天台", None, "331023", "county", True)]),
    ("台州玉环交警开展夜查", None, [("台州玉环交警", "台州玉环交警", "331083", "county", True)]),
    # --- words that look like places but are not counties
    ("三合派出所民警入户走访孤寡老人", None, []),
    ("在长春社区为试点推进充电改造", None, []),
    ("丽水路派出所接警后迅速处置", None, []),
    ("南宁海关查获走私冻品", None, []),
    ("城区警情同比下降", None, []),
    ("强化安全市场监管", None, []),
    ("建设平安公安，守护万家灯火", None, []),
    # --- other provinces resolve when qualified, else stay unresolved
    ("江苏省昆山市公安局破获跨省电诈团伙", None,
     [("江苏省昆山市公安局", "江苏省昆山市公安局", "320583", "county", True)]),
    ("江苏昆山公安协助抓获嫌疑人2名", None,
     [("江苏昆山公安", "江苏昆山公安", "320583", "county", True)]),
    ("北京市朝阳区公安分局通报", None,
     [("北京市朝阳区公安分局", "北京市朝阳区公安分局", "110105", "county", True)]),
    ("朝阳区公安分局通报案件进展", None,
     [("朝阳区公安分局", "朝阳区公安分局", None, None, False)]),
    ("普陀区警情同比下降8%", None, [("普陀区", None, None, None, False)]),
    ("普陀区警情同比下降8%", "舟山", [("普陀区", None, "330903", "county", True)]),
    ("普陀区警情同比下降8%", "上海", [("普陀区", None, "310107", "county", True)]),
    ("舟山普陀公安开展海上巡逻", None,
     [("舟山普陀公安", "舟山普陀公安", "330903", "county", True)]),
    ("浙江省舟山市普陀区公安分局", None,
     [("浙江省舟山市普陀区公安分局", "浙江省舟山市普陀区公安分局", "330903", "county", True)]),
    ("长春市公安局派员来访", None, [("长春市公安局", "长春市公安局", "220100", "city", True)]),
    # --- province and city scope
    ("全省刑事警情下降12.5%", "丽水", [("全省", None, "330000", "province", True)]),
    ("全省刑事警情下降12.5%", None, [("全省", None, None, None, False)]),
    ("市公安局交警支队开展夜查", "丽水",
     [("市公安局交警支队", "市公安局交警支队", "331100", "city", True)]),
    ("县公安局召开部署会", None, [("县公安局", "县公安局", None, None, False)]),
    ("辖区派出所民警上门走访", None, []),
    ("全市共化解纠纷300余起", "丽水", [("全市", None, "331100", "city", True)]),
    ("全市公安机关开展冬季行动", "331100",
     [("全市公安机关", "全市公安机关", "331100", "city", True)]),
    ("浙江警方破获电诈案件", None, [("浙江警方", "浙江警方", "330000", "province", True)]),
    # --- aliases without a code, and renamed places
    ("开发区公安建立工作机制", None, [("开发区公安", "开发区公安", None, None, False)]),
    ("江南分局举行主题报告会", "金华", [("江南分局", "江南分局", "金华江南", "county", True)]),
    ("江南分局举行主题报告会", None, [("江南分局", "江南分局", None, None, False)]),
    ("丽水市公安局莲都分局破获盗窃案", None,
     [("丽水市公安局莲都分局", "丽水市公安局莲都分局", "331102", "county", True)]),
    ("下城区公安分局通报", None, [("下城区公安分局", "下城区公安分局", "330105", "county", True)]),
    ("玉环县公安局交警大队", None,
     [("玉环县公安局交警大队", "玉环县公安局交警大队", "331083", "county", True)]),
    # --- several mentions in one sentence, in order
    ("莲都公安与缙云公安、青田县公安局联合行动", None,
     [("莲都公安", "莲都公安", "331102", "county", True),
      ("缙云公安", "缙云公安", "331122", "county", True),
      ("青田县公安局", "青田县公安局", "331121", "county", True)]),
    ("上海宁波两地警方协作", None,
     [("上海", None, "310000", "province", True), ("宁波", None, "330200", "city", True)]),
]


def _check(m: Mention, expected):
    text, agency, ident, level, confident = expected[:5]
    kind = expected[5] if len(expected) > 5 else ("agency" if agency else "place")
    assert m.text == text
    assert m.agency == agency
    assert m.confident is confident
    if ident is None:
        assert m.place is None
        return
    assert m.place is not None
    if ident.isdigit():
        assert m.place.code == ident
    else:
        assert m.place.name == ident
    assert m.place.level == level
    assert m.kind == kind
    assert m.via_town is (kind == "town" or (len(expected) > 6 and expected[6]))


@pytest.mark.parametrize("sentence,hint,expected", CASES, ids=[f"{i:02d}-{c[0][:10]}" for i, c in enumerate(CASES)])
def test_mentions(sentence, hint, expected):
    found = places.scan(sentence, hint)
    assert [m.text for m in found] == [e[0] for e in expected]
    for m, e in zip(found, expected):
        assert sentence[m.start:m.end] == m.text
        _check(m, e)


def test_at_least_forty_cases():
    assert len(CASES) >= 40


def test_sample_bulletin_agencies_and_offsets():
    text = SAMPLE.read_text(encoding="utf-8")
    found = places.scan(text, "丽水")
    for m in found:
        assert text[m.start:m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:])), "ordered, non-overlapping"
    agencies = {m.agency: m for m in found if m.agency}
    expected = {
        "丽水莲都公安": "331102", "缙云公安": "331122", "云和公安": "331125",
        "开发区公安": None, "青田县公安局": "331121", "遂昌公安": "331123",
        "松阳公安": "331124", "龙泉公安": "331181", "景宁公安": "331127",
        "庆元公安": "331126", "天台县公安局三合派出所": "331023",
        "温岭市公安局横峰派出所": "331081", "临海市公安局交警大队头门港中队": "331082",
        "金华市市公安局江南分局": None, "义乌市消防救援支队": "330782",
        "安吉县消防救援大队": "330523", "江山市消防救援大队": "330881",
        "丽水市公安局": "331100", "丽水公安": "331100", "松阳西屏派出所": "331124",
    }
    for agency, code in expected.items():
        assert agency in agencies, agency
        assert agencies[agency].place is not None and agencies[agency].place.code == code
    assert agencies["开发区公安"].place.name == "丽水经济技术开发区"
    assert agencies["金华市市公安局江南分局"].place.name == "金华江南"
    assert agencies["金华市市公安局江南分局"].place.city == "金华市"
    # 长春 in 长春社区 and 江南 in 江南分局 never surface as places of their own
    assert not [m for m in found if m.text.startswith("长春") or m.text == "江南"]


def test_resolve_manifest_regions():
    assert places.resolve("缙云县").code == "331122"
    assert places.resolve("缙云").code == "331122"
    assert places.resolve("丽水市").level == "city"
    assert places.resolve("331122").name == "缙云县"
    assert places.resolve("3311").code == "331100"
    assert places.resolve("浙江省丽水市缙云县").code == "331122"
    assert places.resolve("丽水开发区").name == "丽水经济技术开发区"
    assert places.resolve("江干区").code == "330102"
    assert places.resolve("普陀区") is None            # two places, no hint: never a guess
    assert places.resolve("普陀区", "舟山").code == "330903"
    assert places.resolve("普陀", city_hint="310000").code == "310107"
    assert places.resolve("开发区") is None
    assert places.resolve("开发区", "丽水").name == "丽水经济技术开发区"
    assert places.resolve("火星") is None
    assert places.resolve("") is None


def test_county_place_has_parent_full_names():
    p = places.by_code("331127")
    assert p == Place("331127", "景宁畲族自治县", "景宁", "county", "331100", "丽水市", "浙江省")
    assert places.city_of(p).code == "331100"
    assert places.city_of(places.by_code("331100")).code == "331100"
    assert places.city_of(places.by_code("330000")) is None
    assert places.city_of(places.resolve("开发区", "丽水")).code == "331100"
    assert places.by_code("999999") is None
    assert places.by_code("abc") is None


def test_zhejiang_counties_are_the_90_current_divisions():
    zj = places.zhejiang_counties()
    assert len(zj) == 90 and len({p.code for p in zj}) == 90
    assert all(p.level == "county" and p.province == "浙江省" and p.code.startswith("33") for p in zj)
    assert {"临平区", "钱塘区"} <= {p.name for p in zj}


def test_all_places_adds_codeless_aliases_once():
    allp = places.all_places()
    codeless = [p for p in allp if p.code is None]
    assert len({p.name for p in codeless}) == len(codeless)
    assert "金华江南" in {p.name for p in codeless}
    assert all(p.city_code and len(p.city_code) == 6 for p in codeless)


def test_agency_kind():
    assert places.agency_kind("临海市公安局交警大队头门港中队") == "traffic"
    assert places.agency_kind("江山市消防救援大队") == "fire"
    assert places.agency_kind("缙云公安") == "police"
    assert places.agency_kind(None) is None


def test_bad_reference_file_is_one_clear_error(tmp_path):
    ref = tmp_path
    for name in ("gazetteer.csv", "aliases.csv", "agency_words.csv", "ambiguous_names.csv"):
        (ref / name).write_bytes((ROOT / "data" / "reference" / name).read_bytes())
    (ref / "agency_words.csv").write_text("word,kind\n公安,police\n", encoding="utf-8")
    with pytest.raises(places.GazetteerError) as exc:
        places._Gazetteer(ref)
    msg = str(exc.value)
    assert "agency_words.csv" in msg and "depth" in msg and "\n" not in msg
    (ref / "agency_words.csv").unlink()
    with pytest.raises(places.GazetteerError, match="agency_words.csv: file not found"):
        places._Gazetteer(ref)


def test_hostile_and_empty_text():
    assert places.scan("") == []
    assert places.scan("<script>alert(1)</script>丽水公安") [0].agency == "丽水公安"
    assert places.scan("公安局派出所大队中队") == []


# --- names unique in China stand alone, wherever they are
@pytest.mark.parametrize("text,surface,code", [
    ("去年徐州110接报警电话12万余起", "徐州", "320300"),
    ("据统计，柳州今年电诈发案下降两成", "柳州", "450200"),
    ("今年以来，昆山全市刑事警情下降", "昆山", "320583"),
    ("在晋江，反诈宣传走进了鞋服企业", "晋江", "350582"),
    ("义乌34人醉驾被查", "义乌", "330782"),
    ("记者从柳州获悉，全市交通事故起数下降", "柳州", "450200"),
])
def test_unique_name_of_any_province_stands_alone(text, surface, code):
    got = [m for m in places.scan(text) if m.text == surface]
    assert got and got[0].place.code == code and got[0].confident


@pytest.mark.parametrize("text", [
    "民警带来安全知识讲座，群众纷纷点赞",        # 来安 inside 带来|安全
    "社会治安平稳有序，群众安居乐业",            # 安平 inside 治安|平稳
    "民警与群众沟通化解矛盾纠纷",                # 通化 inside 沟通|化解
    "比如在夜间巡逻中发现隐患",                  # 比如 (a county of Tibet) is a word
    "警方延长了窗口服务时间",                    # 延长 (a county of Shaanxi) is a word
    "太平洋保险公司协助开展反诈宣传",            # 太平 inside 太平洋
    "白山黑水之间，民警守护一方平安",            # an idiom
    "从东至西的主干道全线实施交通管制",
    "警民同心护平安",                            # 同心 (a county of Ningxia) is a word
    "通讯员 项丹阳",                              # a person: 丹阳 after a surname
    "民警王建华耐心劝导",
    "阳春三月，山城处处生机盎然",
    "公安机关会同市场监管部门开展联合检查",      # 会同 (a county of Hunan) is a word
    "城北新区人口密集，警情相对较多",
    "民警找回了一个旧手机",                      # 个旧 (a city of Yunnan) across 一个|旧
    "全力创建平安示范县",                        # 示范县 holds 范县 (a county of Henan)
    "争创全国示范县的步伐不断加快",
])
def test_unique_names_hidden_in_ordinary_words_are_not_places(text):
    assert [(m.text, m.place.name) for m in places.scan(text) if m.place is not None] == []


def test_full_name_of_another_province_outside_a_word_still_counts():
    assert [m.place.code for m in places.scan("河南省范县公安局通报") if m.place] == ["410926"]
    assert [m.place.code for m in places.scan("在范县，民警走访群众") if m.place] == ["410926"]


def test_duplicated_short_name_still_needs_a_qualifier():
    assert [m for m in places.scan("朝阳的群众积极参与") if m.place] == []
    assert places.scan("北京朝阳的群众")[-1].place.code == "110105"


def test_mention_has_via_town_default():
    m = places.scan("缙云公安抓获嫌疑人")[0]
    assert m.via_town is False and m.kind == "agency"


# --- a district reported by its district bureau stays that district
@pytest.mark.parametrize("text,hint,agency,code", [
    ("吴兴分局开展夏夜治安巡查", None, "吴兴分局", "330502"),
    ("湖州市公安局吴兴分局破获一起盗窃案", None, "湖州市公安局吴兴分局", "330502"),
    ("湖州吴兴分局民警走进校园", None, "湖州吴兴分局", "330502"),
    ("鄞州分局组织民警开展培训", None, "鄞州分局", "330212"),
    ("宁波市公安局鄞州分局召开会议", None, "宁波市公安局鄞州分局", "330212"),
    ("市公安局吴兴分局开展行动", "湖州", "市公安局吴兴分局", "330502"),
    ("市公安局吴兴分局开展行动", None, "市公安局吴兴分局", "330502"),
    ("市公安局莲都分局刑侦大队破案", "丽水", "市公安局莲都分局刑侦大队", "331102"),
])
def test_district_bureau_is_the_district(text, hint, agency, code):
    got = [m for m in places.scan(text, hint) if m.agency]
    assert got[0].agency == agency
    assert (got[0].place.code, got[0].place.level) == (code, "county")


def test_city_bureau_with_a_shared_district_name_stays_open():
    # 普陀 is a district of 舟山 and of 上海: with no city the sub-unit settles nothing
    m = places.scan("市公安局普陀分局开展行动")[0]
    assert m.place is None and not m.confident
    assert places.scan("市公安局普陀分局开展行动", "舟山")[0].place.code == "330903"


# --- the publisher's name, for articles whose manifest gives no region
@pytest.mark.parametrize("publisher,code", [
    ("德清新闻网", "330521"), ("诸暨日报", "330681"), ("建德新闻网", "330182"),
    ("丽水日报", "331100"), ("浙江日报", "330000"), ("浙江法制报", "330000"),
    ("平安德清", "330521"), ("江山新闻网", "330881"), ("温州都市报", "330300"),
    ("缙云公安微警务", "331122"), (" 临安发布 ", "330112"), ("柳州日报", "450200"),
    ("丽水市公安局", "331100"),
    # a name a Zhejiang place shares with places elsewhere is the Zhejiang one
    ("普陀新闻网", "330903"), ("今日象山", "330225"), ("平阳新闻网", "330326"),
    # a county's business paper, evening paper, mobile edition
    ("永康商报", "330784"), ("嵊州时报", "330683"), ("乐清手机报", "330382"),
])
def test_publisher_names_its_place(publisher, code):
    p = places.from_publisher(publisher)
    assert p is not None and p.code == code


@pytest.mark.parametrize("publisher", [
    "人民公安报", "中国警察网", "新华网", "钱江晚报", "江南晚报", "鼓楼新闻网",
    # papers named after words that are also the name of one place (新民市, 光明区, 解放区)
    "新民晚报", "光明日报", "解放日报", "", None, "日报", "报",
])
def test_publisher_without_one_place_is_none(publisher):
    assert places.from_publisher(publisher) is None


def test_bad_towns_file_is_one_clear_error(tmp_path):
    for f in (ROOT / "data" / "reference").glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "towns.csv").write_text("name,short,type,county_code\n梅城镇,梅城,镇,999999\n", encoding="utf-8")
    with pytest.raises(places.GazetteerError, match=r"towns.csv: line 2: unknown county_code 999999"):
        places._Gazetteer(tmp_path)
    (tmp_path / "towns.csv").unlink()
    with pytest.raises(places.GazetteerError, match="towns.csv: file not found"):
        places._Gazetteer(tmp_path)


@pytest.mark.parametrize("text,code", [
    ("南昌地铁站内民警救助一名晕倒乘客", "360100"),
    ("长沙警方通报一起案件", "430100"),
    ("在乌鲁木齐，反诈宣传进社区", "650100"),
])
def test_city_sharing_its_name_with_its_own_county_is_the_city(text, code):
    got = [m for m in places.scan(text) if m.place is not None]
    assert got and got[0].place.code == code


def test_county_named_like_its_city_keeps_its_full_name():
    assert places.scan("长沙县公安局通报")[0].place.code == "430121"
    assert places.resolve("长沙").code == "430100"


@pytest.mark.parametrize("text, hint", [
    ("民警在三河古镇等重点区域开展火灾防控，检查社会单位860家", "合肥"),
    ("周庄古镇客流量创新高", None),
])
def test_a_name_before_gu_zhen_is_a_town_not_a_county(text, hint):
    """三河古镇 is 肥西's old town, not 河北's 三河市: 古镇 is a locality word. (古城 is not:
    正定古城, 平遥古城 are the counties' own old towns.)"""
    assert not [m for m in places.scan(text, hint) if m.place is not None and m.place.name == "三河市"]
    assert places.scan("三河市公安局破获案件12起")[0].place.name == "三河市"
    assert places.scan("国庆长假期间，正定古城共接待游客112万人次", "石家庄")[0].place.name == "正定县"
