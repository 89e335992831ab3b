"""Number forms of the genre that the figure finder reads (issue 8): each rule with several
differently-worded sentences, all written for these tests."""
import pytest

from etl.extract import extract_text
from etl.manifest import Meta

B = "f" * 16


def rows(text, **meta):
    return extract_text(text, "t.txt", B, Meta(**meta))[1]


def figs(text, **meta):
    return [(r["raw"], r["value"], r["unit"], r["qualifier"]) for r in rows(text, **meta)]


@pytest.mark.parametrize("text, raw, value, unit", [
    ("本报讯 今年以来共调处矛盾纠纷件182，调处成功率98%。", "件182", 182, "件"),
    ("本报讯 全年受理群众求助起1350，办结率100%。", "起1350", 1350, "起"),
    ("本报讯 去年该所抓获违法犯罪嫌疑人人47；破获案件宗63。", "人47", 47, "人"),
])
def test_unit_before_the_number(text, raw, value, unit):
    assert (raw, value, unit, None) in figs(text, region="缙云")


def test_unit_before_the_number_is_not_a_code_or_a_name():
    # a unit character followed by digits inside a code or before more text is no figure
    assert figs("本报讯 民警在G60高速查获一辆车，车牌号浙K12345。", region="缙云") == []


@pytest.mark.parametrize("text, expected", [
    ("本报讯 治安、刑事警情同比分别上升 8.22、28.26 个百分点。",
     [("8.22", 8.22, "个百分点"), ("28.26 个百分点", 28.26, "个百分点")]),
    ("本报讯 两抢、盗窃案件分别为3、5、12起。", None),
    ("本报讯 今年以来，该局共查处酒驾、醉驾、毒驾 120、36、4 起。",
     [("120", 120, "起"), ("36", 36, "起"), ("4 起", 4, "起")]),
    ("本报讯 电诈、盗窃损失分别为1.2、3.5亿元。", [("1.2", 1.2e8, "元"), ("3.5亿元", 3.5e8, "元")]),
])
def test_bare_items_of_a_list_share_its_unit(text, expected):
    got = [(r["raw"], r["value"], r["unit"]) for r in rows(text, region="缙云")]
    if expected is None:  # three items, two places: "3、5、12起"
        assert [v for _, v, _ in got] == [3, 5, 12] and {u for _, _, u in got} == {"起"}
    else:
        assert got == expected


def test_a_list_of_changes_keeps_its_direction():
    got = rows("本报讯 治安、刑事警情同比分别下降 8.2、12 个百分点。", region="缙云")
    assert [(r["value"], r["direction"], r["measure"]) for r in got] == [
        (8.2, "down", "change"), (12, "down", "change")]


def test_an_ordinal_list_is_not_shared():
    assert figs("本报讯 该队在比赛中获得第1、2名。", region="缙云") == []


@pytest.mark.parametrize("text, raw, value", [
    ("本报讯 今年以来帮助群众挽回损失890 余万元。", "890 余万元", 8.9e6),
    ("本报讯 共追缴赃款 56 多万元。", "56 多万元", 5.6e5),
])
def test_space_before_a_qualifier(text, raw, value):
    got = figs(text, region="缙云")
    assert [(r, v) for r, v, _, _ in got] == [(raw, value)]


@pytest.mark.parametrize("text, raw, value, qualifier", [
    ("本报讯 电诈警情占全部警情的近两成。", "近两成", 20, "近"),
    ("本报讯 本地籍嫌疑人占比不足3成。", "不足3成", 30, "不足"),
    ("本报讯 网络诈骗占发案总数约四成。", "约四成", 40, "约"),
])
def test_proportions_in_cheng(text, raw, value, qualifier):
    assert [(r, v, u, q) for r, v, u, q in figs(text, region="缙云")] == [(raw, value, "%", qualifier)]


@pytest.mark.parametrize("text, raw, value, unit, qualifier", [
    ("本报讯 辖区服务20多万居民。", "20多万", 2e5, "人", "多"),
    ("本报讯 平安志愿者走进社区，覆盖常住人口35万余人口。", None, None, None, None),
    ("本报讯 该所辖区有流动人口3.6万，农户1.2万。", "3.6万", 3.6e4, "人", None),
    ("本报讯 反诈宣传覆盖群众120余万群众。", None, None, None, None),
])
def test_populations_in_wan(text, raw, value, unit, qualifier):
    got = figs(text, region="缙云")
    if raw is None:
        assert got and all(u == "人" for _, _, u, _ in got)
    else:
        assert (raw, value, unit, qualifier) in got


@pytest.mark.parametrize("text, raw, period", [
    ("本报讯 今年以来，全县日均接警2500余条，同比下降5%。", "2500余条", "日均"),
    ("本报讯 该大队平均每天处置各类警情120起。", "120起", "平均每天"),
    ("本报讯 反诈中心月均劝阻群众1800余人。", "1800余人", "月均"),
])
def test_averages_per_day_are_the_figures_period(text, raw, period):
    got = {r["raw"]: r["period"] for r in rows(text, region="缙云")}
    assert got[raw] == period


