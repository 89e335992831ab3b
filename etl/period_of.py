"""A figure's period: as written nearest before it in its sentence, else a period that
opened an earlier sentence of the same section ("去年以来，……。"), never a baseline
(在去年…的基础上) or a comparison base (较去年同期). Resolving periods to dates is
etl.dates' job; this module only decides which words are the figure's period."""
from __future__ import annotations

import re

from etl.figures import FIGURE_RE
from etl.manifest import Meta
from etl.numbers import fold

_CN_N = r"[一二两三四五六七八九十\d]{1,3}"
PERIOD_RE = re.compile(
    # every alternative starts with one of these: one class test rejects most positions
    # before `re` walks the alternation (about 3x faster over a page)
    r"(?=[自从今去截近年每全上下前第一二两三四五六七八九十\d目至当“党同日月周平])"
    r"(?:(?:自|从)?(?:19|20)\d{2}年(?:以来|来|至今|全年|上半年|下半年|前三季度|前" + _CN_N + r"个月|" + _CN_N + r"(?:月?[-—－~～至到]" + _CN_N + r")?月(?:份|底|末)?(?:以来)?)?"
    r"|今年(?:以来|上半年|下半年|前三季度|第?[一二三四]季度|前" + _CN_N + r"个月|" + _CN_N + r"(?:月?[-—－~～至到]" + _CN_N + r")?月(?:份|底|末)?(?:以来)?)?"
    r"|去年(?:以来|同期|全年|上半年|下半年|底)?"
    r"|截至(?:目前|今年|去年|(?:19|20)\d{2}年)?(?:" + _CN_N + r"月(?:底|末|\d{1,2}日)?)?"
    r"|日均|月均|周均|平均每(?:天|日|月|周)|每(?:天|日)平均"
    r"|近(?:" + _CN_N + r")年(?:来)?|近年来|年均|每年|全年|上半年|下半年|前三季度|第?[一二三四]季度"
    r"|" + _CN_N + r"月?[-—－~～至到]" + _CN_N + r"月(?:份)?(?:以来)?|" + _CN_N + r"月份|前" + _CN_N + r"个月"
    r"|目前|至今|当前|“十四五”以来|党的二十大以来|同期"
    r")(?![0-9一二三四五六七八九十]{0,2}[日号])"  # 1月5日 is a day, not a period
)
# "在去年下降20%的基础上再降15%": what stands before 基础上 belongs to the baseline
_PER_DAY = re.compile(r"日均|月均|周均|平均每|每[天日]平均")
_COMMA = re.compile(r"[，,]")
_BASELINE_RE = re.compile(r"在[^，,。；;]{0,20}?基础上")
_CARRY_OK = re.compile(r"^(?:去年(?:以来|全年)?|今年以来|近年来|近.{1,3}年来|(?:19|20)\d{2}年.*|今年.*|.{1,3}[-—－~～至到].{1,3}月.*|截至.*|“十四五”以来|党的二十大以来|年初以来)$")


def period_for(sentence: str, pos: int) -> str | None:
    """The period written nearest before the figure; a baseline ("在去年…的基础上") and a
    comparison base ("较去年同期") are not the figure's own period."""
    cut = max(sentence.rfind("；", 0, pos), sentence.rfind(";", 0, pos))
    if cut >= 0:
        # another county's clause ("松阳…今年以来…；云和…") lends it no period, but
        # a period opening the whole sentence still covers every clause
        opening = opening_period(sentence)
        own = period_for(sentence[cut + 1:], pos - cut - 1)
        return own or opening
    matches = _period_matches(sentence)
    if not matches:
        return None
    # (the sentence up to the figure, sentence[:pos], is read in place, not copied)
    excluded = ([(m.start(), m.end()) for m in _BASELINE_RE.finditer(sentence, 0, pos)]
                if sentence.find("基础上", 0, pos) >= 0 else [])
    found = None
    for start, end, text in matches:
        if end > pos:
            break
        if any(a <= start < b for a, b in excluded):
            continue
        if start and sentence[start - 1] in "较比与同":
            continue
        if _PER_DAY.match(text) and _COMMA.search(sentence, end, pos):
            continue  # 日均接警2500余条，处置…: an average per day covers its own clause only
        found = text
    return found


#: every period phrase holds one of these; most sentences can skip the big regex
PERIOD_HINT = re.compile("[年季月截目至当来期均天日]")


#: per page (extract_text clears it): a sentence's periods, found once for all its figures
PERIOD_CACHE: dict[str, tuple[tuple[int, int, str], ...]] = {}


def _period_matches(sentence: str) -> tuple[tuple[int, int, str], ...]:
    found = PERIOD_CACHE.get(sentence)
    if found is None:
        found = () if not PERIOD_HINT.search(sentence) else tuple(
            (m.start(), m.end(), m.group()) for m in PERIOD_RE.finditer(sentence) if m.group())
        PERIOD_CACHE[sentence] = found
    return found


LEAD_PREFIX = re.compile(r"^[\s*#>\-]*(?:(?:本报讯|本报消息|讯)(?:（[^）]{0,30}）|\([^)]{0,30}\))?)?[\s*]*")


_FRONTED_END = re.compile(r"[，,]")


def opening_period(sentence: str) -> str | None:
    """A period that heads the sentence and so scopes over all of it: "去年以来，…",
    "本报讯 …4月8日，记者从市公安局获悉，一季度，…" (a fronted adverbial: the period
    followed by a comma, before any figure)."""
    if not _period_matches(sentence):
        return None
    sentence = LEAD_PREFIX.sub("", sentence, count=1)
    m = PERIOD_RE.match(sentence)
    if m and m.group() and _CARRY_OK.match(m.group()) and "目前" not in m.group():
        return m.group()
    first_figure = FIGURE_RE.search(fold(sentence))
    limit = first_figure.start() if first_figure else len(sentence)
    for m in PERIOD_RE.finditer(sentence, 0, limit):
        if (m.group() and _FRONTED_END.match(sentence, m.end()) and "目前" not in m.group()
                and (m.start() == 0 or sentence[m.start() - 1] in "，,：: ")):
            return m.group()
    return None


def period_dates(meta: Meta):
    try:
        from etl.dates import resolve_period
    except ImportError:
        return lambda p: (None, None)
    cache: dict = {}

    def f(period):
        if period not in cache:
            try:
                cache[period] = resolve_period(period, meta.published_on)
            except Exception:
                cache[period] = (None, None)
        return cache[period]
    return f

