"""A figure's metric: the taxonomy entry whose trigger words stand closest to the
number and fit its unit and measure (data/reference/metrics.csv, word roles in
trigger_roles.csv); a figure that fits none is kept as `other`. How the metric was decided
is kept with it (``metric_source``) so that a reviewer can sort by the weakest evidence."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from operator import add as _plus, itemgetter

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


#: (word, measure, unit) -> (trigger, fitting metrics) for each trigger the word starts
#: with (itself included) that names a metric such a figure fits, in the word's order
_WORD_FITS: dict[tuple[str, str, str], tuple[tuple[str, tuple], ...]] = {}


def _word_fits(word: str, measure: str, unit: str, f: Figure):
    """What a trigger word found in the text can say of this figure: each of its prefix
    triggers with the metrics it fits (worked out once per word, measure and unit)."""
    key = (word, measure, unit)
    got = _WORD_FITS.get(key)
    if got is None:
        prefixes = _index(measure == "years")[1]
        got = _WORD_FITS[key] = tuple((t, fits) for t in prefixes[word]
                                      if (fits := _fitting(t, measure, unit, f)))
    return got


#: (word, measure, unit, years) -> (trigger, fitting metrics) for every prefix trigger of
#: the word, those that fit nothing included (a shared word may still name a field's)
_WORD_ALL_FITS: dict[tuple[str, str, str, bool], tuple[tuple[str, tuple], ...]] = {}


def _unit_bonus(m: reference.Metric, measure: str, unit: str) -> int:
    if unit in m.units and m.measure == measure:
        return 3
    if len(unit) == 2 and unit[1] == "次" and unit[0] not in m.units and m.units:
        return -3  # fits through 次 alone
    return 0


@lru_cache(maxsize=1)
def word_fields() -> dict[str, str | None]:
    """Each trigger word's category when it has only one (a word that only names a streak,
    连续五年|下降, says nothing of a field: 下降 is said of every kind of figure)."""
    out = {}
    for w, ms in reference.trigger_index()[2].items():
        cats = {m.category for m in ms if m.measure != "years"}
        out[w] = cats.pop() if len(cats) == 1 else None
    return out


#: a number and its unit ending where a word starts: that word is the figure's own
#: predicate (造成126人死亡、698人受伤: 死亡 is said of the 126, not of the 698)
_FIGURE_END_RE = re.compile(
    # (a lone small numeral is no figure: 分两批|抽调 leaves 抽调 to the figure after it)
    r"(?:\d|[十百千万亿]|(?<=[一二两三四五六七八九十百千万亿零〇])[一二两三四五六七八九])[余多]?[万亿]?[余多]? ?(?:"
    + "|".join(re.escape(u) for u in sorted(set(UNITS) | {"%", "百分点"}, key=len, reverse=True))
    + r")[余多]?(?:以上|左右)?")
#: the characters a match of _FIGURE_END_RE can end with
_FIGURE_LAST_CHARS = frozenset({u[-1] for u in set(UNITS) | {"%", "百分点"}} | set("余多上右"))


def _index(years: bool):
    """reference.trigger_index, called the one way per variant (one cache key each). The
    words that only name a count of years are swept only for a figure counted in years,
    so a figure's index is told by its measure alone."""
    return reference.trigger_index(True) if years else reference.trigger_index()


@lru_cache(maxsize=2)
def _longest_trigger(years: bool) -> int:
    return max(map(len, _index(years)[1]))


def _joined_across_quotes(text: str, hits: list, starts: list, longest: int, words) -> list | None:
    """“红船调解”工作站: a quoted name's last word and the head right after its closing
    quote make one trigger (调解工作站) when the taxonomy knows the two as one word; the
    word inside the quote is then read as that compound. Only the words ending at a
    closing quote are looked at; None when nothing was joined (most sentences)."""
    out = None
    q = text.find("”")
    while q >= 0:
        nxt = bisect_left(starts, q + 1)
        if nxt < len(starts) and starts[nxt] == q + 1:
            head = hits[nxt][1]
            for k in range(bisect_left(starts, q - longest), bisect_left(starts, q)):
                at, w = hits[k]
                if at + len(w) != q:
                    continue
                for cut in range(len(w)):  # 红船调解 -> 调解: the tail of the quoted word
                    joined = w[cut:] + head
                    if joined in words:
                        if out is None:
                            out = list(hits)
                        out[k] = (at + cut, joined)
                        break
        q = text.find("”", q + 1)
    return sorted(out) if out is not None else None