def test_an_average_per_day_covers_its_own_clause_only():
    got = {r["raw"]: r["period"] for r in rows(
        "本报讯 今年以来，该局日均接警300余起，共破获刑事案件120起。", region="缙云")}
    assert got["300余起"] == "日均" and got["120起"] == "今年以来"


@pytest.mark.parametrize("text, raw, value", [
    ("本报讯 该县连续13年命案全破。", "13年", 13),
    ("本报讯 青田公安连续5年实现命案“零发生”后又创佳绩。", "5年", 5),
    ("本报讯 该镇已连续十年无重大刑事案件。", "十年", 10),
])
def test_a_streak_of_years_is_a_result(text, raw, value):
    got = [r for r in rows(text, region="缙云") if r["unit"] == "年"]
    assert [(r["raw"], r["value"], r["measure"]) for r in got] == [(raw, value, "years")]


@pytest.mark.parametrize("text, raw", [
    ("本报讯 今年城区派出所已连续5个月下降。", "5个月"),
    ("本报讯 全县“两抢”发案连续十一个月下降。", "十一个月"),
])
def test_a_streak_of_months_ending_in_a_bare_fall_is_a_result(text, raw):
    assert raw in [r["raw"] for r in rows(text, region="缙云")]


@pytest.mark.parametrize("text, kept", [
    ("本报讯 指挥中心110报警电话15秒接通率达99.2%。", ["99.2%"]),
    ("本报讯 全县民警3分钟内到场率为93.5%，比去年提高2个百分点。", ["93.5%", "2个百分点"]),
    ("本报讯 城区5分钟到场率98%，平均到场用时4分钟。", ["98%", "4分钟"]),
])
def test_a_time_naming_a_rate_is_no_figure(text, kept):
    assert [r["raw"] for r in rows(text, region="缙云")] == kept


@pytest.mark.parametrize("text, raw, value", [
    ("本报讯 今年民警平均到场用时4分36秒。", "4分36秒", 4.6),
    ("本报讯 一次接处警平均耗时9分18秒，比去年少1分钟。", "9分18秒", 9.3),
    ("本报讯 消防车从接警到出动历时1分30秒。", "1分30秒", 1.5),
])
def test_minutes_and_seconds_after_a_word_ending_in_shi(text, raw, value):
    # 用时/耗时/历时 end in 时 but are no hour: the time is one figure in minutes
    got = {r["raw"]: (r["value"], r["unit"]) for r in rows(text, region="缙云")}
    assert got[raw] == (value, "分钟")


def test_quarters_in_a_slogan_and_a_year_are_not_streaks():
    assert figs("本报讯 该所“连续18个季度”被评为红旗派出所，2019年起实行。", region="缙云") == []


@pytest.mark.parametrize("text, raw, value, unit", [
    ("本报讯 巡逻防控面积达23.7平方公里。", "23.7平方公里", 23.7, "平方公里"),
    ("本报讯 新建消防站占地面积4500平方米。", "4500平方米", 4500, "平方米"),
])
def test_areas(text, raw, value, unit):
    assert (raw, value, unit, None) in figs(text, region="缙云")


@pytest.mark.parametrize("text, expected", [
    ("义乌34人醉驾被查\n\n本报讯 今年以来，义乌交警共查处醉驾34人。\n", [("34人", "330782")] * 2),
    ("抓获嫌犯1179人 止损8000余万元\n\n本报讯 今年以来，温岭市公安局共抓获犯罪嫌疑人1179人，"
     "为群众止损8000余万元。\n", None),
    ("缙云：今年化解纠纷六千余起\n\n本报讯 缙云县公安局今年以来化解矛盾纠纷6000余起。\n", None),
])
def test_headline_figures_are_reports(text, expected):
    got = rows(text)
    heads = [r for r in got if r["start"] < text.index("\n")]
    body = [r for r in got if r["start"] > text.index("\n")]
    assert heads, "the headline's figure is extracted"
    if expected:
        assert [(r["raw"], r["county_code"]) for r in got] == expected
    for h in heads:
        twin = next((b for b in body if b["value"] == h["value"]), None)
        if twin:  # one fact with two sources: same place, metric and period
            assert (h["county_code"], h["metric"], h["period"]) == (
                twin["county_code"], twin["metric"], twin["period"])
            assert h["place_source"] in ("clause", "headline", "article_lead")


def test_a_case_headline_is_not_a_result():
    text = "男子酒后驾车撞伤2人被刑拘\n\n本报讯 近日，男子王某酒后驾车撞伤路人2人，被依法刑事拘留。\n"
    assert [r for r in rows(text, region="缙云") if r["start"] < text.index("\n")] == []


@pytest.mark.parametrize("text, raw", [
    ("本报讯 该所辖区连续62个月实现“零命案”。", "62个月"),
    ("本报讯 全镇已连续8个季度零发案。", "8个季度"),
])
def test_a_streak_of_months_or_quarters_is_a_result(text, raw):
    assert [r["raw"] for r in rows(text, region="缙云")] == [raw]


