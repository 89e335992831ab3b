"""Every word the dashboard shows, in Chinese first and English second.

Users read Chinese; an English switch exists for visitors and reviewers. Keeping all
strings here (not in the pages) is what lets a test prove that the switch changes every
label, and lets staff fix a wording without touching page logic.
"""
from __future__ import annotations

import math

STRINGS: dict[str, tuple[str, str]] = {
    # app and navigation
    "app_title": ("平安指标看板", "Ping'an Metrics"),
    "page_overview": ("总览", "Overview"),
    "page_counties": ("区县对比", "Counties"),
    "page_initiatives": ("专项工作", "Initiatives"),
    "page_figures": ("数据明细", "Figures"),
    "page_quality": ("数据质量", "Data quality"),
    # sidebar filters
    "filters": ("筛选", "Filters"),
    "language": ("语言", "Language"),
    "since": ("起始日期", "From"),
    "until": ("截止日期", "To"),
    "cities": ("地市", "Cities"),
    "counties": ("区县", "Counties"),
    "categories": ("类别", "Categories"),
    "metrics": ("指标", "Metrics"),
    "initiatives": ("专项工作", "Initiatives"),
    "include_demo": ("包含演示数据", "Include demo data"),
    "reset": ("重置筛选", "Reset filters"),
    "share_hint": ("复制地址栏链接即可分享当前视图。", "Copy the address bar to share this view."),
    # banners and messages
    "synthetic_banner": ("注意：当前显示的数据包含合成演示数据（非真实通报），相关数字已标注“演示”。",
                         "Note: the figures shown include synthetic demo data (not real bulletins); "
                         "they are marked “demo”."),
    "no_warehouse": ("还没有数据仓库。请先导入通报：`python -m etl ingest data/bulletins/`"
                     "（仓库目录：{wh}）。",
                     "No warehouse yet. Ingest bulletins first: `python -m etl ingest data/bulletins/` "
                     "(warehouse: {wh})."),
    "no_warehouse_upload": ("数据仓库还是空的。在下方上传第一批通报，确认后即建立第一个快照。",
                            "The warehouse is still empty. Upload the first bulletins below; "
                            "committing them builds the first snapshot."),
    "auth_expired": ("登录已过期（超过 {h} 小时），请重新登录。",
                     "Your sign-in has expired (after {h} hours); please sign in again."),
    "warehouse_error": ("无法打开数据仓库：{err}", "Cannot open the warehouse: {err}"),
    "no_rows": ("当前筛选条件下没有数据。", "No figures match the current filters."),
    "snapshot": ("数据快照：{name}", "Snapshot: {name}"),
    "briefing_title": ("简报下载", "Briefing packs"),
    "briefing_pptx": ("PowerPoint 汇报", "PowerPoint deck"),
    "briefing_xlsx": ("Excel 数据表", "Excel workbook"),
    "briefing_docx": ("Word 简报", "Word briefing"),
    "briefing_file": ("平安指标简报", "pingan_briefing"),
    "briefing_help": ("按当前筛选条件生成，每个数字附来源", "Built from the current filters, every figure cited"),
    "unknown_dates_left_out": ("另有 {n} 条日期未知的数字未计入趋势图。",
                               "{n} figures with unknown dates are left out of the trends."),
    "click_hint": ("点击图中的柱、点或区域可查看来源原文。",
                   "Click a bar, point or area to see its source sentences."),
    "sources_of": ("来源：{what}", "Sources: {what}"),
    "no_selection": ("尚未选择。", "Nothing selected."),
    # good and bad, like with like
    "tier_good": ("较好（前三分之一）", "better third"),
    "tier_middle": ("中间", "middle third"),
    "tier_bad": ("较差（后三分之一）", "worse third"),
    "tier_good_change": ("向好", "good news"),
    "tier_bad_change": ("变差", "bad news"),
    "tier_neutral": ("好坏方向未定", "no direction of good"),
    "order_best_first": ("上为较好", "best at the top"),
    "order_largest_first": ("上为较大", "largest at the top"),
    "no_data": ("无数据", "no data"),
    "better": ("较好", "better"),
    "worse": ("较差", "worse"),
    "selected": ("已选区县", "selected county"),
    "ytd_axis": ("累计至", "year to date, up to"),
    "kpi_places": ("有报告的地区", "Places reporting"),
    "state_of": ("{area}：重点指标", "{area}: key metrics"),
    "key_metrics_rule": ("重点指标按优先级选取（警情、案件、反诈、纠纷在前）；每项为各地最新一次报告，不跨通报累加。",
                         "Key metrics come in order of priority (incidents, crime, fraud and disputes first); "
                         "each is every place's latest report, never summed across bulletins."),
    "recent_changes": ("最新通报中的变化（按原文：同比/环比）", "Changes in the latest bulletins (as worded: year on year, etc.)"),
    "recent_changes_pp": ("最新通报中的变化（个百分点）", "Changes in the latest bulletins (percentage points)"),
    "trend_place": ("地区", "Place"),
    "trend_kind": ("期间类型", "Kind of period"),
    "trend_note": ("只连接同一地区、同一指标、同一口径、同一期间类型的报告；年内累计数按“去年同期 vs 今年同期”对比。",
                   "Only reports of the same place, metric, measure and kind of period are joined; "
                   "year-to-date figures are compared with the same months of other years."),
    "trend_left_out": ("另有 {n} 条该地区该指标的报告日期或期间未知，未画入。",
                       "{n} reports of this place and metric with an unknown date or period are not drawn."),
    "scorecard": ("区县记分卡（重点指标最新值）", "County scorecard (latest value of each key metric)"),
    "scorecard_note": ("绿色较好、红色较差（按各指标的好坏方向，三分位）；灰色“—”为无报告；表下注明各列名的全称和比较期间。",
                       "Green better, red worse (by each metric's direction of good, in thirds); grey “—” = no report; "
                       "under the table, what each column's short name stands for and the period it compares."),
    "map_note": ("颜色表示好坏：绿较好、红较差；灰色为无数据。点击区县可查看档案和来源。",
                 "Colour says good or bad: green better, red worse; grey = no data. Click a county for its profile and sources."),
    "profile_follow": ("档案随所点击的区县和筛选变化。", "The profile follows the county you click and the filters."),
    "achievements": ("各专项工作的成效（重点指标）", "What each initiative achieved (its key figures)"),
    "achievement_of": ("{name}：重点成效", "{name}: key results"),
    "initiative_map": ("专项工作分布（按有报告的地区数）", "Initiatives by number of places reporting them"),
    "col_places": ("地区数", "Places"),
    "treemap_others": ("其他 {n} 项", "{n} others"),
    "treemap_small": ("图中较小的方块（可能放不下名称）：{items}。", "Smaller boxes (their names may not fit): {items}."),
    "treemap_small_item": ("{name}（{n}地）", "{name} ({n} places)"),
    "treemap_small_item_1": ("{name}（1地）", "{name} (1 place)"),
    "over_time": ("该专项按时间的报告", "Reports of this initiative over time"),
    "q_heat": ("区县 × 类别（提取的数字条数）", "County × category (figures extracted)"),
    "q_counts": ("数据概况", "The data in numbers"),
    "data_stamp": ("数据：{date} 更新 · {bulletins} 份通报 · {figures} 条数字",
                   "Data: loaded {date} · {bulletins} bulletins · {figures} figures"),
    # KPI tiles
    "kpi_bulletins": ("通报数", "Bulletins"),
    "kpi_figures": ("数字条数", "Figures"),
    "kpi_counties": ("覆盖区县", "Counties covered"),
    "kpi_latest": ("最新通报日期", "Latest bulletin"),
    "unknown": ("未知", "unknown"),
    # overview
    "key_metrics": ("重点指标（最新报告值）", "Key metrics (latest reported value)"),
    "key_metrics_note": ("每项取最新一次报告的数字，与同一地区上一次报告比较；不跨通报累加。",
                         "Each shows the latest report, compared with the previous report for the "
                         "same place; never summed across bulletins."),
    "vs_previous": ("较上次报告", "vs previous report"),
    "trends": ("报告值趋势", "Reported values over time"),
    "trend_metric": ("趋势指标", "Metric for trends"),
    "changes": ("同比/环比变化（按通报原文）", "Reported changes (as worded in the bulletins)"),
    "latest_figures": ("最新数字及来源", "Latest figures and their sources"),
    # counties
    "pick_metric": ("选择指标", "Metric"),
    "pick_measure": ("口径", "Measure"),
    "ranking": ("区县排名（最新报告值）", "County ranking (latest reported value)"),
    "ranking_note": ("每个区县取该指标最新一次报告的数字，不跨通报累加。",
                     "Each county's latest reported value for this metric; never summed across bulletins."),
    "map": ("区县地图", "County map"),
    "map_scope": ("地图范围", "Map scope"),
    "whole_province": ("浙江全省", "All of Zhejiang"),
    "no_geojson": ("缺少区县边界文件 {path}，地图暂不可用。", "County boundaries {path} are missing; no map."),
    "heatmap": ("区县 × 类别（报告数字条数）", "County × category (number of reported figures)"),
    "profile": ("区县档案", "County profile"),
    "pick_county": ("选择区县", "County"),
    "profile_initiatives": ("涉及的专项工作", "Initiatives mentioned"),
    # initiatives
    "hierarchy": ("专项工作层级（专项 → 子项 → 机制）", "Programme → pillar → mechanism"),
    "matrix": ("专项工作 × 区县（数字条数）", "Initiative × county (number of figures)"),
    "pick_initiative": ("选择专项工作", "Initiative"),
    "initiative_figures": ("该专项的数字及来源", "Figures of this initiative with sources"),
    "no_initiative": ("未归入专项", "No initiative"),
    # figures
    "search": ("搜索原文、数字或单位", "Search sentence, figure or agency"),
    "showing": ("共 {total} 条，显示前 {shown} 条。", "{total} figures, showing the first {shown}."),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "detail": ("原文（数字已标出）", "Sentence (figure highlighted)"),
    "pick_row": ("在表格中选择一行，可在此查看完整原文。", "Select a row to read its whole sentence here."),
    # quality
    "q_unclassified": ("未分类数字", "Unclassified figures"),
    "q_unresolved": ("地点未识别", "Unresolved places"),
    "q_unknown_dates": ("日期未知", "Unknown dates"),
    "q_refused": ("未导入的文件", "Refused files"),
    "q_per_bulletin": ("按通报统计", "Per bulletin"),
    "q_none": ("无。", "None."),
    # columns, axes, legends, tooltips
    "col_value": ("数值", "Value"),
    "col_raw": ("原文数字", "As written"),
    "col_figure": ("数字", "Figure"),
    "col_excerpt": ("原文（摘录）", "Sentence (excerpt)"),
    "col_unit": ("单位", "Unit"),
    "col_qualifier": ("限定词", "Qualifier"),
    "col_measure": ("口径", "Measure"),
    "col_direction": ("方向", "Direction"),
    "col_metric": ("指标", "Metric"),
    "col_category": ("类别", "Category"),
    "col_place": ("地区", "Place"),
    "col_county": ("区县", "County"),
    "col_city": ("地市", "City"),
    "col_agency": ("单位（原文）", "Agency (as written)"),
    "col_initiative": ("专项工作", "Initiative"),
    "col_mechanism": ("机制", "Mechanism"),
    "col_period": ("期间（原文）", "Period (as written)"),
    "col_date": ("通报日期", "Bulletin date"),
    "col_bulletin": ("通报", "Bulletin"),
    "col_file": ("文件", "File"),
    "col_sentence": ("原文", "Sentence"),
    "col_sources": ("来源数", "Sources"),
    "col_figures": ("数字条数", "Figures"),
    "col_demo": ("演示", "Demo"),
    "col_figure_id": ("数字编号", "Figure id"),
    "col_path": ("路径", "Path"),
    "col_outcome": ("结果", "Outcome"),
    "col_reason": ("原因", "Reason"),
    "col_run": ("导入批次", "Run"),
    "col_date_source": ("日期来源", "Date source"),
    "col_n_other": ("未分类的数字", "unclassified figures"),
    "col_n_unresolved": ("地点未识别的数字", "figures with no place"),
    "col_change": ("变化", "Change"),
    "col_programme": ("专项", "Programme"),
    "col_pillar": ("子项", "Pillar"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "demo_tag": ("演示", "demo"),
    "up": ("上升", "up"),
    "down": ("下降", "down"),
}

CATEGORIES: dict[str, tuple[str, str]] = {
    "disputes": ("矛盾纠纷", "Disputes"),
    "incidents": ("警情", "Incidents"),
    "cases": ("案件", "Cases"),
    "arrests": ("抓获", "Arrests"),
    "anti_fraud": ("反诈", "Anti-fraud"),
    "traffic": ("交通", "Traffic"),
    "fire": ("消防", "Fire"),
    "drones": ("无人机", "Drones"),
    "teams": ("队伍", "Teams"),
    "outreach": ("宣传走访", "Outreach"),
    "patrol": ("巡逻", "Patrol"),
    "resources": ("警力资源", "Resources"),
    "coverage": ("覆盖", "Coverage"),
    "satisfaction": ("满意度", "Satisfaction"),
    "operations": ("专项行动", "Operations"),
    "other": ("未分类", "Unclassified"),
}

MEASURES: dict[str, tuple[str, str]] = {
    "count": ("数量", "count"),
    "change": ("变化", "change"),
    "rate": ("比率", "rate"),
    "share": ("占比", "share"),
    "amount": ("金额", "amount"),
    "duration": ("时长", "duration"),
    "years": ("年限", "years"),
}

OUTCOMES: dict[str, tuple[str, str]] = {
    "read": ("已导入", "imported"),
    "unchanged": ("已导入过，未变化", "already imported, unchanged"),
    "duplicate": ("重复文件，未导入", "duplicate, not imported"),
    "failed": ("未能导入", "not imported"),
    "skipped": ("已跳过（不是通报文件）", "skipped (not a bulletin)"),
}

#: units spelled out for English readers; Chinese keeps the bulletin's unit.

def t(key: str, lang: str = "zh", **kw) -> str:
    """The string for key in lang; a missing key shows itself so it is noticed, never crashes."""
    pair = STRINGS.get(key)
    text = key if pair is None else pair[0 if lang != "en" else 1]
    return text.format(**kw) if kw else text


def _pick(table: dict, code, lang: str) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    pair = table.get(code)
    return str(code) if pair is None else pair[0 if lang != "en" else 1]


def category(code, lang: str = "zh") -> str:
    return _pick(CATEGORIES, code, lang)


def measure(code, lang: str = "zh") -> str:
    return _pick(MEASURES, code, lang)


def outcome(code, lang: str = "zh") -> str:
    return _pick(OUTCOMES, code, lang)


#: where a bulletin's date came from (etl.dates): the quality page says it in the reader's words
DATE_SOURCES: dict[str, tuple[str, str]] = {
    "manifest": ("清单文件", "manifest"), "filename": ("文件名", "file name"), "text": ("正文", "text"),
    "unknown": ("未知", "unknown"),
}


def date_source(code, lang: str = "zh") -> str:
    return _pick(DATE_SOURCES, code, lang)


def direction(code, lang: str = "zh") -> str:
    return t(code, lang) if code in ("up", "down") else ""


def fmt_number(value, lang: str = "zh") -> str:
    """A bare number as Chinese readers expect it (万, 亿), or with separators in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    a = abs(v)
    if lang != "en":
        if a >= 1e8:
            return f"{v / 1e8:.4g}亿"
        if a >= 1e4:
            return f"{v / 1e4:.4g}万"
        return f"{v:.4g}" if v != int(v) else str(int(v))
    if a >= 1e9:
        return f"{v / 1e9:.3g} billion"
    if a >= 1e6:
        return f"{v / 1e6:.3g} million"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.4g}"


#: English words for the base units a bulletin uses; Chinese keeps the unit as written.
UNITS_EN = {
    "起": "cases", "件": "cases", "宗": "cases", "人次": "person-times", "人": "people", "名": "people",
    "支": "teams", "架": "drones", "架次": "flights", "条": "routes", "场": "sessions", "次": "times",
    "个": "", "家": "firms", "处": "sites", "元": "yuan", "%": "%", "个百分点": "percentage points",
    "分钟": "min", "小时": "hours", "秒": "s", "天": "days", "年": "years", "周年": "years", "户": "households",
    "户次": "household visits", "家次": "visits", "所": "sites", "份": "copies", "张": "sheets",
    "册": "booklets", "本": "booklets", "辆": "vehicles", "辆次": "vehicle checks", "起次": "cases",
    "把": "items", "枚": "items", "发": "rounds", "克": "g", "千克": "kg", "公斤": "kg", "亩": "mu",
    "公顷": "ha", "平方米": "m²", "平方公里": "km²", "公里": "km", "棵": "trees", "株": "plants",
    "尾": "fish", "羽": "birds", "轮": "rounds", "期": "sessions", "堂": "lessons", "节": "lessons",
    "队": "teams", "伙": "gangs", "台": "units", "套": "sets", "路": "channels", "座": "sites",
    "倍": "times", "批": "batches", "项": "items", "趟": "trips", "道": "checkpoints", "笔": "transactions",
    "航次": "voyages", "万元": "10k yuan",
}

#: qualifiers written before the number; 余/多 sit between number and unit; the rest
#: (以上, 以下…) follow the unit, as in "下降60%以上".
QUAL_BEFORE = {"近", "约", "超", "超过", "不足", "逾", "达"}
QUAL_MIDDLE = {"余", "多"}
QUAL_EN = {"余": "over", "多": "over", "超": "over", "超过": "over", "逾": "over",
           "以上": "over", "近": "nearly", "约": "about", "不足": "under", "以下": "under"}


def number(v: float, lang: str = "zh") -> str:
    """Plain number: no trailing .0, at most two decimals, separators only in English."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    if v.is_integer():
        return f"{int(v):,}" if lang == "en" else str(int(v))
    text = f"{v:,.2f}" if lang == "en" else f"{v:.2f}"
    return text.rstrip("0").rstrip(".")


def scaled(value: float, unit: str | None, lang: str = "zh") -> tuple[float, str]:
    """Money in 万元/亿元 for Chinese readers, million/billion yuan for English ones; in
    Chinese, large round counts in 万 too ("2万余起")."""
    unit = unit or ""
    if lang == "en":
        if unit == "元" and abs(value) >= 1e9:
            return value / 1e9, "billion yuan"
        if unit == "元" and abs(value) >= 1e6:
            return value / 1e6, "million yuan"
        return value, unit
    if unit == "元" and abs(value) >= 1e8:
        return value / 1e8, "亿元"
    if unit == "元" and abs(value) >= 1e4:
        return value / 1e4, "万元"
    if lang == "zh" and unit not in ("%", "个百分点") and abs(value) >= 1e4 \
            and round(value / 1e4, 2) * 1e4 == value:
        return value / 1e4, "万" + unit
    return value, unit


def _singular(word: str) -> str:
    """cases -> case, people -> person, copies -> copy, batches -> batch; others as they are."""
    if word == "people":
        return "person"
    for end, repl in (("ies", "y"), ("ches", "ch"), ("s", "")):
        if word.endswith(end) and len(word) > len(end) + 1 and word[-len(end) - 1].isalpha():
            return word[:-len(end)] + repl
    return word


def fmt_value(value: float, unit: str | None, qualifier: str | None, lang: str = "zh",
              with_unit: bool = True) -> str:
    """'6300余起', '近20万元', '60%以上'; in English 'over 6,300 cases'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    unit = unit if isinstance(unit, str) else None        # pandas gives NaN for a missing value
    v, u = scaled(float(value), unit, lang)
    num = number(v, lang)
    q = qualifier if isinstance(qualifier, str) else ""
    if lang == "en":
        word = QUAL_EN.get(q, q)
        u_en = (u if u.endswith("yuan") and u != "万元" else UNITS_EN.get(u, u)) if with_unit else ""
        if v == 1 and u_en:                                # "1 case", never "1 cases"
            u_en = _singular(u_en)
        sep = "" if u_en in ("%",) else " "
        return " ".join(x for x in (word, num + (sep + u_en if u_en else "")) if x)
    mag = u[:1] if u.startswith(("万", "亿")) else ""     # 万/亿 belong to the number
    num, u = num + mag, (u[len(mag):] if with_unit else "")
    if not q:
        return f"{num}{u}"
    if q in QUAL_BEFORE:
        return f"{q}{num}{u}"
    if q in QUAL_MIDDLE:
        return f"{num}{q}{u}"             # 6300余起, 2万余起, 2400万余元
    return f"{num}{u}{q}"


def fmt_change(value: float, unit: str | None, qualifier: str | None, direction: str | None,
               lang: str = "zh") -> str:
    """'下降46.7%' / 'down 46.7%': a change as reported, never recomputed."""
    body = fmt_value(value, unit, qualifier, lang)
    if direction in ("up", "down"):
        return f"{t(direction, lang)}{'' if lang == 'zh' else ' '}{body}"
    return body


def name(row_zh, row_en, lang: str = "zh") -> str:
    """Pick the zh or en name, falling back to the other when one is missing."""
    first, second = (row_en, row_zh) if lang == "en" else (row_zh, row_en)
    for v in (first, second):
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and str(v) != "":
            return str(v)
    return ""


# ------------------------------------------------------------------ periods, places

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PERIOD_WORDS = {
    "今年以来": "since the start of the year", "今年": "this year", "年初以来": "since the start of the year",
    "去年": "last year", "去年以来": "since the start of last year", "上年": "last year",
    "目前": "at present", "截至目前": "to date", "截止目前": "to date", "当前": "at present", "至今": "to date",
    "年均": "per year on average", "每年": "per year", "日均": "per day on average", "近年来": "in recent years",
    "近年": "in recent years", "多年来": "over the years", "上半年": "first half", "下半年": "second half",
    "今年上半年": "first half of this year", "去年上半年": "first half of last year", "全年": "the whole year",
    "前三季度": "first three quarters", "截至去年底": "to the end of last year", "截至去年": "to the end of last year",
    "去年同期": "same period last year", "同期": "same period", "日前": "recently", "近日": "recently",
}
_CNUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
         "十一": 11, "十二": 12}


def _month(text: str) -> int | None:
    n = int(text) if text.isdigit() else _CNUM.get(text)
    return n if n and 1 <= n <= 12 else None


def _cn_int(text: str) -> int | None:
    """1..99 written in digits or Chinese numerals (三, 十二, 二十)."""
    if text.isdigit():
        return int(text)
    if text in _CNUM:
        return _CNUM[text]
    if len(text) == 2 and text[1] == "十" and text[0] in _CNUM:
        return _CNUM[text[0]] * 10
    if len(text) == 3 and text[1] == "十" and text[0] in _CNUM and text[2] in _CNUM:
        return _CNUM[text[0]] * 10 + _CNUM[text[2]]
    return None


_N = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR_PREFIX = r"(今年|本年|去年|上年|前年|\d{4}年)"
_HOLIDAYS = {"春节": "Spring Festival", "国庆": "National Day holiday", "五一": "May Day holiday",
             "中秋": "Mid-Autumn Festival", "元旦": "New Year's Day", "清明": "Qingming Festival",
             "端午": "Dragon Boat Festival", "暑期": "summer holidays", "暑假": "summer holidays",
             "寒假": "winter holidays", "汛期": "flood season", "亚运会": "Asian Games",
             "两会": "the Two Sessions", "节假日": "public holidays", "假期": "holidays"}
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _when(prefix: str | None) -> str:
    """' this year', ' last year', ' 2023' or '' for a year written before a period."""
    if not prefix:
        return ""
    if prefix in ("今年", "本年"):
        return " this year"
    if prefix in ("去年", "上年"):
        return " last year"
    if prefix == "前年":
        return " the year before last"
    return " " + prefix[:-1]


def _period_en(s0: str) -> str | None:
    """English for a period as written, by general rules; None when no rule reads it."""
    import re
    if s0 in _PERIOD_WORDS:
        return _PERIOD_WORDS[s0]
    # 2023年至2024年, 2023-2024年: a run of years
    m = re.fullmatch(r"(\d{4})年?(?:-|至|到|~)(\d{4})年?(?:间|期间)?", s0)
    if m:
        return f"{m.group(1)}–{m.group(2)}"
    # 1至3月, 1-6月份, 今年1至9月, 2024年3-5月
    m = re.fullmatch(_YEAR_PREFIX + r"?" + _N + r"月?份?(?:-|至|到|~)" + _N + r"月(?:份|底|末)?", s0)
    if m:
        a, b = _month(m.group(2)), _month(m.group(3))
        if a and b:
            return f"{_MONTHS[a - 1]}–{_MONTHS[b - 1]}{_when(m.group(1))}"
    # 1月1日至9月30日 (days are dropped only where the months say it all)
    m = re.fullmatch(_YEAR_PREFIX + r"?" + _N + r"月" + r"(\d{1,2})日?(?:-|至|到|~)" + _N + r"月(\d{1,2})日", s0)
    if m:
        a, b = _month(m.group(2)), _month(m.group(4))
        if a and b:
            return f"{_MONTHS[a - 1]} {int(m.group(3))}–{_MONTHS[b - 1]} {int(m.group(5))}{_when(m.group(1))}"
    # 前9个月, 今年前三季度
    m = re.fullmatch(_YEAR_PREFIX + r"?前" + _N + r"个?月", s0)
    if m and _month(m.group(2)):
        return f"first {_month(m.group(2))} months{_when(m.group(1))}"
    m = re.fullmatch(_YEAR_PREFIX + r"?前([一二三两]|[1-3])个?季度", s0)
    if m:
        n = _cn_int(m.group(2))
        return ("first quarter" if n == 1 else f"first {n} quarters") + _when(m.group(1))
    # 一季度, 第一季度, 今年第二季度, 2024年Q3
    m = re.fullmatch(_YEAR_PREFIX + r"?(?:第)?([一二三四1-4])季度|" + _YEAR_PREFIX + r"?[Qq]([1-4])", s0)
    if m:
        n = _cn_int(m.group(2) or m.group(4))
        return f"Q{n}{_when(m.group(1) or m.group(3))}"
    # 上半年, 2024年下半年
    m = re.fullmatch(_YEAR_PREFIX + r"?(上|下)半年度?", s0)
    if m:
        half = "first half" if m.group(2) == "上" else "second half"
        w = _when(m.group(1))
        return half + (" of" + w if w else "")
    # 截至10月底, 截至今年9月
    m = re.fullmatch(r"(?:截至|截止|截止到|至)" + _YEAR_PREFIX + r"?" + _N + r"月(?:底|末|份)?", s0)
    if m and _month(m.group(2)):
        return f"to the end of {_MONTHS[_month(m.group(2)) - 1]}{_when(m.group(1))}"
    # 截至2023年底, 截至去年年底
    m = re.fullmatch(r"(?:截至|截止|截止到|至)" + _YEAR_PREFIX + r"(?:年?底|年?末)?", s0)
    if m:
        return f"to the end of{_when(m.group(1)) or ' the year'}"
    # 3月, 今年5月份, 2024年3月
    m = re.fullmatch(_YEAR_PREFIX + r"?" + _N + r"月份?", s0)
    if m and _month(m.group(2)):
        return f"{_MONTHS[_month(m.group(2)) - 1]}{_when(m.group(1))}"
    # 2024年, 2024年全年, 2024年度
    m = re.fullmatch(r"(\d{4})年(?:全年|度|全年度)?", s0)
    if m:
        return m.group(1)
    m = re.fullmatch(r"(今年|本年|去年|上年|前年)(?:全年|年度)", s0)
    if m:
        return "the whole year" + _when(m.group(1))
    # 近三年, 近5年来, 近两个月, 过去三年
    m = re.fullmatch(r"(?:近|过去|最近)" + _N + r"(?:个)?(年|月|周|天|日)(?:来|以来|间)?", s0)
    if m and _cn_int(m.group(1).replace("两", "二")):
        n = _cn_int(m.group(1).replace("两", "二"))
        unit = {"年": "year", "月": "month", "周": "week", "天": "day", "日": "day"}[m.group(2)]
        return f"the past {n} {unit}s" if n != 1 else f"the past {unit}"
    # 春节期间, 国庆假期, 暑期
    for zh, en in _HOLIDAYS.items():
        if re.fullmatch(_YEAR_PREFIX + r"?" + zh + r"(?:期间|假期|前后|以来)?", s0):
            w = _when(re.match(_YEAR_PREFIX, s0).group(1)) if re.match(_YEAR_PREFIX, s0) else ""
            return (f"since the {en}" if s0.endswith("以来") else f"during the {en}") + w
    # X以来 / X至今: since whatever X is, when X reads (2019年以来, 今年一季度以来)
    m = re.fullmatch(r"(?:自)?(.+?)(?:以来|至今)", s0)
    if m:
        inner = m.group(1)
        if re.fullmatch(r"\d{4}年?", inner):
            return "since " + inner.rstrip("年")
        got = _period_en(inner)
        if got and not _CJK.search(got):
            return "since " + re.sub(r"^(?:the start of |during the )", "", got)
        return "since an earlier start"
    return None


_CJK = __import__("re").compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def period(text, lang: str = "zh", kind: str | None = None) -> str:
    """A period as written, for the reader: Chinese as the bulletin wrote it, English translated
    (今年1-9月 -> 'Jan–Sep this year', 今年以来 -> 'since the start of the year').

    English never keeps Chinese: what no rule reads is named by its period kind
    (`kind`, else etl.period_kind's reading of the text), 'period as written' when even that
    is unknown. The original stays on screen beside it in the grids (the sentence column),
    and in the Chinese view; a card or an axis label in English carries no Chinese.
    """
    import re
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return ""
    s = str(text).strip()
    if lang != "en":
        return s
    s0 = re.sub(r"\s+", "", s).translate(str.maketrans("０１２３４５６７８９－～—–", "0123456789-~--"))
    got = _period_en(s0)
    if got:
        return got
    if not _CJK.search(s0):
        return s
    if not kind:
        from etl.period_kind import period_kind as _kind_of
        kind = _kind_of(s)
    if kind and kind != "unknown" and kind in PERIOD_KINDS:
        return PERIOD_KINDS[kind][1]
    return "period as written"


PERIOD_KINDS: dict[str, tuple[str, str]] = {
    "ytd": ("年内累计", "year to date"), "year": ("全年", "full year"), "half": ("半年", "half-year"),
    "quarter": ("季度", "quarter"), "month": ("月度", "month"), "span": ("数月", "span of months"),
    "point": ("时点", "point in time"), "per_day": ("日均", "per day"), "per_year": ("年均", "per year"),
    "since": ("自某时以来", "since an earlier start"), "unknown": ("期间未注明", "period not stated"),
}


def period_kind(code, lang: str = "zh") -> str:
    return _pick(PERIOD_KINDS, code, lang)


def place(name, lang: str = "zh", level: str | None = None) -> str:
    from dashboard.placenames import place as _place
    return _place(name, lang, level)


# ------------------------------------------------------------------ review, import, access (issue 9)
# Kept in a block of its own so that it merges cleanly with changes to the table above.
STRINGS.update({
    "page_review": ("审核", "Review"),
    "page_upload": ("导入", "Import"),
    "role_viewer": ("查看者", "viewer"),
    "role_editor": ("编辑", "editor"),
    "role_admin": ("管理员", "admin"),
    "auth_sign_in": ("登录", "Sign in"),
    "auth_sign_in_oidc": ("通过单点登录（OIDC）登录", "Sign in with single sign-on (OIDC)"),
    "auth_sign_out": ("退出登录", "Sign out"),
    "auth_name": ("用户名", "User name"),
    "auth_password": ("密码", "Password"),
    "auth_failed": ("用户名或密码错误。", "Unknown user name or wrong password."),
    "auth_locked": ("连续5次登录失败，账户已锁定，请 {s} 秒后再试。",
                    "Five failed sign-ins: the account is locked; try again in {s} s."),
    "auth_no_role": ("已登录，但该账户没有访问本看板的角色。请联系管理员。",
                     "Signed in, but this account has no role on this dashboard. Ask an administrator."),
    "auth_forbidden": ("此页面需要“{role}”角色。", "This page needs the “{role}” role."),
    "auth_signed_in_as": ("当前用户：{name}（{role}）", "Signed in as {name} ({role})"),
    "auth_open_note": ("未配置账户：仅限本机访问，所有人以管理员身份使用。添加账户：`python -m dashboard.accounts add 名字 --role admin`。",
                       "No accounts configured: open on this machine only, everyone is admin. "
                       "Add one: `python -m dashboard.accounts add NAME --role admin`."),
    # review page
    "rv_progress_reviewed": ("已审核", "Reviewed"),
    "rv_progress_queue": ("待审核", "In queue"),
    "rv_progress_rejected": ("已剔除", "Rejected"),
    "rv_show_reviewed": ("显示已审核的数字", "Show reviewed figures"),
    "rv_queue": ("审核队列（证据最弱的在前）", "Review queue (weakest evidence first)"),
    "rv_queue_hint": ("勾选行可批量确认或剔除；选中一行可查看原文、更正并查看历史。",
                      "Tick rows to confirm or reject them together; select one row to see its sentence, correct it and read its history."),
    "rv_empty": ("队列为空：当前筛选下没有待审核的数字。", "The queue is empty for the current filters."),
    "rv_col_flags": ("存疑原因", "Why in queue"),
    "rv_col_status": ("审核状态", "Review status"),
    "rv_col_decided": ("当前结果（含人工更正）", "Now (with corrections)"),
    "rv_flag_other": ("未归类", "unclassified"),
    "rv_flag_no_place": ("无地区", "no place"),
    "rv_flag_weak_place": ("地区仅凭推断", "place by fallback"),
    "rv_flag_unit_only": ("指标仅凭单位", "metric by unit only"),
    "rv_flag_outlier": ("与上次相差10倍以上", "10× off its previous report"),
    "rv_flag_disagree": ("多来源数值不一致", "sources disagree"),
    "rv_status_confirmed": ("已确认", "confirmed"),
    "rv_status_corrected": ("已更正", "corrected"),
    "rv_status_rejected": ("已剔除", "rejected"),
    "rv_reason": ("理由（必填）", "Reason (required)"),
    "rv_batch_pick": ("批量操作的数字（勾选表格行或在此选择）", "Figures to confirm or reject together (tick rows or pick here)"),
    "rv_reason_needed": ("请填写理由。", "Please give a reason."),
    "rv_confirm_selected": ("确认所选 {n} 条", "Confirm {n} selected"),
    "rv_reject_selected": ("剔除所选 {n} 条", "Reject {n} selected"),
    "rv_confirm": ("确认无误", "Confirm"),
    "rv_reject": ("剔除（非工作成效数字）", "Reject (not a performance figure)"),
    "rv_correct": ("保存更正", "Save correction"),
    "rv_correct_title": ("更正字段", "Correct fields"),
    "rv_nothing_changed": ("没有改动任何字段。", "No field was changed."),
    "rv_done": ("已记录 {n} 条审核记录。", "{n} review records saved."),
    "rv_detail": ("数字详情", "Figure"),
    "rv_history": ("修改历史", "History"),
    "rv_no_history": ("尚无审核记录。", "No review records yet."),
    "rv_undo": ("撤销", "Undo"),
    "rv_undo_pick": ("选择要撤销的记录", "Record to undo"),
    "rv_undone": ("已撤销 {id}。", "Undid {id}."),
    "rv_orphans": ("孤立的更正（对应数字在当前数据中已找不到）", "Orphaned corrections (their figure is no longer in the data)"),
    "rv_orphans_none": ("没有孤立的更正。", "No orphaned corrections."),
    "rv_pick": ("选择数字", "Figure"),
    "rv_goto": ("按数字编号打开（数据明细页可查到编号）", "Open a figure by its id (shown on the Figures page)"),
    "rv_goto_unknown": ("当前快照中没有编号为 {id} 的数字。", "No figure {id} in this snapshot."),
    "rv_field_value": ("数值", "Value"),
    "rv_field_unit": ("单位", "Unit"),
    "rv_field_qualifier": ("限定词", "Qualifier"),
    "rv_field_measure": ("口径", "Measure"),
    "rv_field_direction": ("方向", "Direction"),
    "rv_field_metric": ("指标", "Metric"),
    "rv_field_place": ("地区（代码或名称）", "Place (code or name)"),
    "rv_field_initiative": ("专项工作", "Initiative"),
    "rv_field_period": ("期间", "Period"),
    "rv_field_date": ("通报日期（YYYY-MM-DD）", "Bulletin date (YYYY-MM-DD)"),
    "col_action": ("操作", "Action"),
    "col_field": ("字段", "Field"),
    "col_before": ("原值", "Before"),
    "col_after": ("新值", "After"),
    "col_by": ("操作人", "By"),
    "col_at": ("时间（{tz}）", "At ({tz})"),
    "col_correction_id": ("记录编号", "Record id"),
    "col_undone": ("已撤销", "Undone"),
    # import page
    "up_files": ("选择通报文件（可多选，可附 manifest.csv）", "Bulletin files (several at once, optionally manifest.csv)"),
    "up_limit": ("支持 .txt .md .html .docx .pdf；单个文件不超过 {mb} MB。",
                 "Accepted: .txt .md .html .docx .pdf; at most {mb} MB per file."),
    "up_preview": ("预览（尚未保存）", "Preview (nothing stored yet)"),
    "up_found": ("{name}：找到 {n} 个数字", "{name}: {n} figures found"),
    "up_refused": ("{name}：无法导入。原因：{reason}", "{name}: refused ({reason})"),
    "up_manifest": ("manifest.csv：{n} 行可采用", "manifest.csv: {n} rows can be used"),
    "up_commit": ("导入 {n} 个文件", "Import {n} files"),
    "up_busy": ("另一个导入正在进行，请稍候在“已保存但尚未导入的文件”中点击“重试导入”；您的文件已保存在数据仓库的 {path}，不会丢失。",
                "Another import is running; press “Try the import again” under “Kept but not yet imported” "
                "shortly. Your files are kept in the warehouse's {path}; nothing is lost."),
    "up_done": ("导入完成：新快照 {snap}，新增 {n} 个数字。", "Imported: new snapshot {snap}, {n} figures added."),
    "up_nothing_new": ("没有新内容（文件已导入过）。", "Nothing new (these files were imported before)."),
    "up_report": ("导入报告", "Import report"),
})

# corrected values on charts and in the Excel pack (issue 9): new keys only
STRINGS.update({
    "corrected_hover": ("✎ 已人工更正：经{by}于{at}更正，理由：{reason}",
                        "✎ corrected by {by} on {at}, reason: {reason}"),
    "corrected_detail": ("更正内容：{note}", "Changed: {note}"),
    "corrected_in_cell": ("其中已更正：{n}", "of which corrected: {n}"),
    "col_correction": ("更正说明", "Correction"),
})

# how a correction is worded (dashboard.correction_text) and the sign's legend: new keys only
STRINGS.update({
    "corrected_prefix": ("✎ 已人工更正：", "✎ "),
    "corrected_legend": ("✎ 已人工更正的数值（悬停查看更正人、时间和理由）",
                         "✎ value corrected by a reviewer (hover for who, when and why)"),
    "corr_confirmed_after": ("其后经{by}于{at}确认", "later confirmed by {by} on {at}"),
    "corr_field_value": ("数值", "value"),
    "corr_field_unit": ("单位", "unit"),
    "corr_field_qualifier": ("限定词", "qualifier"),
    "corr_field_measure": ("口径", "measure"),
    "corr_field_direction": ("方向", "direction"),
    "corr_field_metric": ("指标", "metric"),
    "corr_field_place": ("地区", "place"),
    "corr_field_initiative": ("专项工作", "initiative"),
    "corr_field_period": ("期间", "period"),
    "corr_field_date": ("通报日期", "bulletin date"),
})

# the Review and Import pages as staff read them (issue 9): evidence, actions and refusals in
# words, not codes. New keys and tables only.
STRINGS.update({
    "rv_progress_text": ("已审核 {reviewed} / {total} 条存疑数字", "{reviewed} of {total} queued figures reviewed"),
    "rv_field_place_source": ("地区依据", "Place decided by"),
    "rv_field_metric_source": ("指标依据", "Metric decided by"),
    "rv_undo_label": ("{action}{what}（{by}，{at}）", "{action}{what} ({by}, {at})"),
    "rv_field_pick_none": ("—（无）", "— (none)"),
    "up_found_n": ("{name}：找到 {n} 个数字", "{name}: figures found: {n}"),
    "up_done_n": ("导入完成：新增 {n} 个数字，各页面已更新（数据快照 {snap}）。",
                  "Imported: {n} figures added; every page now shows them (snapshot {snap})."),
    "up_partly": ("{n} 个文件未能导入，原因见导入报告。", "{n} files could not be imported; see the report for why."),
    "up_steps": ("选择文件后先预览每个文件找到的数字；确认无误再点击“导入”，文件才会保存并进入数据仓库。",
                 "Pick files to preview the figures each one holds; nothing is stored until you press Import."),
    "up_drop": ("拖放文件到此处，或点击“选择文件”", "Drag and drop files here, or browse"),
    "up_browse": ("选择文件", "Browse files"),
    "up_retry": ("重试导入", "Try the import again"),
})

# issue 9's last gaps: the deck's corrected bars, kept inbox folders, manifest notes. New keys only.
STRINGS.update({
    "up_kept_title": ("已保存但尚未导入的文件", "Kept but not yet imported"),
    "up_kept_hint": ("这些文件已上传并保存在数据仓库中，但尚未导入（上传时有其他导入在运行，或导入中途停止）。"
                     "可点击“重试导入”，或确认后放弃。",
                     "These files were uploaded and kept in the warehouse but never imported (another import was "
                     "running, or the import did not finish). Try the import again, or discard them."),
    "up_kept_head": ("{path}：{by} 于 {at}（{tz}）上传，{n} 个文件", "{path}: uploaded by {by} at {at} ({tz}), {n} files"),
    "up_kept_file": ("{name}（{kb} KB）", "{name} ({kb} KB)"),
    "up_kept_refused": ("上传时未能导入：{files}", "Refused at upload: {files}"),
    "up_kept_why": ("（{reason}）", " ({reason})"),
    "up_kept_unknown": ("不详", "unknown"),
    "up_discard": ("放弃", "Discard"),
    "up_discard_confirm": ("确定放弃 {path} 中的 {n} 个文件？这些文件将被删除，无法恢复；已导入数据仓库的数据不受影响。",
                           "Discard the {n} files in {path}? They are deleted for good; data already in the "
                           "warehouse is not affected."),
    "up_discard_yes": ("确认放弃", "Yes, discard them"),
    "up_cancel": ("取消", "Cancel"),
    "up_discarded": ("已放弃 {path}（{n} 个文件）。", "Discarded {path} ({n} files)."),
    "up_discard_busy": ("另一个导入正在进行，请稍后再放弃。", "Another import is running; discard them later."),
    "up_discard_ingested": ("这批文件已经导入，不能放弃。", "These files were imported; they cannot be discarded."),
    "up_not_kept": ("这批文件已不在待导入列表中（可能已由他人导入或放弃）。",
                    "These files are no longer waiting (someone may have imported or discarded them)."),
    "up_too_many": ("一次最多导入 {limit} 个文件，本次选择了 {n} 个，请分批导入。",
                    "At most {limit} files per import; {n} chosen. Import them in batches."),
    "up_failed": ("导入未完成：写入数据仓库时出错。文件仍保存在数据仓库的 {path}，可稍后重试导入。",
                  "The import did not finish: writing the warehouse failed. The files are still kept in the "
                  "warehouse's {path}; try the import again later."),
    "up_manifest_line": ("该行未采用", "line ignored"),
    "up_manifest_ignored": ("manifest.csv 有 {n} 行未采用，原因见导入报告。",
                            "{n} lines of manifest.csv were ignored; see the report for why."),
    "up_failed_plain": ("导入未完成。", "The import did not finish."),
    "corrected_legend_pack": ("✎ 黑框：已人工更正的数值（更正人、时间、理由见备注）",
                              "✎ outlined: corrected by a reviewer (who, when, why: see notes)"),
    "corrected_legend_doc": ("✎ 黑框：已人工更正的数值（更正人、时间、理由见文末来源）",
                             "✎ outlined: corrected by a reviewer (who, when, why: see the sources at the end)"),
})

#: how the extractor decided a figure's place and metric (figures.place_source / metric_source)
EVIDENCE: dict[str, tuple[str, str]] = {
    "clause": ("本句点名", "named in its own clause"),
    "back_reference": ("“该局/该所”指代", "“该局/该所” pointing back"),
    "paragraph": ("所在段落", "its paragraph"),
    "headline": ("文章标题", "the article's headline"),
    "article_lead": ("文章导语", "the article's lead"),
    "column": ("栏目标签", "a column label"),
    "town": ("乡镇名", "a town's name"),
    "outlet": ("发布单位（推断）", "the publisher (a guess)"),
    "manifest": ("清单文件", "the manifest"),
    "trigger": ("指标关键词", "a trigger word"),
    "paired_list": ("并列列举", "a paired list"),
    "field_word": ("领域词", "a field word"),
    "unit_only": ("仅凭单位（推断）", "its unit alone (a guess)"),
    "review": ("人工审核", "a reviewer"),
    "none": ("无", "nothing"),
}

#: review records' actions as people say them
ACTIONS: dict[str, tuple[str, str]] = {
    "correct": ("更正", "correction"),
    "confirm": ("确认", "confirmation"),
    "reject": ("剔除", "rejection"),
    "undo": ("撤销", "undo"),
}

#: why a file was refused, in the reader's words: (start of the reader's or ingest's own
#: reason, Chinese, English). The ingest's reasons are written for the command line
#: ("broken .docx: damaged zip archive", "figure_id"); staff read these instead. The first
#: that matches wins, so the longer starts come first; {name} is a file name.
REFUSALS: tuple[tuple[str, str, str], ...] = (
    ("same content as ", "与已导入的文件“{name}”内容相同，未重复导入",
     "same content as {name}, which was imported before"),
    ("broken .docx: damaged zip archive", "Word 文件已损坏（压缩包损坏）",
     "Word file is damaged (broken zip archive)"),
    ("broken .docx: not a zip archive", "Word 文件已损坏（不是有效的 .docx 文件）",
     "Word file is damaged (not a valid .docx file)"),
    ("broken .docx: not a Word document", "不是 Word 文档",
     "not a Word document"),
    ("broken .docx: expands to", "Word 文件解压后过大，疑似压缩炸弹",
     "Word file expands far too large (a possible zip bomb)"),
    ("broken .docx", "Word 文件已损坏",
     "Word file is damaged"),
    ("cannot read .docx here", "无法读取 Word 文件",
     "Word files cannot be read on this server"),
    ("broken PDF", "PDF 文件已损坏",
     "PDF file is damaged"),
    ("PDF is password-protected", "PDF 有密码保护，请另存为无密码的文件",
     "PDF is password-protected: save a copy without a password"),
    ("PDF has no text layer", "PDF 没有文字层（可能是扫描图片）",
     "PDF has no text layer (probably a scanned image)"),
    ("PDF text layer has no Unicode mapping", "PDF 的文字层无法转换为文字",
     "PDF text cannot be turned into characters"),
    ("cannot decode", "无法识别文字编码（支持 UTF-8、UTF-16、GB18030）",
     "text encoding not recognised (UTF-8, UTF-16 and GB18030 are supported)"),
    ("invalid UTF-8", "文字编码错误（不是有效的 UTF-8）",
     "text encoding error (not valid UTF-8)"),
    ("binary data, not text", "不是文本文件",
     "not a text file"),
    ("larger than the size cap", "超过单个文件大小上限",
     "larger than the size limit for one file"),
    ("not a bulletin file type", "不支持的文件类型",
     "file type not supported"),
    ("manifest not loaded", "manifest.csv 无法读取",
     "manifest.csv could not be read"),
    ("extraction failed", "提取数字时出错",
     "an error occurred while finding the figures"),
    # the readers' and the ingest's other reasons (etl/readers.py, etl/ingest.py, etl/parallel.py)
    ("unsupported file type .doc ", "旧版 Word 文件（.doc），请另存为 .docx",
     "old Word file (.doc): save it as .docx"),
    ("unsupported file type .wps", "WPS 文件，请另存为 .docx",
     "WPS file: save it as .docx"),
    ("unsupported file type .rtf", "RTF 文件，请另存为 .docx 或 .txt",
     "RTF file: save it as .docx or .txt"),
    ("unsupported file type .xls", "表格文件不是通报",
     "a spreadsheet is not a bulletin"),
    ("unsupported file type", "不支持的文件类型",
     "file type not supported"),
    ("empty file", "空文件（没有文字）",
     "empty file (no text)"),
    ("file is ", "超过单个文件大小上限",
     "larger than the size limit for one file"),
    ("is a directory", "是文件夹，不是文件",
     "a folder, not a file"),
    ("not a regular file", "不是普通文件",
     "not an ordinary file"),
    ("file not found", "找不到文件",
     "file not found"),
    ("no such file or folder", "找不到文件",
     "file not found"),
    ("permission denied", "没有读取权限",
     "no permission to read it"),
    ("cannot read", "无法读取文件",
     "the file could not be read"),
    ("could not be read", "无法读取文件",
     "the file could not be read"),
    ("symbolic link to", "是指向文件夹之外的链接，未读取",
     "a link to {name}, outside the folder; not read"),
    ("rows could not be stored", "数字未能写入数据仓库",
     "the figures could not be stored in the warehouse"),
    ("extractor gave duplicate or missing figure_id", "提取出错（数字编号重复或缺失）",
     "extraction error (figure numbers duplicated or missing)"),
    ("the worker process died", "读取该文件时处理进程意外退出",
     "the process reading this file stopped unexpectedly"),
    ("content unchanged", "内容未变化（仅文件时间改变）",
     "content unchanged (only the file's time changed)"),
    ("re-read with extractor", "已按新版提取规则重新读取",
     "read again with the new extraction rules"),
    ("changed since last ingest", "文件已更改，原有数字已替换",
     "file changed; its earlier figures were replaced"),
)

#: what etl.manifest says about a manifest.csv line, in Chinese: (the English reason as a
#: pattern, wording with the pattern's groups). Quoted values are what staff typed.
MANIFEST_NOTES: tuple[tuple[str, str, str], ...] = (
    (r"has (\d+) fields, the header has (\d+)", "有 {0} 个字段，表头有 {1} 个",
     "has {0} fields where the header has {1}"),
    (r"empty file name", "文件名为空", "no file name"),
    (r"published_on '(.*)' is not a date \(YYYY-MM-DD\)", "发布日期“{0}”不是日期（应写作 2025-01-08）",
     "publication date “{0}” is not a date (write it as 2025-01-08)"),
    (r"synthetic '(.*)' is not true/false", "synthetic 列的“{0}”应为 true 或 false",
     "“{0}” in the synthetic column should be true or false"),
    (r"file '(.*)' points outside the manifest's folder.*",
     "文件“{0}”指向 manifest.csv 所在文件夹之外（文件名应相对于该文件夹，不能含 ..）",
     "file “{0}” is outside the folder of manifest.csv (names are relative to that folder, without ..)"),
    (r"file '(.*)' already listed on line (\d+)", "文件“{0}”已在第 {1} 行列出", "file “{0}” is already listed on line {1}"),
    (r"header has no 'file' column.*", "表头没有 file 列（应为 file,published_on,publisher,region,url）",
     "the header has no file column (it should be file,published_on,publisher,region,url)"),
    (r"cannot decode as UTF-8 or GB18030", "无法识别文字编码（支持 UTF-8、GB18030）",
     "text encoding not recognised (UTF-8 and GB18030 are supported)"),
    (r"cannot read: .*", "无法读取", "could not be read"),
    (r"malformed CSV: .*", "CSV 格式错误", "not a well-formed CSV file"),
)
#: how much of the manifest a problem left out: (etl's English tail, Chinese, English)
_MANIFEST_TAILS = (("; row ignored", "，该行未采用", "; line ignored"),
                   ("; manifest ignored", "，整个文件未采用", "; the whole file ignored"),
                   ("; rest ignored", "，其后各行未采用", "; the lines after it ignored"))
_MANIFEST_LINE = r"^(?P<path>.*?manifest\.csv)(?: line (?P<line>\d+))?: (?P<reason>.*)$"
#: a server path in a reason (two or more parts): shown as its last part, the file's name
_SERVER_PATH = r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s,;:'\"()]+){2,}"


def manifest_note(problem, lang: str = "zh", with_name: bool = True) -> str:
    """A manifest problem (etl.manifest.ManifestProblem or its one-line text, which starts with
    the manifest's server path) as staff read it: 'manifest.csv 第 3 行：…，该行未采用', no path.
    `with_name=False` leaves out 'manifest.csv' (a table row that already names the file)."""
    import re
    m = re.match(_MANIFEST_LINE, str(problem), re.S | re.I)
    if m is None:
        return refusal(problem, lang)
    line, reason = m.group("line"), m.group("reason")
    en = lang == "en"
    tail = "; the whole file ignored" if en else "，整个文件未采用"
    for etl_tail, zh, en_tail in _MANIFEST_TAILS:
        if reason.endswith(etl_tail):
            reason, tail = reason[: -len(etl_tail)], (en_tail if en else zh)
    words = "a problem" if en else "有误"
    for pattern, zh, en_words in MANIFEST_NOTES:
        hit = re.fullmatch(pattern, reason, re.S)
        if hit:
            words = (en_words if en else zh).format(*hit.groups())
            break
    if en:
        where = (f"manifest.csv line {line}" if with_name else f"line {line}") if line else (
            "manifest.csv" if with_name else "")
        return f"{where}: {words}{tail}" if where else f"{words[:1].upper()}{words[1:]}{tail}"
    where = (f"manifest.csv 第 {line} 行" if with_name else f"第 {line} 行") if line else (
        "manifest.csv" if with_name else "")
    return f"{where}：{words}{tail}" if where else f"{words}{tail}"


def evidence(code, lang: str = "zh") -> str:
    return _pick(EVIDENCE, code, lang) or "—"


def action(code, lang: str = "zh") -> str:
    return _pick(ACTIONS, code, lang)


def refusal(reason, lang: str = "zh") -> str:
    """A reader's or ingest's reason as staff read it: a file path inside it is cut to the
    file's name (never a server path), and the Chinese view says it in Chinese; a reason
    no rule words says so in Chinese rather than show English (the quality page and
    `python -m etl status` keep the original)."""
    import re
    text = "" if reason is None or (isinstance(reason, float) and math.isnan(reason)) else str(reason)
    if re.match(_MANIFEST_LINE, text, re.S | re.I):
        return manifest_note(text, lang, with_name=False)
    same = re.match(r"same content as (.+?), already loaded", text) or re.match(r"symbolic link to (\S+?),? ", text)
    name = same.group(1).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] if same else ""
    for start, zh, en in REFUSALS:
        if text.startswith(start):
            return (en if lang == "en" else zh).format(name=name)
    if lang == "en":   # a reason no rule words yet: the ingest's own English, with no server path
        return re.sub(_SERVER_PATH, lambda m: re.split(r"[\\/]", m.group(0))[-1], text)
    return "未能导入（其他原因）" if text else ""
