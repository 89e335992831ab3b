"""Safe highlighting and Chinese number formats: the small pure pieces the pages rely on."""
from dashboard import colors, i18n
from dashboard.text import bracket, escape_markdown, highlight_markdown


def test_markdown_escape_disarms_html_markdown_and_streamlit_directives():
    text = "<script>alert(1)</script> **粗** :red[红] $x$ [链接](http://x) `c` # 标题"
    out = escape_markdown(text)
    for ch in "<>*:[]$()`#":
        assert ch not in out.replace("\\" + ch, "")
    assert "化解纠纷" in escape_markdown("化解纠纷")


def test_highlight_marks_the_figure_and_escapes_the_rest():
    md = highlight_markdown("缙云<b>化解纠纷6300余起</b>", "6300余起")
    assert ":orange-background[**6300余起**]" in md
    assert md.startswith("缙云\\<b\\>化解纠纷")
    assert bracket("化解纠纷6300余起", "6300余起") == "化解纠纷【6300余起】"
    assert bracket("无此数字", "12起") == "无此数字"


def test_numbers_in_wan_and_yi_with_qualifiers_kept():
    assert i18n.fmt_number(130000000) == "1.3亿"
    assert i18n.fmt_number(25000) == "2.5万"
    assert i18n.fmt_number(6300) == "6300"
    assert i18n.fmt_value(6300, "起", "余") == "6300余起"
    assert i18n.fmt_value(10000, "人", "近") == "近1万人"
    assert i18n.fmt_value(6300, "起", "余", "en") == "over 6,300 cases"
    assert i18n.fmt_value(60, "%", "以上") == "60%以上"          # 以上 follows the unit
    assert i18n.fmt_value(24000000, "元", "余") == "2400万余元"   # money in 万元, 余 kept in place
    assert i18n.fmt_change(46.7, "%", None, "down") == "下降46.7%"
    assert i18n.fmt_value(46.7, "%", None, "en") == "46.7%"
    # one of a thing is singular in English: "1 case", "1 person", never "1 cases"
    assert i18n.fmt_value(1, "起", None, "en") == "1 case" and i18n.fmt_value(1, "名", None, "en") == "1 person"
    assert i18n.fmt_value(1, "份", None, "en") == "1 copy" and i18n.fmt_value(2, "起", None, "en") == "2 cases"


def test_every_string_has_both_languages():
    for key, (zh, en) in i18n.STRINGS.items():
        assert zh and en and zh != en or key in ("kpi_latest",), key


def test_county_colours_stable_and_distinct_within_a_city():
    lishui = ["331102", "331121", "331122", "331123", "331124", "331125", "331126", "331127", "331181"]
    directory = ["330102", "330105"] + lishui
    a = colors.county_colors(directory)
    b = colors.county_colors(list(reversed(directory)), shown=lishui[:3])
    assert all(a[c] == b[c] for c in lishui[:3])
    assert len({a[c] for c in lishui}) == len(lishui)


def test_value_axes_read_in_wan_for_chinese_readers():
    import plotly.graph_objects as go

    from dashboard import charts

    fig = go.Figure(go.Bar(x=["缙云", "莲都"], y=[123000, 56000]))
    charts.value_axis(fig, [123000, 56000], "zh")
    assert fig.layout.yaxis.ticktext[-1] == "12.5万" and fig.layout.yaxis.tickvals[-1] >= 123000
    assert "万" in "".join(fig.layout.yaxis.ticktext)
    en = go.Figure(go.Bar(x=["a"], y=[123000]))
    charts.value_axis(en, [123000], "en")
    assert en.layout.yaxis.ticktext is None          # English keeps Plotly's own 123k
    small = go.Figure(go.Bar(x=["a"], y=[630]))
    charts.value_axis(small, [630], "zh")
    assert small.layout.yaxis.ticktext is None       # below 1万 plain numbers read fine
