"""Words and number formats the three packs share, so a figure reads the same everywhere.

Chinese readers expect figures the way bulletins write them: no thousands separators,
money in 万/亿, and the qualifier (余, 近, 以上…) where a bulletin would put it. A pack
that printed "6,300 起" beside a source sentence saying "6300余起" would look like a
different number, so every pack formats through `fmt_value`.
"""
from __future__ import annotations

import datetime as dt
import math

# one formatter for pages and packs: a figure reads the same on screen and on paper
from dashboard.i18n import QUAL_BEFORE, fmt_change, fmt_value, number, scaled  # noqa: F401

#: the font every export names, Latin and East Asian alike (Debian fonts-noto-cjk); a
#: viewer without it falls back by script instead of drawing boxes.
CJK_FONT = "Noto Sans CJK SC"

TEXT = {
    "zh": {
        "title": "平安指标简报",
        "generated": "生成日期",
        "scope": "范围",
        "period": "时段",
        "all_places": "全部地区",
        "all_dates": "全部日期",
        "all_categories": "全部类别",
        "date_unknown": "日期不详",
        "place_unknown": "地区未明",
        "to": "至",
        "summary": "关键指标概览",
        "no_figures": "所选范围内没有指标。",
        "compare": "各地对比",
        "changes": "报道的主要变化",
        "appendix": "附录：数据来源",
        "sources": "来源",
        "place": "地区",
        "metric": "指标",
        "value": "数值",
        "date": "日期",
        "bulletin": "简报",
        "sentence": "原句",
        "period_col": "时期",
        "change": "变化",
        "up": "上升",
        "down": "下降",
        "demo_note": "* 演示（合成）数据，非真实报道",
        "demo_tag": "演示",
        "latest_note": "数值为各地在所选时段内最新报道的数值，未跨简报累加。",
        "change_note": "变化按报道原文列出，附其时期；未推算基数。",
        "reports": "个地区有报道",
        "highest": "最高",
        "notes_sources": "来源：",
        "key_figures": "重点指标",
        "overview": "总体情况",
        "notes": "注释",
        "scorecard": "区县记分卡",
        "appendix_files": "附录：来源文件",
        "overview_text": "本简报汇总{n_bul}份简报中的{n_fig}项数据，涉及{n_place}个地区。",
        "figures_sheet": "数据明细",
        "latest_sheet": "最新值",
        "changes_sheet": "变化",
        "about_sheet": "说明",
        "category": "类别",
        "measure": "度量",
        "unit": "单位",
        "qualifier": "修饰词",
        "direction": "方向",
        "raw": "原文",
        "county_code": "地区代码",
        "city": "市",
        "article": "篇目",
        "file": "文件",
        "synthetic": "演示数据",
        "sources_list": "数据来源",
        "n_sources": "报道次数",
        "see_table": "其余{n}个地区见下表。",
        "source_in": "来源",
        "period_in": "",
        "more_in_notes": "（全文见备注）",
        "area_figure": "全省/所选地区",
        "reporting": "有报告的区县",
        "best": "最好",
        "worst": "最差",
        "legend_good": "较好（前三分之一）",
        "legend_middle": "中间",
        "legend_bad": "较差（后三分之一）",
        "legend_good_change": "向好",
        "legend_bad_change": "变差",
        "legend_none": "该指标无好坏之分，按数值排列",
        "best_on_top": "上为较好",
        "note_col": "注",
        ".": "。",
        ":": "：", ",": "，", ";": "；", "(": "（", ")": "）",
    },
    "en": {
        "title": "Ping'an Metrics briefing",
        "generated": "Generated",
        "scope": "Scope",
        "period": "Period",
        "all_places": "all places",
        "all_dates": "all dates",
        "all_categories": "all categories",
        "date_unknown": "date unknown",
        "place_unknown": "place unresolved",
        "to": "to",
        "summary": "Key figures",
        "no_figures": "No figures in the selected scope.",
        "compare": "County comparison",
        "changes": "Largest reported changes",
        "appendix": "Appendix: sources",
        "sources": "Sources",
        "place": "Place",
        "metric": "Metric",
        "value": "Value",
        "date": "Date",
        "bulletin": "Bulletin",
        "sentence": "Sentence",
        "period_col": "Period",
        "change": "Change",
        "up": "up",
        "down": "down",
        "demo_note": "* Demo (synthetic) figure, not a real report",
        "demo_tag": "demo",
        "latest_note": "Latest value reported for each place within the period; never summed across bulletins.",
        "change_note": "Changes as reported, with their period; no base is inferred.",
        "reports": "places reporting",
        "highest": "highest",
        "notes_sources": "Sources:",
        "key_figures": "Key metrics",
        "overview": "Overview",
        "notes": "Notes",
        "scorecard": "County scorecard",
        "appendix_files": "Appendix: source files",
        "overview_text": "This briefing draws {n_fig} figures from {n_bul} bulletins covering {n_place} places.",
        "figures_sheet": "Figures",
        "latest_sheet": "Latest values",
        "changes_sheet": "Changes",
        "about_sheet": "About",
        "category": "Category",
        "measure": "Measure",
        "unit": "Unit",
        "qualifier": "Qualifier",
        "direction": "Direction",
        "raw": "As written",
        "county_code": "Place code",
        "city": "City",
        "article": "Article",
        "file": "File",
        "synthetic": "Demo data",
        "sources_list": "Sources",
        "n_sources": "Times reported",
        "see_table": "{n} more places are in the table below.",
        "source_in": "source",
        "period_in": "",
        "more_in_notes": " (full text in notes)",
        "area_figure": "Province / chosen area",
        "reporting": "Counties reporting",
        "best": "Best",
        "worst": "Worst",
        "legend_good": "better third",
        "legend_middle": "middle third",
        "legend_bad": "worse third",
        "legend_good_change": "good news",
        "legend_bad_change": "bad news",
        "legend_none": "no better or worse for this metric: ordered by value",
        "best_on_top": "best at the top",
        "note_col": "Note",
        ".": ".",
        ":": ": ", ",": ", ", ";": "; ", "(": " (", ")": ")",
    },
}

def unit_label(unit: str | None, lang: str) -> str:
    """A chart's unit in the reader's language ('分钟' -> 'min'); money is labelled per bar."""
    from dashboard import i18n
    if not unit:
        return ""
    return (i18n.UNITS_EN.get(unit, unit) or "") if lang == "en" else unit


def t(lang: str, key: str) -> str:
    return TEXT.get(lang, TEXT["zh"]).get(key, TEXT["zh"][key])


def paren(lang: str, text: str) -> str:
    """'（…）' in Chinese, ' (…)' in English."""
    return f"{t(lang, '(')}{text}{t(lang, ')')}"


def category_name(code: str | None, lang: str) -> str:
    from dashboard import i18n   # one vocabulary with the pages
    return i18n.category(code, lang)


def measure_name(code: str | None, lang: str) -> str:
    from dashboard import i18n
    return i18n.measure(code, lang)


def fmt_date(d, lang: str = "zh") -> str:
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return t(lang, "date_unknown")
    try:
        import pandas as pd
        if pd.isna(d):
            return t(lang, "date_unknown")
    except (TypeError, ValueError):
        pass
    if isinstance(d, dt.datetime):
        d = d.date()
    return d.isoformat() if isinstance(d, dt.date) else str(d)
