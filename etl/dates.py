"""Publication dates and reporting periods, only as far as the evidence goes.

DESIGN.md: never invent a date. A bulletin's date comes from the manifest, else the file
name, else a date the text itself states as its dateline; otherwise it stays unknown and is
counted as such. Each carries its precision (day, month, year) so a chart can say how much
it knows. Periods as written ("去年以来", "今年1-10月") resolve to dates only when the
publication year is known or the period names its own year.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Meta lives in etl.manifest, which imports parse_date from here
    from etl.manifest import Meta

MIN_YEAR, MAX_YEAR = 1950, 2099

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：", "0123456789/-.:")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇○零一二两三四五六七八九十"


def _cn_small(s: str) -> int | None:
    """'8' '08' '八' '十' '十二' '二十一' '三十一' -> int; anything else -> None."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_NUM for c in s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens) if len(tens) == 1 else None
    o = 0 if ones == "" else _CN_DIGITS.get(ones) if len(ones) == 1 else None
    return None if t is None or o is None else t * 10 + o


def _cn_year(s: str) -> int | None:
    """'2025' or '二〇二五' -> 2025."""
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    return None


def _make(y: int | None, m: int | None = None, d: int | None = None) -> dt.date | None:
    """A real date in a plausible year, or None (rejects 2025-13-45, 2025-02-30)."""
    if y is None or not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return dt.date(y, m or 1, d or 1)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


# ------------------------------------------------------------ date strings

_YMD_NUM = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD_CN = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月"
                     r"([\d一二三四五六七八九十]{1,3})[日号]?$")
_YM_NUM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YM_CN = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月(?:份)?$")
_Y_ONLY = re.compile(r"^(\d{4})年?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: str | None) -> tuple[dt.date, str] | None:
    """A date as a person types it -> (date, precision), or None if it is not one.

    Accepts 2025-01-08, 2025/1/8, 2025.01.08, 20250108, 2025年1月8日 (also 二〇二五年一月八日),
    an Excel-style trailing time (2025/1/8 0:00), 2025-01 / 2025年1月 (month), 2025 (year).
    """
    if value is None:
        return None
    s = value.strip().translate(_FULLWIDTH).replace(" ", "") if "年" in value else value.strip().translate(_FULLWIDTH)
    if not s:
        return None
    for rx in (_YMD_NUM, _YMD_COMPACT):
        m = rx.match(s)
        if m:
            d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return (d, "day") if d else None
    m = _YMD_CN.match(s)
    if m:
        d = _make(_cn_year(m.group(1)), _cn_small(m.group(2)), _cn_small(m.group(3)))
        return (d, "day") if d and _cn_small(m.group(2)) and _cn_small(m.group(3)) else None
    for rx in (_YM_NUM, _YM_CN):
        m = rx.match(s)
        if m:
            month = _cn_small(m.group(2))
            d = _make(_cn_year(m.group(1)), month) if month else None
            return (d, "month") if d else None
    m = _Y_ONLY.match(s)
    if m:
        d = _make(int(m.group(1)))
        return (d, "year") if d else None
    return None


# --------------------------------------------------------------- file names

_FN_YMD_SEP = re.compile(r"(?<!\d)(\d{4})([-_.])(\d{1,2})\2(\d{1,2})(?!\d)")
_FN_YMD_COMPACT = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{2})(\d{2})(?![0-9A-Za-z])")
_FN_YMD_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_FN_YM_CN = re.compile(r"(\d{4})年(\d{1,2})月(?!\d)")
_FN_YM = re.compile(r"(?<!\d)(?<!\d-)(\d{4})-(\d{2})(?!\d)(?!-\d)")