class SentenceTriggers:
    """Every trigger word of one (folded) sentence, found in one regex pass and shared by
    all its figures: a figure's left and right contexts are windows onto the sentence.

    A figure's windows are found by bisection, and what is read from the sentence's start
    (its field) is carried on from the figure before, so that a sentence's figures cost
    little more than one walk over its words."""
    __slots__ = ("text", "hits", "starts", "ends", "longest", "punct", "_figure_ends",
                 "_fields_read", "agencies", "years")

    def __init__(self, folded: str, agencies: list[tuple[int, int]] = (), years: bool = False):
        pattern = _index(years)[0]
        self.text = folded
        self.agencies = agencies
        self.years = years  # also the words that only name a count of years (连续五年|下降)
        # words inside an agency's name (交警大队, 横峰派出所) name who acted, not what was
        # counted: 交警大队在全县设立劝导站126个 is not a count of teams
        hits = [(h.start(), h[1]) for h in pattern.finditer(folded)]
        if agencies and hits:
            # the positions the names cover, as one set: one test per word, not one per name
            covered = {i for a, b in agencies for i in range(a, b)}
            hits = [h for h in hits if h[0] not in covered]
        starts = [at for at, _ in hits]
        if "”" in folded and hits:
            joined = _joined_across_quotes(folded, hits, starts, _longest_trigger(years), _index(years)[1])
            if joined is not None:
                hits, starts = joined, [at for at, _ in joined]
        self.hits = hits
        self.starts = starts
        self.ends = list(map(_plus, starts, map(len, [w for _, w in hits])))
        self.longest = _longest_trigger(years)  # a bound: no word found here is longer
        self.punct = [m.start() for m in _PUNCT_RE.finditer(folded)]
        self._figure_ends: dict[int, set[int]] = {}
        self._fields_read = (0, -1, set())  # (words read whole, reach, fields): see fields_before

    def figure_ends(self, clause_start: int) -> set[int]:
        """Where a number and its unit end in the comma-clause starting at ``clause_start``
        (just after a break of _PUNCT_RE, or 0), worked out once per clause. No number and
        unit runs across such a break, so these are the ends a sweep of the whole sentence
        finds in the clause."""
        found = self._figure_ends.get(clause_start)
        if found is None:
            k = bisect_left(self.punct, clause_start)
            clause_end = self.punct[k] if k < len(self.punct) else len(self.text)
            # (the sweep stops at the clause's end: past it, it found nothing to keep, but
            # went on to the sentence's next number, or its end, to find that out)
            found = self._figure_ends[clause_start] = {
                m.end() for m in _FIGURE_END_RE.finditer(self.text, clause_start, clause_end)}
        return found

    @staticmethod
    def fields(hits, out: set | None = None, reach: int = -1) -> set[str]:
        """Categories the words name whatever their unit (火灾 says fire even before 2人);
        only words of one category count (死亡 alone could be road or fire), and not a
        word read again inside a longer one (火灾事故 is a fire, not a road accident).
        ``out`` and ``reach`` carry on from words read before ``hits``."""
        field = word_fields()
        out = set() if out is None else out
        for at, w in hits:
            end = at + len(w)
            if end <= reach:
                continue
            reach = end
            if field[w]:
                out.add(field[w])
        return out

    def fields_before(self, hi: int) -> set[str]:
        """``fields(within(0, hi))``, a new set (the caller may add to it). The whole words
        before ``hi`` are read on from where the last figure left off (a sentence's figures
        come in order), and only the words ``hi`` cuts are read apart."""
        j = bisect_left(self.starts, hi)
        # the first word running past hi: only a word starting within reach of it can
        cut = bisect_left(self.starts, hi - self.longest + 1, 0, j)
        ends = self.ends
        while cut < j and ends[cut] <= hi:
            cut += 1
        done, reach, found = self._fields_read
        if done > cut:
            done, reach, found = 0, -1, set()
        if done < cut:
            field = word_fields()
            for k in range(done, cut):
                if ends[k] > reach:
                    reach = ends[k]
                    w = field[self.hits[k][1]]
                    if w:
                        found.add(w)
            self._fields_read = (cut, reach, found)
        if cut == j:
            return set(found)
        return self.fields(self._cut(cut, j, hi), set(found), reach)

    def _cut(self, i: int, j: int, hi: int) -> list[tuple[int, str]]:
        """hits[i:j], each word running past ``hi`` cut back to its longest prefix trigger
        that ends by ``hi`` (dropped when there is none)."""
        prefixes = _index(self.years)[1]
        out = []
        for k in range(i, j):
            at, word = self.hits[k]
            room = hi - at
            if len(word) > room:
                word = next((t for t in prefixes[word] if len(t) <= room), None)
                if word is None:
                    continue
            out.append((at, word))
        return out

    def within(self, lo: int, hi: int, last_start: int | None = None):
        """(start, word) of triggers starting in [lo, last_start] and ending by ``hi``: a
        longer word running past ``hi`` is cut back to its longest prefix trigger, as a
        search of text[lo:hi] alone would find it."""
        stop = hi if last_start is None else min(hi, last_start + 1)
        starts = self.starts
        i = bisect_left(starts, lo)
        j = bisect_left(starts, stop, i)
        if i >= j:
            return []
        # only a word starting within the longest word's reach of hi can run past it
        k = bisect_left(starts, hi - self.longest + 1, i, j)
        ends = self.ends
        while k < j and ends[k] <= hi:
            k += 1
        if k == j:
            return self.hits[i:j]
        return self.hits[i:k] + self._cut(k, j, hi)