@pytest.mark.parametrize("text", [
    "本报讯 新区打造“5分钟消防救援圈”，覆盖全域。",
    "本报讯 该县构建“15分钟警务服务圈”。",
    "本报讯 春运40天，民警坚守一线。",
    "本报讯 国庆假期7天，全县道路交通安全形势平稳。",
])
def test_names_and_campaign_lengths_are_not_figures(text):
    assert rows(text, region="缙云") == []


@pytest.mark.parametrize("text, raw", [
    ("本报讯 今年以来，该局日均接报警情2500余起。", "2500余起"),
    ("本报讯 全年共处置骚扰报警1200余起。", "1200余起"),
    ("本报讯 去年该中心受理报警求助38.6万次。", "38.6万次"),
    ("本报讯 全年接报案件4300余起，同比下降6%。", "4300余起"),
])
def test_calls_counted_in_bulk_are_not_a_case_story(text, raw):
    assert raw in [r["raw"] for r in rows(text, region="缙云")]


def test_a_person_reporting_a_case_is_a_story():
    got = rows("本报讯 市民王先生报警称被骗3万元，民警迅速出警。", region="缙云")
    assert "3万元" not in [r["raw"] for r in got]


@pytest.mark.parametrize("text, raws", [
    ("该大队开展冷库专项整治，检查企业一百一十六家，督促整改隐患五百三十处，责令停产停业七家。",
     ["一百一十六家", "五百三十处", "七家"]),
    ("全镇排查出租屋三百二十户，清理无证摊点四十五处，取缔黑作坊三家。",
     ["三百二十户", "四十五处", "三家"]),
])
def test_a_small_figure_spelled_in_characters_after_two_larger_ones_is_a_figure(text, raws):
    """A writer who spells 一百一十六家 in characters spells the small figure of the same
    list so too (七家): it is a result, not narrative."""
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws


@pytest.mark.parametrize("text, raws", [
    ("两名民警赶到现场，救出十二名被困群众。", ["十二名"]),
    ("民警兵分三路，抓获嫌疑人五名。", []),
])
def test_narrative_small_numbers_stay_out(text, raws):
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws


@pytest.mark.parametrize("text, raws", [
    ("整治后，辖区盗窃警情由平均每天14起左右降至6起。", ["14起左右", "6起"]),
    ("夜间噪音投诉从每周30余起减少到8起。", ["30余起", "8起"]),
    ("每周开展2次夜查。", []),
    ("每月走访降至3次以下的社区列为重点。", []),
])
def test_a_daily_rate_brought_down_to_a_level_is_a_result_a_routine_is_not(text, raws):
    """由每天25起降至9起: where a rate came down to is a result, though 每天 stands before
    it; 每周开展2次 is a routine and 降至3次以下 with no figure it came from a threshold."""
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws


@pytest.mark.parametrize("text, want", [
    ("全年走访辖区群众户数达3.4万，收集意见建议620条。", ("户数达3.4万", 34000, "户")),
    ("国庆长假景区接待游客人次达152万。", ("人次达152万", 1520000, "人次")),
    ("窗口受理出入境业务件数达2.6万。", ("件数达2.6万", 26000, "件")),
])
def test_a_count_noun_before_its_number_in_wan(text, want):
    """户数达3.4万: the counter word stands in the noun before the number, which is in 万."""
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert (figs[0]["raw"], figs[0]["value"], figs[0]["unit"]) == want


@pytest.mark.parametrize("text, raws, values", [
    ("城区消防站平均到场时间为6分45秒。", ["6分45秒"], [6.75]),
    ("接警后平均到场时间由8分30秒缩短至5分钟。", ["8分30秒", "5分钟"], [8.5, 5]),
])
def test_minutes_and_seconds_are_one_time_in_minutes(text, raws, values):
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws
    assert [f["value"] for f in figs] == values and {f["unit"] for f in figs} == {"分钟"}


@pytest.mark.parametrize("text, raws", [
    ("改造完成后，群众办事时间平均每天减少3小时。", ["3小时"]),
    ("试点一个多月来，出警时间缩短至5分钟。", ["5分钟"]),
    ("每天巡逻2小时。", []),
])
def test_a_saving_per_day_and_a_span_of_a_month_are_no_routine_or_one_person(text, raws):
    """每天减少3小时 is a result; 一个多月来 is a span of time, not one person whose rescue
    the 5分钟 timed."""
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws


@pytest.mark.parametrize("text, raws", [
    ("全县电诈发案数连续7个月同比下降。", ["7个月"]),
    ("今年以来为群众追回被盗、被骗财物价值52.3万元。", ["52.3万元"]),
    ("民警在急弯处增设警示标志860余块。", ["860余块"]),
])
def test_a_streak_of_months_a_recovery_and_a_count_in_kuai(text, raws):
    """连续7个月同比下降 is a result held for months; 追回…被骗财物价值 what the police got
    back, not one victim's loss; 块 counts signs and boards."""
    _, figs = extract_text(text, "x.txt", "0" * 16)
    assert [f["raw"] for f in figs] == raws