def date_from_filename(name) -> tuple[dt.date, str] | None:
    """Date in a file name: 2025-01-08…, 20250108_…, 2025_01_08, 2025年1月8日, 2025-01 (month).

    A compact 8-digit date must stand apart from letters and digits, so hash-like names
    (000_1e017a13c27fd9e2.txt) give nothing; impossible dates (2025-13-45) give nothing.
    """
    stem = PurePath(str(name)).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = stem.translate(_FULLWIDTH)
    for rx in (_FN_YMD_SEP, _FN_YMD_CN):
        for m in rx.finditer(stem):
            g = m.groups()
            y, mo, d = (g[0], g[2], g[3]) if rx is _FN_YMD_SEP else g
            date = _make(int(y), int(mo), int(d))
            if date:
                return date, "day"
    for m in _FN_YMD_COMPACT.finditer(stem):
        date = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if date:
            return date, "day"
    for rx in (_FN_YM, _FN_YM_CN):
        for m in rx.finditer(stem):
            date = _make(int(m.group(1)), int(m.group(2)))
            if date:
                return date, "month"
    return None


# --------------------------------------------------------------------- text

_Y = r"(\d{4}|[〇○零一二三四五六七八九]{4})"
_MD = r"([\d一二三四五六七八九十]{1,3})"
_TEXT_DATE = re.compile(
    _Y + r"\s*年\s*" + _MD + r"\s*月\s*" + _MD + r"\s*[日号]"
    r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"
)
_TEXT_MONTH = re.compile(_Y + r"\s*年\s*" + _MD + r"\s*月(?!\s*[\d一二三四五六七八九十]{1,3}\s*[日号])"
                         r"|(\d{4})[-/](\d{1,2})(?![-/.\d])")
_LABEL = re.compile(r"(?:发布时间|发布日期|发稿时间|发稿日期|发表时间|发表日期|刊发日期|出版日期|"
                    r"更新时间|日期|时间)\s*[:：]\s*")
#: How far into the text a dateline may sit (masthead, or the header block of a web page).
DATELINE_CHARS = 300
LABEL_CHARS = 1500
_SENTENCE_PUNCT = re.compile(r"[，,。；;！？!?、]")


def _match_date(m: re.Match) -> tuple[dt.date, str] | None:
    g = m.groups()
    if g[0] is not None:
        mo, d = _cn_small(g[1]), _cn_small(g[2])
        date = _make(_cn_year(g[0]), mo, d) if mo and d else None
    else:
        date = _make(int(g[3]), int(g[4]), int(g[5]))
    return (date, "day") if date else None


def date_from_text(text: str | None) -> tuple[dt.date, str] | None:
    """A publication date the text states, or None. Deliberately conservative.

    Two shapes count: a labelled date (发布时间：2025-01-08, 日期：2025年1月) in the first
    LABEL_CHARS characters, and a dateline — a line near the top (first DATELINE_CHARS)
    holding a full year-month-day and no sentence punctuation ("2025年1月8日 星期三",
    "丽水日报 2025年1月8日 第3版"). A date inside a sentence is an event, not the
    publication; "1月5日" without a year gives nothing.
    """
    if not text:
        return None
    head = text[:LABEL_CHARS].translate(_FULLWIDTH)
    for lab in _LABEL.finditer(head):
        rest = head[lab.end():lab.end() + 24]
        m = _TEXT_DATE.match(rest)
        if m:
            got = _match_date(m)
            if got:
                return got
            continue
        m = _TEXT_MONTH.match(rest)
        if m:
            g = m.groups()
            y, mo = (_cn_year(g[0]), _cn_small(g[1])) if g[0] is not None else (int(g[2]), int(g[3]))
            date = _make(y, mo) if mo else None
            if date:
                return date, "month"
    for line in head[:DATELINE_CHARS].splitlines():
        stripped = line.strip()
        if stripped and len(stripped) <= 40 and not _SENTENCE_PUNCT.search(stripped):
            m = _TEXT_DATE.search(stripped)
            if m:
                got = _match_date(m)
                if got:
                    return got
    return None


# --------------------------------------------------------------------- meta

def resolve_meta(path, text: str | None, manifest_row: dict | None) -> "Meta":
    """Bulletin metadata with the date's source: manifest > file name > text > unknown.

    publisher, region, url and synthetic come only from the manifest: nothing else states
    them reliably.
    """
    from etl.manifest import Meta

    row = manifest_row or {}
    extra = dict(publisher=row.get("publisher") or None, region=row.get("region") or None,
                 url=row.get("url") or None, synthetic=bool(row.get("synthetic", False)))
    published = row.get("published_on")
    if isinstance(published, str):
        parsed = parse_date(published)
        published, precision = parsed if parsed else (None, None)
    else:
        precision = row.get("date_precision") or ("day" if published else None)
    if isinstance(published, dt.datetime):
        published = published.date()
    if published:
        return Meta(published_on=published, date_source="manifest", date_precision=precision, **extra)
    for source, found in (("filename", lambda: date_from_filename(path)),
                          ("text", lambda: date_from_text(text))):
        got = found()
        if got:
            return Meta(published_on=got[0], date_source=source, date_precision=got[1], **extra)
    return Meta(date_source="unknown", **extra)