_CLOSING_QUOTES = "”’」』\""

#: what an agency's kind says about the field of its figures: a fire brigade's 接警 are
#: rescue call-outs, a police bureau's are incidents
AGENCY_FIELD = {"fire": "fire", "traffic": "traffic"}


_SCORE = itemgetter(1)
#: the units a streak of a result may be counted in besides 年 (连续14个月同比下降)
_STREAK_UNITS = frozenset({"个月", "个季度"})


def metric_for(f: Figure, trig: SentenceTriggers, lo: int, hi: int, right_hi: int,
                agency_field: str | None = None,
                subject_field: str | None = None) -> tuple[reference.Metric, str]:
    """Closest fitting trigger wins: left context is the clause up to the number (nearer is
    better, each comma crossed costs), right context the noun right after the unit
    (3名盗窃嫌疑人), and a paired list's own item (治安、刑事警情) beats both.

    ``trig`` holds the sentence's trigger words; the left context is trig.text[lo:hi], the
    right context trig.text[f.end:right_hi]. Returns the metric and how it was decided
    (METRIC_SOURCES). ``subject_field`` (etl.field_of) is the field the figure's subject
    works in: a word several fields use (field_words.csv) names that field's metric."""
    streak = f.measure == "years"
    if not streak and f.unit in _STREAK_UNITS and trig.text.endswith("连续", 0, f.num_start):
        # 连续11个月同比下降, 连续8个季度零发案: a streak counted in months is read as a
        # streak of years is (the streak metrics list 个月 among their units)
        f, streak = replace(f, measure="years"), True
    if streak and not trig.years:
        trig = SentenceTriggers(trig.text, trig.agencies, years=True)  # 连续五年|下降
    pattern, prefixes, _ = _index(trig.years)
    shared = reference.field_words() if subject_field else {}
    by_field: set[str] = set()  # metrics reached through a word of the subject's field
    metrics = reference.metrics()
    text = trig.text
    if "由" in text:  # (most sentences have none: skip the call)
        members = _members_of_a_team(f, text, metrics)
        if members is not None:
            return members, "trigger"
    if f.unit == "个" and text[f.end:f.end + 1] in ("村", "社") and (
            zero := _ZERO_INCIDENT_PLACES.match(text, f.end)) is not None:
        # 已有63个村连续三年未发生刑事案件, 138个村（社区）全年无电诈发案: places with none
        code = "fraud_free_places" if "诈" in zero.group() else "zero_incident_places"
        if code in metrics:
            return metrics[code], "trigger"
    if "支" in text and f.unit in ("人", "名") and _AFTER_TEAMS.search(text, max(0, f.num_start - 12), f.num_start):
        # 巡防队伍已发展到62支、1040人: the people counted right after the teams are their members
        vol = metrics.get("volunteers")
        if vol is not None:
            return vol, "paired_list"
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
    fields = trig.fields_before(hi)
    if streak and len(fields) > 1:
        # ... but a catch-all head (发案数, 警情) names no field of its own there
        fields = trig.fields([h for h in trig.within(0, hi) if roles.get(h[1]) not in ("broad", "object")])
    if agency_field:
        fields.add(agency_field)
    # in a compound noun the head comes last: 道路交通事故|死亡人数 is a count of deaths.
    # Only two words that touch: overlapping ones (电诈警情 / 警情数) are one word read twice.
    # A catch-all head (警情, 发案数) takes its meaning from the word before: 诈骗|警情.
    # A noun for what was counted is no head: in 走访|群众 the verb comes first.
    # (One walk over the window sorts its words by role: heads, catch-alls, objects.)
    heads: set[int] = set()
    broad_at: dict[int, int] = {}
    objects: list[tuple[int, int]] = []
    for at, w in hits:
        role = roles.get(w)
        if role is None:
            heads.add(at)
        elif role == "broad":
            broad_at[at] = at + len(w)
        else:
            objects.append((at, at + len(w)))
    # ... and a catch-all head read with the word before it is that word's: 挪车类|警情 is
    # a count of calls to move a car, so 警情 steps aside and 挪车类 is read where 警情
    # ends. Not after a noun for what was counted (小区|发案率 is still a rate of crime),
    # nor when a longer word already holds the head (入室盗窃|盗窃警情: 盗窃警情 says it).
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
    punct = trig.punct
    n_punct_before_hi = bisect_left(punct, hi)
    figure_ends = None
    said_of_before = -1  # end of a word said of the figure before (and the words in it)
    for at, word in hits:
        if at in taken_over:
            continue
        word_end = at + len(word)
        penalty = 8 if word_end in heads else 0  # a modifier of the head after it
        own = n_punct_before_hi == bisect_left(punct, at)
        if own:
            # a word said of the figure before it is not this figure's own (126人死亡、);
            # only a unit's or qualifier's last character can end that figure
            if text[at - 1:at] in _FIGURE_LAST_CHARS:
                if figure_ends is None:
                    figure_ends = trig.figure_ends(punct[n_punct_before_hi - 1] + 1 if n_punct_before_hi else 0)
                if at in figure_ends:
                    said_of_before = max(said_of_before, word_end)
            own = at >= said_of_before
        if shared:  # a word with no metric of its own may still name the subject field's
            key = (word, measure, unit, trig.years)
            pairs = _WORD_ALL_FITS.get(key)
            if pairs is None:
                pairs = _WORD_ALL_FITS[key] = tuple((t, _fitting(t, measure, unit, f)) for t in prefixes[word])
        else:
            pairs = _WORD_FITS.get((word, measure, unit))
            if pairs is None:
                pairs = _word_fits(word, measure, unit, f)
            if not pairs:
                continue  # nothing this word could say of such a figure (nor of its own)
        # the tail of an object word (涉案资金 holds 资金) is that word read again, not a verb
        verb = not (objects and any(a < at and word_end <= b for a, b in objects)) \
            and roles.get(word) != "object"
        for t, fits in pairs:
            in_field = shared.get(t, {}).get(subject_field) if shared else None
            if in_field is not None and not _fits(in_field, f):
                in_field = None
            if not fits and in_field is None:
                continue
            end = reach_of.get(at, at + len(t)) if t == word else at + len(t)
            dist = hi - end
            crossings = n_punct_before_hi - bisect_left(punct, end)
            base = (len(t) * 3 + 24 - (dist if dist < 40 else 40) * 0.4 - crossings * 6
                    + (5 if dist == 0 else 0) - penalty)
            # add(fits, base, own, verb, t), written out: this loop runs for most words
            acts = verb and (t == word or roles.get(t) != "object")  # (verb read word's role)
            for m, bonus in fits:
                sc = base + bonus + (0.1 if m.category in fields else 0.0)
                code = m.code
                if sc > scores.get(code, 0.0):
                    scores[code] = sc
                if own and sc > near.get(code, 0.0):
                    near[code] = sc
                    if acts:
                        acting[code] = sc
            if in_field is not None:
                # 该队…巡查300余次: the squad's field says what its 巡查 are
                add(((in_field, _unit_bonus(in_field, measure, unit)),), base + 0.3, own, verb, t)
                by_field.add(in_field.code)
    for at, word in trig.within(f.end, right_hi, f.end + 8):
        j = at - f.end
        for t, fits in _word_fits(word, measure, unit, f):
            add(fits, len(t) * 3 + 22 - j * 1.5 + (4 if j == 0 else 0), True, False, t)
    if f.subject:
        for hit in pattern.finditer(f.subject):
            for t, fits in _word_fits(hit.group(1), measure, unit, f):
                add(fits, 100 + len(t) * 3, True, True, t)
    if streak and fields:
        # a streak's field is the sentence's (电诈案件…，发案数连续五年下降: the fall is
        # fraud's): the generic 下降 said right after the number does not outrank it
        own_field = [(c, v) for c, v in scores.items() if v >= 4 and metrics[c].category in fields]
        won = next((max(found.items(), key=_SCORE) for found in (acting, near, scores) if found), None)
        if own_field and (won is None or won[1] < 4 or metrics[won[0]].category not in fields):
            return metrics[max(own_field, key=_SCORE)[0]], "field_word"
    for found in (acting, near, scores):
        if found:
            code, best = max(found.items(), key=_SCORE)
            if best >= 4:
                if code in by_field:
                    return metrics[code], "field_word"
                return metrics[code], _source_of(code, best, found, fields, metrics)
    only = reference.unit_metrics().get((f.measure, f.unit))
    if only is not None:
        return only, "unit_only"  # 辖区132平方公里: only the area is counted in 平方公里
    fallback = _FALLBACK.get(f.measure if f.unit not in _STREAK_UNITS else "duration", "other")
    return metrics.get(fallback, metrics["other"]), "unit_only" if fallback != "other" else "none"


