"""A figure's metric: the taxonomy entry whose trigger words stand closest to the
number and fit its unit and measure (data/reference/metrics.csv, word roles in
trigger_roles.csv); a figure that fits none is kept as `other`. How the metric was decided
is kept with it (``metric_source``) so that a reviewer can sort by the weakest evidence."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from etl import reference
from etl.figures import UNITS, Figure

_PUNCT_RE = re.compile(r"[，,；;：:]")
RIGHT_STOP = re.compile(r"[，,；;。：:、！？!?]")
#: characters etl.numbers.fold changes; most sentences have none, so skip the copy
NEEDS_FOLD = re.compile("[\uff10-\uff19．％＋　－～\u00a0\u2002\u2003\u2009]")
_FALLBACK = {"count": "other", "change": "other_change", "share": "other", "rate": "other_rate",
             "amount": "other_amount", "duration": "other_duration", "years": "other_years"}


def _fits(m: reference.Metric, f: Figure) -> bool:
    if m.base == "other":
        return False
    if f.measure in ("change", "share"):
        return m.measure == f.measure
    if f.measure in ("duration", "years") and m.measure == "count" and f.unit in m.units:
        return True  # 飞行356小时, 连续13年命案全破: a count kept in hours, a streak in years
    if m.measure != f.measure:
        return False
    if not m.units or f.unit in m.units:
        return True
    # 件次, 场次, 户次: a count of occasions fits a metric counted in 件, 场 or 次
    return len(f.unit) == 2 and f.unit[1] == "次" and (f.unit[0] in m.units or "次" in m.units)


#: (trigger, measure, unit) -> the metrics that trigger can name for such a figure, each
#: with its bonus for being counted in exactly this unit; the vocabulary is small, so
#: this is filled once per combination instead of testing every metric per figure
_FITTING: dict[tuple[str, str, str], tuple[tuple[reference.Metric, int], ...]] = {}


def _fitting(t: str, measure: str, unit: str, f: Figure):
    key = (t, measure, unit)
    got = _FITTING.get(key)
    if got is None:
        by_trigger = reference.trigger_index()[2]
        # a metric counted in exactly this unit (架次) beats one that only fits (架), and
        # that one beats a metric that only counts occasions (次: 巡查 is no count of sorties)
        got = _FITTING[key] = tuple((m, _unit_bonus(m, measure, unit))
                                    for m in by_trigger[t] if _fits(m, f))
    return got


def _unit_bonus(m: reference.Metric, measure: str, unit: str) -> int:
    if unit in m.units and m.measure == measure:
        return 3
    if len(unit) == 2 and unit[1] == "次" and unit[0] not in m.units and m.units:
        return -3  # fits through 次 alone
    return 0


@lru_cache(maxsize=1)
def _word_fields() -> dict[str, str | None]:
    """Each trigger word's category when it has only one."""
    out = {}
    for w, ms in reference.trigger_index()[2].items():
        cats = {m.category for m in ms}
        out[w] = cats.pop() if len(cats) == 1 else None
    return out


#: a number and its unit ending where a word starts: that word is the figure's own
#: predicate (造成126人死亡、698人受伤: 死亡 is said of the 126, not of the 698)
_FIGURE_END_RE = re.compile(
    # (a lone small numeral is no figure: 分两批|抽调 leaves 抽调 to the figure after it)
    r"(?:\d|[十百千万亿]|(?<=[一二两三四五六七八九十百千万亿零〇])[一二两三四五六七八九])[余多]?[万亿]?[余多]? ?(?:"
    + "|".join(re.escape(u) for u in sorted(set(UNITS) | {"%", "百分点"}, key=len, reverse=True))
    + r")[余多]?(?:以上|左右)?")