# ------------------------------------------------------------------ periods

_SEASONS = {"一": (1, 3), "1": (1, 3), "二": (4, 6), "2": (4, 6), "三": (7, 9), "3": (7, 9),
            "四": (10, 12), "4": (10, 12)}
_CUM_SEASONS = {"两": 6, "二": 6, "2": 6, "三": 9, "3": 9}
_OPEN = re.compile(r"^(?:近年来|近年|近些年|近几年|近\S{0,2}年来?|\S{0,2}年来|多年来|历年|年均|年平均|"
                   r"每年|平均每年|日前|近日|近期|此前|同期|去年同期|上年同期|往年|以往|长期|.*期间)$")


def resolve_period(period: str | None, published_on: dt.date | None
                   ) -> tuple[dt.date | None, dt.date | None]:
    """A period as written in a bulletin -> (start, end), each None where unknowable.

    Relative periods (今年, 去年以来, 1-10月, 截至11月) need the publication year and give
    (None, None) without it; periods that name their year (2024年, 2024年1-10月) don't.
    Open-ended expressions (近年来, 年均, 日前, 近日) give (None, None); 目前 and 截至目前
    give (None, published_on).
    """
    if not period:
        return None, None
    s = _SPACES.sub("", period.translate(_FULLWIDTH))
    s = s.replace("—", "-").replace("–", "-").replace("~", "-").replace("～", "-").replace("到", "至")
    pub = published_on.date() if isinstance(published_on, dt.datetime) else published_on
    try:
        got = _resolve(s, pub)
    except ValueError:  # e.g. 2月30日: a period we cannot turn into real dates
        return None, None
    return got if got else (None, None)


def _resolve(s: str, pub: dt.date | None):
    if _OPEN.match(s):
        return None
    if s in ("目前", "当前", "现在", "截至目前", "截止目前", "截至发稿", "截至发稿时", "至今", "迄今"):
        return None, pub

    # Explicit range of years: 2021年至2024年, 2021-2024年
    m = _YEAR_RANGE.match(s)
    if m:
        a, b = _make(int(m.group(1))), _make(int(m.group(2)))
        return (a, dt.date(b.year, 12, 31)) if a and b and a <= b else None

    cumulative_to = s.startswith(("截至", "截止", "至"))
    body = _UP_TO.sub("", s)
    year, body, relative = _take_year(body, pub)
    if year is False:           # 今年, 去年 … but no publication date to anchor them
        return None
    since = body.endswith(("以来", "至今"))
    if since:
        body = _SINCE.sub("", body)
        body = _YEAR_START.sub("", body)   # 今年初以来 == 今年以来
    end_of_year = body in ("底", "末", "年底", "年末")
    if end_of_year:
        body = ""

    if body in ("本月", "当月", "上月", "上个月"):
        if pub is None or year is not None:
            return None
        first = pub.replace(day=1)
        if body.startswith("上"):
            last = first - dt.timedelta(days=1)
            return last.replace(day=1), last
        return first, pub

    if year is not None:        # 2024年…, 今年…, 去年…
        if body == "" or body in ("全年", "全年度", "年度"):
            if since:
                return dt.date(year, 1, 1), pub
            if relative and not cumulative_to and not end_of_year and body == "" \
                    and pub is not None and year == pub.year:
                return dt.date(year, 1, 1), pub         # 今年: so far this year
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return _span(body, year, pub, since, cumulative_to)

    if pub is None:             # no year written and none to borrow
        return None
    if body == "":
        return (None, pub) if since else None      # a bare 以来 / 至今
    got = _span(body, pub.year, pub, since, cumulative_to)
    if got and not since and got[1] is not None and got[1].replace(day=1) > pub:
        # "1-10月" or "12月" with no year, in a January bulletin: last year's months
        got = _span(body, pub.year - 1, pub, since, cumulative_to)
    elif got and since and got[0] is not None and got[0] > pub:
        got = _span(body, pub.year - 1, pub, since, cumulative_to)
    if got is None and since:
        return None, pub        # 专项行动开展以来: start unknown, runs to publication
    return got