#: villages or communities counted, then what they had none of (63个村连续三年未发生刑事案件)
_ZERO_INCIDENT_PLACES = re.compile(
    r"(?:村|社区)(?:（[^）]{0,6}）|\([^)]{0,6}\))?[^，,。；;]{0,10}?"
    r"(?:未发生|没有发生|无[^，,。；;、]{0,6}?(?:案件|案|警情|事故)|零发案|零警情|零案件)")
#: a count of teams just before the figure, joined to it by 、 or 共/计 (62支、1040人, 12支队伍共
#: 300余人)
_AFTER_TEAMS = re.compile(r"(?:\d|[一二两三四五六七八九十百])[余多]?支(?:队伍|队)?[、，,]?(?:共|计|共计|合计)?(?:[余多近约超])?$")


#: 由38名苗农组成的“护绿”巡逻队, 由23名民宿业主、村干部组成: the people a team is made of
_MADE_OF = re.compile(r"[^，,。；;]{0,20}?组成")


def _members_of_a_team(f: Figure, text: str, metrics: dict) -> reference.Metric | None:
    """A count of people between 由 and 组成 is the membership of the team it forms, whoever
    the people are (苗农, 民宿业主): no trigger word names them, the frame does."""
    i = f.num_start - 1
    while i > 0 and text[i] == " ":
        i -= 1
    if i < 0 or text[i] != "由" or f.measure != "count":
        return None
    vol = metrics.get("volunteers")
    if vol is None or f.unit not in vol.units or not _MADE_OF.match(text, f.end):
        return None
    return vol


#: how a figure's metric was decided (the figure record's ``metric_source``): a trigger
#: word near the number; a paired list's own item (治安、刑事警情…) or the count a list of
#: changes follows; a field word that broke a tie (火灾…死亡2人); its unit and measure
#: alone (a change, a rate, an amount of money with no word saying of what); nothing
METRIC_SOURCES = ("trigger", "paired_list", "field_word", "unit_only", "none")


def _source_of(code: str, best: float, found: dict, fields: set, metrics: dict) -> str:
    if best >= 100:
        return "paired_list"
    if metrics[code].category in fields:
        others = found.copy()  # (code is found's best: one dict copy beats a generator)
        del others[code]
        runner_up = max(others.values(), default=0.0)
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