class SentenceTriggers:
    """Every trigger word of one (folded) sentence, found in one regex pass and shared by
    all its figures: a figure's left and right contexts are windows onto the sentence."""
    __slots__ = ("text", "hits", "starts", "punct", "_figure_ends")

    def __init__(self, folded: str, agencies: list[tuple[int, int]] = ()):
        pattern = reference.trigger_index()[0]
        self.text = folded
        # words inside an agency's name (交警大队, 横峰派出所) name who acted, not what was
        # counted: 交警大队在全县设立劝导站126个 is not a count of teams
        hits = [(h.start(), h.group(1)) for h in pattern.finditer(folded)]
        if agencies:
            hits = [(at, w) for at, w in hits if not any(a <= at < b for a, b in agencies)]
        self.hits = hits
        self.starts = [at for at, _ in self.hits]
        self.punct = [m.start() for m in _PUNCT_RE.finditer(folded)]
        self._figure_ends = None

    def figure_ends(self) -> set[int]:
        """Where a number and its unit end in the sentence (worked out once, when needed)."""
        if self._figure_ends is None:
            self._figure_ends = {m.end() for m in _FIGURE_END_RE.finditer(self.text)}
        return self._figure_ends

    @staticmethod
    def fields(hits) -> set[str]:
        """Categories the words name whatever their unit (火灾 says fire even before 2人);
        only words of one category count (死亡 alone could be road or fire), and not a
        word read again inside a longer one (火灾事故 is a fire, not a road accident)."""
        field = _word_fields()
        out = set()
        reach = -1
        for at, w in hits:
            end = at + len(w)
            if end <= reach:
                continue
            reach = end
            if field[w]:
                out.add(field[w])
        return out

    def within(self, lo: int, hi: int, last_start: int | None = None):
        """(start, word) of triggers starting in [lo, last_start] and ending by ``hi``: a
        longer word running past ``hi`` is cut back to its longest prefix trigger, as a
        search of text[lo:hi] alone would find it."""
        prefixes = reference.trigger_index()[1]
        stop = hi if last_start is None else min(hi, last_start + 1)
        out = []
        for k in range(bisect_left(self.starts, lo), len(self.hits)):
            at, word = self.hits[k]
            if at >= stop:
                break
            room = hi - at
            if len(word) > room:
                word = next((t for t in prefixes[word] if len(t) <= room), None)
                if word is None:
                    continue
            out.append((at, word))
        return out


_CLOSING_QUOTES = "”’」』\""

#: what an agency's kind says about the field of its figures: a fire brigade's 接警 are
#: rescue call-outs, a police bureau's are incidents
AGENCY_FIELD = {"fire": "fire", "traffic": "traffic"}


