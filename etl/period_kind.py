"""What kind of period a figure covers, read from the period as written (今年1-9月 -> ytd).

Why it is stored: two reports are comparable only when they cover the same kind of
period. A year-to-date count (今年1-9月, 今年以来) grows through the year and starts again in
January, so a line joining it to a full-year or a point-in-time figure, or across a new
year, draws a fall that never happened. The read side joins reports of one kind only, and
shows year-to-date figures as same-period comparisons across years.

Kinds: ytd (year to date), year (a full year), half, quarter, month, span (some other run
of months), point (a stock at a moment: 目前, 截至目前), per_day and per_year (averages),
since (since a start other than this 1 January: 去年以来, 专项行动开展以来, 近年来),
unknown (nothing written, or nothing we can read).
"""
from __future__ import annotations

import re
from functools import lru_cache

KINDS = ("ytd", "year", "half", "quarter", "month", "span", "point", "per_day", "per_year",
         "since", "unknown")

_NUM = r"[\d一二三四五六七八九十]{1,3}"
_FULLWIDTH = str.maketrans("０１２３４５６７８９－～", "0123456789-~")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
       "十": 10, "十一": 11, "十二": 12}


def _n(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _CN.get(text)


@lru_cache(maxsize=4096)
def period_kind(period: str | None) -> str:
    """The kind of one period as written; 'unknown' when nothing is written or readable.

    Cached: a corpus writes the same few dozen periods (今年以来, 1-10月) thousands of times.
    """
    if not period or not str(period).strip():
        return "unknown"
    s = re.sub(r"\s+", "", str(period).translate(_FULLWIDTH))
    s = s.replace("—", "-").replace("–", "-").replace("~", "-").replace("到", "至")
    if re.search(r"日均|每日|每天|平均每天|日平均", s):
        return "per_day"
    if re.search(r"年均|年平均|每年|平均每年", s):
        return "per_year"
    if re.fullmatch(r"(?:截至|截止|截止到)?(?:目前|当前|现在|发稿时?|今|日前|近日|近期)", s) \
            or s in ("至今", "迄今", "现有"):
        return "point"
    body = re.sub(r"^(?:\d{4}年|今年|本年|去年|上年|前年)", "", s)
    if re.search(r"以来|至今$", s):
        # 今年以来 / 年初以来 is the year to date; any other start (去年以来, 行动开展以来) is not
        if re.fullmatch(r"(?:今年|本年)?(?:年初|初)?(?:以来|至今)", s) or re.fullmatch(
                r"(?:今年|本年)?1月(?:份|1日)?(?:以来|至今)", s):
            return "ytd"
        return "since"
    if re.search(r"近年|多年|历年|近\S{0,2}年", s):
        return "since"
    # 截至10月底, 截至9月: cumulative to a month end of the year
    m = re.fullmatch(rf"(?:截至|截止|截止到|至)(?:今年|本年)?({_NUM})月(?:底|末|份)?", s)
    if m:
        return "ytd"
    if re.fullmatch(r"(?:截至|截止|截止到|至)(?:去年|上年|\d{4}年)(?:底|末)?", s):
        return "point"
    if body in ("", "全年", "全年度", "年度", "度"):
        # 今年 alone is so far this year; 去年, 2024年, 全年 a whole year
        return "ytd" if s in ("今年", "本年") else "year"
    if re.fullmatch(r"(?:上半年|下半年|上半年度)", body):
        return "half"
    if re.fullmatch(r"前三季度|前(?:三|3)个?季度", body):
        return "ytd"
    if re.fullmatch(rf"(?:第?{_NUM}|一|二|三|四)季度", body):
        return "quarter"
    m = re.fullmatch(rf"前({_NUM})个?月", body)
    if m:
        return "ytd"
    m = re.fullmatch(rf"({_NUM})月?(?:份)?(?:-|至)({_NUM})月(?:份|底|末)?", body)
    if m:
        a, b = _n(m.group(1)), _n(m.group(2))
        if a == 1 and b is not None:
            return "year" if b == 12 else "ytd"
        if a is not None and b is not None and b - a == 2 and a in (1, 4, 7, 10):
            return "quarter"
        if a is not None and b is not None and b - a == 5 and a in (1, 7):
            return "half"
        return "span"
    if re.fullmatch(rf"(?:{_NUM}月(?:份)?|本月|当月|上月|上个月)", body):
        return "month"
    return "unknown"