_NUM = r"([\d一二三四五六七八九十]{1,3})"
# the period forms, compiled once (a page resolves each of its periods)
_SPACES = re.compile(r"\s+")
_YEAR_RANGE = re.compile(r"^(\d{4})年?(?:至|-)(\d{4})年(?:底|末)?$")
_UP_TO = re.compile(r"^(?:截止到|截至|截止|至)")
_SINCE = re.compile(r"(?:以来|至今)$")
_YEAR_START = re.compile(r"^(?:年初|初)$")
_FIRST_QUARTERS = re.compile(r"^前([两二三23])个?季度$")
_QUARTER = re.compile(r"^第?([一二三四1234])季度$")
_FIRST_MONTHS = re.compile(r"^前" + _NUM + r"个?月$")
_MONTH_RANGE = re.compile(r"^" + _NUM + r"月?(?:-|至)" + _NUM + r"月份?(?:底|末)?$")
_MONTH = re.compile(r"^" + _NUM + r"月份?(底|末|初)?$")
_DAY = re.compile(r"^" + _NUM + r"月" + _NUM + r"[日号]$")
_LEADING_YEAR = re.compile(r"^(\d{4})年度?")


def _span(body: str, year: int, pub: dt.date | None, since: bool, cumulative_to: bool):
    """Months, quarters and halves of one year -> (start, end), or None if not one of those."""
    if body in ("上半年", "上半年度"):
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if body in ("下半年", "下半年度"):
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    m = _FIRST_QUARTERS.match(body)
    if m:
        return dt.date(year, 1, 1), _month_end(year, _CUM_SEASONS[m.group(1)])
    m = _QUARTER.match(body)
    if m:
        a, b = _SEASONS[m.group(1)]
        return dt.date(year, a, 1), _month_end(year, b)
    m = _FIRST_MONTHS.match(body)
    if m:
        n = _cn_small(m.group(1))
        return (dt.date(year, 1, 1), _month_end(year, n)) if n and 1 <= n <= 12 else None
    m = _MONTH_RANGE.match(body)
    if m:
        a, b = _cn_small(m.group(1)), _cn_small(m.group(2))
        if not (a and b and 1 <= a <= b <= 12):
            return None
        return dt.date(year, a, 1), _month_end(year, b)
    m = _MONTH.match(body)
    if m:
        n = _cn_small(m.group(1))
        if not n or not 1 <= n <= 12:
            return None
        if since:
            return dt.date(year, n, 1), pub
        if cumulative_to:
            return dt.date(year, 1, 1), _month_end(year, n)
        return dt.date(year, n, 1), _month_end(year, n)
    m = _DAY.match(body)
    if m:
        mo, d = _cn_small(m.group(1)), _cn_small(m.group(2))
        day = _make(year, mo, d) if mo and d else None
        if not day:
            return None
        if since:
            return day, pub
        if cumulative_to:
            return dt.date(year, 1, 1), day
        return day, day
    return None


def _take_year(body: str, pub: dt.date | None):
    """Split a leading year off: (year | None | False, rest, relative?).

    False means the year is relative (今年, 去年) and the publication date is unknown.
    """
    m = _LEADING_YEAR.match(body)
    if m:
        y = int(m.group(1))
        if not MIN_YEAR <= y <= MAX_YEAR:
            return False, body, False
        return y, body[m.end():], False
    for word, delta in (("今年", 0), ("本年度", 0), ("本年", 0), ("当年", 0), ("去年", 1),
                        ("上年", 1), ("上一年", 1), ("前年", 2), ("年初", 0)):
        if body.startswith(word):
            if pub is None:
                return False, body, True
            rest = body[len(word):]
            return pub.year - delta, rest, True
    return None, body, False