def metric_for(f: Figure, trig: SentenceTriggers, lo: int, hi: int, right_hi: int,
                agency_field: str | None = None) -> tuple[reference.Metric, str]:
    """Closest fitting trigger wins: left context is the clause up to the number (nearer is
    better, each comma crossed costs), right context the noun right after the unit
    (3名盗窃嫌疑人), and a paired list's own item (治安、刑事警情) beats both.

    ``trig`` holds the sentence's trigger words; the left context is trig.text[lo:hi], the
    right context trig.text[f.end:right_hi]. Returns the metric and how it was decided
    (METRIC_SOURCES)."""
    pattern, prefixes, _ = reference.trigger_index()
    metrics = reference.metrics()
    text = trig.text
    if f.measure == "share":
        cut = text.rfind("占", lo, hi)
        if cut >= 0:
            hi = cut  # 电诈警情占全部警情的5%: the part, not the whole
    lo = max(lo, hi - 60)
    measure, unit = f.measure, f.unit
    roles = reference.trigger_roles()
    scores: dict[str, float] = {}
    # the figure's own comma-clause speaks first: in "抓获犯罪嫌疑人3150名，其中电诈案件
    # 破案数上升35%" the long word one comma back must not outscore 破案 next to the number
    near: dict[str, float] = {}
    # ... and a verb before the number there (检查, 走访) says more than the bare noun
    # counted (场所, 农户): 检查九小场所2300余家 counts inspections
    acting: dict[str, float] = {}

    def add(fits, base: float, own_clause: bool, left: bool, t: str):
        for m, bonus in fits:
            # a word shared by two fields (死亡: road deaths, fire deaths) goes to the
            # field the sentence is about (火灾…死亡2人); too small to outrank distance
            sc = base + bonus + (0.1 if m.category in fields else 0.0)
            if sc > scores.get(m.code, 0.0):
                scores[m.code] = sc
            if own_clause and sc > near.get(m.code, 0.0):
                near[m.code] = sc
                if left and roles.get(t) != "object":
                    acting[m.code] = sc

    hits = trig.within(lo, hi)
    # the field is what the whole sentence is about: 道路交通事故 opening a long run of
    # figures, or a clause before a semicolon, still says whose 受伤 and 经济损失 they are
    fields = trig.fields(trig.within(0, hi) if lo > 0 else hits)
    if agency_field:
        fields.add(agency_field)
    # in a compound noun the head comes last: 道路交通事故|死亡人数 is a count of deaths.
    # Only two words that touch: overlapping ones (电诈警情 / 警情数) are one word read twice.
    # A catch-all head (警情, 发案数) takes its meaning from the word before: 诈骗|警情.
    # A noun for what was counted is no head: in 走访|群众 the verb comes first.
    heads = {at: w for at, w in hits if roles.get(w) is None}
    modifiers = {at for at, w in hits if at + len(w) in heads}
    # ... and a catch-all head read with the word before it is that word's: 挪车类|警情 is
    # a count of calls to move a car, so 警情 steps aside and 挪车类 is read where 警情
    # ends. Not after a noun for what was counted (小区|发案率 is still a rate of crime),
    # nor when a longer word already holds the head (入室盗窃|盗窃警情: 盗窃警情 says it).
    broad_at = {at: at + len(w) for at, w in hits if roles.get(w) == "broad"}
    taken_over: set[int] = set()
    reach_of: dict[int, int] = {}
    if broad_at:
        reach = -1
        for at, w in hits:
            if at in broad_at and at + len(w) <= reach:
                del broad_at[at]
            reach = max(reach, at + len(w))
        for at, w in hits:
            end = at + len(w)
            if end not in broad_at and text[end:end + 1] in _CLOSING_QUOTES:
                end += 1  # “两卡”|违法犯罪人员: a quoted word before the head still qualifies it
            if end in broad_at and roles.get(w) is None and _fitting(w, measure, unit, f):
                taken_over.add(end)
                reach_of[at] = broad_at[end]
    # the tail of an object word (涉案资金 holds 资金) is that word read again, not a verb
    objects = [(a, a + len(w)) for a, w in hits if roles.get(w) == "object"]
    inside = {at for at, w in hits if any(a < at and at + len(w) <= b for a, b in objects)} \
        if objects else set()
    punct = trig.punct
    n_punct_before_hi = bisect_left(punct, hi)
    figure_ends = None
    said_of_before = -1  # end of a word said of the figure before (and the words in it)
    for at, word in hits:
        if at in taken_over:
            continue
        penalty = 8 if at in modifiers else 0
        own = n_punct_before_hi == bisect_left(punct, at)
        if own:
            if figure_ends is None:
                figure_ends = trig.figure_ends()
            # a word said of the figure before it is not this figure's own (126人死亡、)
            if at in figure_ends:
                said_of_before = max(said_of_before, at + len(word))
            own = at >= said_of_before
        verb = at not in inside and roles.get(word) != "object"
        for t in prefixes[word]:
            fits = _FITTING.get((t, measure, unit))
            if fits is None:
                fits = _fitting(t, measure, unit, f)
            if not fits:
                continue
            end = reach_of.get(at, at + len(t)) if t == word else at + len(t)
            dist = hi - end
            crossings = n_punct_before_hi - bisect_left(punct, end)
            add(fits, (len(t) * 3 + 24 - min(dist, 40) * 0.4 - crossings * 6 + (5 if dist == 0 else 0)
                       - penalty), own, verb, t)
    for at, word in trig.within(f.end, right_hi, f.end + 8):
        j = at - f.end
        for t in prefixes[word]:
            fits = _fitting(t, measure, unit, f)
            if fits:
                add(fits, len(t) * 3 + 22 - j * 1.5 + (4 if j == 0 else 0), True, False, t)
    if f.subject:
        for hit in pattern.finditer(f.subject):
            for t in prefixes[hit.group(1)]:
                fits = _fitting(t, measure, unit, f)
                if fits:
                    add(fits, 100 + len(t) * 3, True, True, t)
    for found in (acting, near, scores):
        if found:
            code, best = max(found.items(), key=lambda kv: kv[1])
            if best >= 4:
                return metrics[code], _source_of(code, best, found, fields, metrics)
    fallback = _FALLBACK.get(f.measure, "other")
    return metrics.get(fallback, metrics["other"]), "unit_only" if fallback != "other" else "none"


#: how a figure's metric was decided (the figure record's ``metric_source``): a trigger
#: word near the number; a paired list's own item (治安、刑事警情…) or the count a list of
#: changes follows; a field word that broke a tie (火灾…死亡2人); its unit and measure
#: alone (a change, a rate, an amount of money with no word saying of what); nothing
METRIC_SOURCES = ("trigger", "paired_list", "field_word", "unit_only", "none")


def _source_of(code: str, best: float, found: dict, fields: set, metrics: dict) -> str:
    if best >= 100:
        return "paired_list"
    if metrics[code].category in fields:
        runner_up = max((v for k, v in found.items() if k != code), default=0.0)
        if best - runner_up <= 0.1 + 1e-9:
            return "field_word"
    return "trigger"


def paired_change(f: Figure, figs: list, metric_of: dict, metric: reference.Metric) -> reference.Metric:
    """"亡人交通事故8起、死亡9人，同比分别下降27.3%、25%": a list of changes right after as
    many counts, with no items of its own, reports the change of each count in order."""
    if not f.group or f.subject or f.measure != "change":
        return metric
    members = [g for g in figs if g.group == f.group]
    i = figs.index(members[0])
    k = len(members)
    before = figs[i - k:i] if i >= k else []
    if (len(before) != k or any(g.measure == "change" or g.group == f.group or id(g) not in metric_of
                                for g in before)
            or members[0].start - before[-1].end > 16):
        return metric
    counted = metric_of[id(before[f.group_index])]
    return reference.metrics().get(counted.code + "_change", metric)

