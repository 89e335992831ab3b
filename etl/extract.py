"""Document -> articles and figure records with place, metric, initiative and period.

The pieces (segment, figures, places, reference) each know one thing; this module holds the
judgement that joins them, in the order a careful reader would apply it:
place = the agency or place named nearest before the figure in its clause, else a
back-reference (该所, 该局) to the agency named earlier, else the paragraph's and the
article's own subject, else the column label (丽水:), else the manifest region;
period = as written nearest before the figure in its sentence, else a period that opened
an earlier sentence of the same section ("去年以来，……。");
metric = the taxonomy entry whose trigger words stand closest to the number and fit its
unit and measure; a figure that fits none is kept as `other`.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from etl import places, reference
from etl.figures import FIGURE_RE, Figure, candidate_starts, find_figures
from etl.manifest import Meta
from etl.numbers import as_number, fold
from etl.readers import Document
from etl.segment import Article, Paragraph, Sentence, segment

#: bump when extraction changes: ingest re-reads every file under a new version
EXTRACTOR_VERSION = "2026.11.29-21"

FIGURE_FIELDS = ["source", "article", "start", "end", "sentence", "raw", "value", "unit",
                 "qualifier", "measure", "direction", "metric", "category", "county_code",
                 "county", "city", "province", "agency", "initiative", "mechanism", "period",
                 "figure_id"]


@dataclass
class Extraction:
    bulletin: dict                 # bulletins row minus size/mtime/run_id (see schema.sql)
    articles: list[dict] = field(default_factory=list)   # articles rows
    figures: list[dict] = field(default_factory=list)    # figures rows (the full record)


# --- periods ---------------------------------------------------------------------------
_CN_N = r"[一二两三四五六七八九十\d]{1,3}"
PERIOD_RE = re.compile(
    # every alternative starts with one of these: one class test rejects most positions
    # before `re` walks the alternation (about 3x faster over a page)
    r"(?=[自从今去截近年每全上下前第一二两三四五六七八九十\d目至当“党同])"
    r"(?:(?:自|从)?(?:19|20)\d{2}年(?:以来|来|至今|全年|上半年|下半年|前三季度|前" + _CN_N + r"个月|" + _CN_N + r"(?:月?[-—－~～至到]" + _CN_N + r")?月(?:份|底|末)?(?:以来)?)?"
    r"|今年(?:以来|上半年|下半年|前三季度|第?[一二三四]季度|前" + _CN_N + r"个月|" + _CN_N + r"(?:月?[-—－~～至到]" + _CN_N + r")?月(?:份|底|末)?(?:以来)?)?"
    r"|去年(?:以来|同期|全年|上半年|下半年|底)?"
    r"|截至(?:目前|今年|去年|(?:19|20)\d{2}年)?(?:" + _CN_N + r"月(?:底|末|\d{1,2}日)?)?"
    r"|近(?:" + _CN_N + r")年(?:来)?|近年来|年均|每年|全年|上半年|下半年|前三季度|第?[一二三四]季度"
    r"|" + _CN_N + r"月?[-—－~～至到]" + _CN_N + r"月(?:份)?(?:以来)?|" + _CN_N + r"月份|前" + _CN_N + r"个月"
    r"|目前|至今|当前|“十四五”以来|党的二十大以来|同期"
    r")(?![0-9一二三四五六七八九十]{0,2}[日号])"  # 1月5日 is a day, not a period
)
# "在去年下降20%的基础上再降15%": what stands before 基础上 belongs to the baseline
_BASELINE_RE = re.compile(r"在[^，,。；;]{0,20}?基础上")
_CARRY_OK = re.compile(r"^(?:去年(?:以来|全年)?|今年以来|近年来|近.{1,3}年来|(?:19|20)\d{2}年.*|今年.*|.{1,3}[-—－~～至到].{1,3}月.*|截至.*|“十四五”以来|党的二十大以来|年初以来)$")

# --- back-references and levels ----------------------------------------------------------
_BACKREF_RE = re.compile(r"该(?:所|局|分局|大队|支队|中队|站|队|院|中心|部门|派出所)")
_LEVEL_RE = re.compile(r"全(?:市|省|县|区)")
_SELF_RE = re.compile(r"我(?:局|县|市|区|所|大队|支队|分局|省)")
_MECHANISM_RE = re.compile(r"“([^“”]{2,12})”(?=[^，,。；;“]{0,8}?(?:机制|模式|体系|联盟|品牌|工作法|战法|工程|平台|模型|行动|警务|队|中心|驿站|服务))")
_CLAUSE_SPLIT = re.compile(r"[；;]")


@dataclass
class _Ctx:
    """What an article says about itself, used for figures whose sentence names nothing."""
    article: Article
    mentions: list            # places.Mention, absolute offsets, in order
    lead: object | None       # the article's own subject mention
    column: object | None     # places.Place of the column label
    region: object | None     # places.Place of the manifest region
    city_hint: str | None
    # derived lookups, sorted by position (filled by extract_text)
    mention_starts: list = field(default_factory=list)
    named: list = field(default_factory=list)       # mentions with a place, scope words excluded
    named_starts: list = field(default_factory=list)
    agencies: list = field(default_factory=list)    # named mentions that are agencies
    agency_starts: list = field(default_factory=list)


def _figure_id(bulletin_id: str, start: int, raw: str) -> str:
    return hashlib.sha1(f"{bulletin_id}|{start}|{raw}".encode()).hexdigest()[:16]


def _place_fields(place, agency: str | None) -> dict:
    out = {"county_code": None, "county": None, "city_code": None, "city": None,
           "province": None, "agency": agency, "place_level": None}
    if place is None:
        return out
    level = place.level
    if level == "county":
        out.update(county_code=place.code, county=place.name, city=place.city,
                   city_code=place.city_code, province=place.province, place_level="county")
    elif level == "city":
        out.update(city=place.name, city_code=place.code, province=place.province,
                   place_level="city")
    elif level == "province":
        out.update(province=place.name, place_level="province")
    return out


def _city_place(place):
    if place is None:
        return None
    if place.level in ("city", "province"):
        return place
    return places.city_of(place)


def _province_place(place):
    if place is None:
        return None
    if place.level == "province":
        return place
    name = place.province
    return places.resolve(name) if name else None


# --- metric ------------------------------------------------------------------------------
_PUNCT_RE = re.compile(r"[，,；;：:]")
_RIGHT_STOP = re.compile(r"[，,；;。：:、！？!?]")
#: characters etl.numbers.fold changes; most sentences have none, so skip the copy
_NEEDS_FOLD = re.compile("[\uff10-\uff19．％＋　－～\u00a0\u2002\u2003\u2009]")
_FALLBACK = {"count": "other", "change": "other_change", "share": "other", "rate": "other_rate",
             "amount": "other_amount", "duration": "other_duration", "years": "other_years"}


def _fits(m: reference.Metric, f: Figure) -> bool:
    if m.base == "other":
        return False
    if f.measure in ("change", "share"):
        return m.measure == f.measure
    if f.measure == "duration" and m.measure == "count" and f.unit in m.units:
        return True  # 飞行356小时, 巡逻1200小时: a count kept in hours
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
        # a metric counted in exactly this unit (架次) beats one that only fits (架)
        got = _FITTING[key] = tuple((m, 3 if unit in m.units and m.measure == measure else 0)
                                    for m in by_trigger[t] if _fits(m, f))
    return got


@lru_cache(maxsize=1)
def _word_fields() -> dict[str, str | None]:
    """Each trigger word's category when it has only one."""
    out = {}
    for w, ms in reference.trigger_index()[2].items():
        cats = {m.category for m in ms}
        out[w] = cats.pop() if len(cats) == 1 else None
    return out


class _SentenceTriggers:
    """Every trigger word of one (folded) sentence, found in one regex pass and shared by
    all its figures: a figure's left and right contexts are windows onto the sentence."""
    __slots__ = ("text", "hits", "starts", "punct")

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

    @staticmethod
    def fields(hits) -> set[str]:
        """Categories the words name whatever their unit (火灾 says fire even before 2人);
        only words of one category count (死亡 alone could be road or fire)."""
        field = _word_fields()
        return {field[w] for _, w in hits if field[w]}

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


def _agency_spans(ctx: "_Ctx", sent: Sentence) -> list[tuple[int, int]]:
    """Where the sentence names an agency, as offsets into the sentence's own text."""
    out = []
    k = bisect_left(ctx.mention_starts, sent.start)
    for m in ctx.mentions[k:]:
        if m.start >= sent.end:
            break
        if not m.agency:
            continue
        for off, s, e in sent.pieces:
            if s <= m.start < e:
                out.append((off + m.start - s, off + min(m.end, e) - s))
                break
    return out


#: what an agency's kind says about the field of its figures: a fire brigade's 接警 are
#: rescue call-outs, a police bureau's are incidents
_AGENCY_FIELD = {"fire": "fire", "traffic": "traffic"}


def _metric_for(f: Figure, trig: _SentenceTriggers, lo: int, hi: int, right_hi: int,
                agency_field: str | None = None) -> reference.Metric:
    """Closest fitting trigger wins: left context is the clause up to the number (nearer is
    better, each comma crossed costs), right context the noun right after the unit
    (3名盗窃嫌疑人), and a paired list's own item (治安、刑事警情) beats both.

    ``trig`` holds the sentence's trigger words; the left context is trig.text[lo:hi], the
    right context trig.text[f.end:right_hi]."""
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
    fields = trig.fields(hits)
    if agency_field:
        fields.add(agency_field)
    # in a compound noun the head comes last: 道路交通事故|死亡人数 is a count of deaths.
    # Only two words that touch: overlapping ones (电诈警情 / 警情数) are one word read twice.
    # A catch-all head (警情, 发案数) takes its meaning from the word before: 诈骗|警情.
    heads = {at: w for at, w in hits if roles.get(w) != "broad"}
    modifiers = {at for at, w in hits if at + len(w) in heads}
    # the tail of an object word (涉案资金 holds 资金) is that word read again, not a verb
    objects = [(a, a + len(w)) for a, w in hits if roles.get(w) == "object"]
    inside = {at for at, w in hits if any(a < at and at + len(w) <= b for a, b in objects)} \
        if objects else set()
    punct = trig.punct
    n_punct_before_hi = bisect_left(punct, hi)
    for at, word in hits:
        penalty = 8 if at in modifiers else 0
        own = n_punct_before_hi == bisect_left(punct, at)
        verb = at not in inside and roles.get(word) != "object"
        for t in prefixes[word]:
            fits = _FITTING.get((t, measure, unit))
            if fits is None:
                fits = _fitting(t, measure, unit, f)
            if not fits:
                continue
            end = at + len(t)
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
                return metrics[code]
    return metrics.get(_FALLBACK.get(f.measure, "other"), metrics["other"])


def _paired_change(f: Figure, figs: list, metric_of: dict, metric: reference.Metric) -> reference.Metric:
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


# --- initiative --------------------------------------------------------------------------
def _initiative_for(sentence: str, section_text: str, article_text: str) -> str | None:
    # 1. a programme or pillar named outright, in the sentence, then its section
    for scope in (sentence, section_text):
        code = _named_initiative(scope)
        if code:
            return code
    # 2. keywords: the sentence first, then the section, then the article's headline/lead
    for scope in (sentence, section_text, article_text):
        code = _keyword_initiative(scope)
        if code:
            return code
    return None


#: per page (extract_text clears it): a section's or a headline's initiative is asked for
#: by each of its sentences
_INITIATIVE_CACHE: dict[tuple[bool, str], str | None] = {}


def _named_initiative(scope: str) -> str | None:
    key = (True, scope)
    if key not in _INITIATIVE_CACHE:
        named = [(scope.find(i.name_zh.strip("“”")), i) for i in reference.initiatives().values()
                 if i.name_zh.strip("“”") in scope]
        named.sort(key=lambda x: (x[1].level != "pillar", x[0]))
        _INITIATIVE_CACHE[key] = named[0][1].code if named else None
    return _INITIATIVE_CACHE[key]


def _keyword_initiative(scope: str) -> str | None:
    """The initiative with the longest keyword in ``scope`` (the first listed on a tie)."""
    key = (False, scope)
    if key not in _INITIATIVE_CACHE:
        pattern, rank = _keyword_index()
        found = {m.group(1) for m in pattern.finditer(scope)}
        best = min(found, key=lambda k: rank[k][:2]) if found else None
        _INITIATIVE_CACHE[key] = rank[best][2] if best else None
    return _INITIATIVE_CACHE[key]


@lru_cache(maxsize=1)
def _keyword_index():
    """Every initiative keyword in one overlapping sweep, each with (-length, first
    initiative listing it, that initiative's code) to rank the ones found."""
    rank: dict[str, tuple[int, int, str]] = {}
    for n, i in enumerate(reference.initiatives().values()):
        for k in i.keywords:
            rank.setdefault(k, (-len(k), n, i.code))
    words = sorted(rank, key=len, reverse=True)
    first = "".join(sorted({w[0] for w in words}))
    # every keyword starting at each position, so a shorter one inside a longer is seen
    alts = "|".join(re.escape(w) for w in words)
    return re.compile("(?=[" + re.escape(first) + "])(?=(" + alts + "))"), rank


def _mechanism_for(sentence: str, pos: int) -> str | None:
    found = None
    for m in _MECHANISM_RE.finditer(sentence):
        if m.start() < pos:
            found = "“" + m.group(1) + "”"
    return found


def _period_for(sentence: str, pos: int) -> str | None:
    """The period written nearest before the figure; a baseline ("在去年…的基础上") and a
    comparison base ("较去年同期") are not the figure's own period."""
    upto = sentence[:pos]
    cut = max(upto.rfind("；"), upto.rfind(";"))
    if cut >= 0:
        # another county's clause ("松阳…今年以来…；云和…") lends it no period, but
        # a period opening the whole sentence still covers every clause
        opening = _opening_period(sentence)
        own = _period_for(sentence[cut + 1:], pos - cut - 1)
        return own or opening
    matches = _period_matches(sentence)
    if not matches:
        return None
    excluded = [(m.start(), m.end()) for m in _BASELINE_RE.finditer(upto)]
    found = None
    for start, end, text in matches:
        if end > pos:
            break
        if any(a <= start < b for a, b in excluded):
            continue
        if start and upto[start - 1] in "较比与同":
            continue
        found = text
    return found


#: every period phrase holds one of these; most sentences can skip the big regex
_PERIOD_HINT = re.compile("[年季月截目至当来期]")


#: per page (extract_text clears it): a sentence's periods, found once for all its figures
_PERIOD_CACHE: dict[str, tuple[tuple[int, int, str], ...]] = {}


def _period_matches(sentence: str) -> tuple[tuple[int, int, str], ...]:
    found = _PERIOD_CACHE.get(sentence)
    if found is None:
        found = () if not _PERIOD_HINT.search(sentence) else tuple(
            (m.start(), m.end(), m.group()) for m in PERIOD_RE.finditer(sentence) if m.group())
        _PERIOD_CACHE[sentence] = found
    return found


_LEAD_PREFIX = re.compile(r"^[\s*#>\-]*(?:(?:本报讯|本报消息|讯)(?:（[^）]{0,30}）|\([^)]{0,30}\))?)?[\s*]*")


_FRONTED_END = re.compile(r"[，,]")


def _opening_period(sentence: str) -> str | None:
    """A period that heads the sentence and so scopes over all of it: "去年以来，…",
    "本报讯 …4月8日，记者从市公安局获悉，一季度，…" (a fronted adverbial: the period
    followed by a comma, before any figure)."""
    if not _period_matches(sentence):
        return None
    sentence = _LEAD_PREFIX.sub("", sentence, count=1)
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


# --- place -------------------------------------------------------------------------------
_STOCK_WORDS = re.compile(r"累计|共|全年|今年|以来|组建|配备|拥有|现有|新增|投入|出动警力"
                          r"|同比|环比|全市|全县|全区|全省|季度|期间")


_ONE_CASE = re.compile(r"(?:侦破|破获|办理|查处)?一起[^，,。；;]{0,24}案")


#: a paragraph telling one case: someone reported it, a named or anonymised person
_STORY_RE = re.compile(r"报警|报案|求助称|化名|先生|女士|阿姨|大爷|大妈|男子|女子|小伙|某某|[张王李赵刘陈杨黄吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤]某")


def _incidental(metric, f: Figure, sentence: str, story: bool = False) -> bool:
    """A single case's details are not performance figures (DESIGN.md): two officers
    arriving at a scene, the money flowing through the one case a sentence tells of
    (侦破一起特大网络赌博案，涉案流水超10亿元), the phones and cash seized at the scene of
    a case story. Arrests stay: the seed's gold keeps "一举抓获嫌疑人8人"."""
    if (metric.code in ("police_deployed", "staff") and f.measure == "count"
            and f.value < 10 and not _STOCK_WORDS.search(sentence)):
        return True
    if f.unit == "元" and f.measure == "amount" and bool(_ONE_CASE.search(sentence)):
        return True
    if story and metric.category != "arrests" and not _STOCK_WORDS.search(sentence):
        return f.measure in ("amount", "count")
    return False


_JOINT_RE = re.compile(r"两地|三地|多地|双方|三方")
_PARTNER_RE = re.compile(r"联合|会同|协同|配合|协助|携手|联手|与|和|同|及")


def _text_between(sent: Sentence, sent_text: str, a: int, b: int) -> str | None:
    """Sentence text between two source offsets (None if they fall outside the sentence)."""
    for off, s, e in sent.pieces:
        if s <= a <= e and s <= b <= e:
            return sent_text[off + a - s: off + b - s]
    return None


_SEVERAL_PLACES = re.compile(r"[两二三四五六七八九十]+(?:地|县|区|市|个县)")
_LIST_JOIN = re.compile(r"^(?:公安局?|警方|县|市|区)?(?:、|和|及|与|，|,)$")


def _listed_places(ctx: _Ctx, sent: Sentence, sent_text: str, figs: list) -> dict:
    """Places listed in order before a paired list of figures get one figure each.

    "莲都、缙云、遂昌公安分别化解纠纷3200起、6300起、3000起": the nearest place (遂昌)
    would take all three; the list says otherwise. Only when the clause names exactly as
    many places, joined by 、/和 alone, as the list has figures.
    """
    out: dict = {}
    groups: dict[int, list] = {}
    for f in figs:
        if f.group:
            groups.setdefault(f.group, []).append(f)
    paired: list | None = None  # the places of the sentence's last paired list
    for members in groups.values():
        lead = members[0]
        clause_rel = 0
        for m in _CLAUSE_SPLIT.finditer(sent_text[:lead.start]):
            clause_rel = m.end()
        for m in re.finditer(r"[，,]", sent_text[:lead.start]):
            clause_rel = max(clause_rel, m.end())
        lo = sent.to_source(clause_rel, clause_rel)
        hi = sent.to_source(lead.start, lead.start)
        if lo is None or hi is None:
            continue
        named = [m for m in ctx.named if lo[0] <= m.start < hi[0]]
        if (not named and paired is not None and len(paired) == len(members)
                and "分别" in sent_text[clause_rel:lead.start]):
            # "…分别组建义警队伍35支、28支，队员分别达到1200人、960人": the same places, again
            for f, m in zip(members, paired):
                out[id(f)] = (m.place, m.agency)
            continue
        joins = [_text_between(sent, sent_text, a.end, b.start) for a, b in zip(named, named[1:])]
        listed = len(named) >= 2 and all(j is not None and _LIST_JOIN.match(j) for j in joins)
        if not listed:
            if (len(members) >= 2 and "分别" in sent_text[clause_rel:lead.start]
                    and _SEVERAL_PLACES.search(sent_text[clause_rel:lead.start])):
                # "…三地公安分别…" whose places could not all be read: not the last one's
                for f in members:
                    out[id(f)] = (None, None)
            continue
        if len(named) == len(members) and len({m.place for m in named}) == len(named):
            for f, m in zip(members, named):
                out[id(f)] = (m.place, m.agency)
            paired = named
        elif "分别" in sent_text[clause_rel:lead.start]:
            # "普陀、柯城、海曙三地公安分别…100起、101起、102起" with one name unplaced:
            # each figure is one place's, but which is not known; never the last one's
            for f in members:
                out[id(f)] = (None, None)
    return out


def _is_scope(m) -> bool:
    return m.text.startswith(("全省", "全市", "全县", "全区"))


def _names_subject(m) -> bool:
    """Can this mention be a figure's subject? Not a scope word (全市), and not a bare
    市公安局 left without a place (it points back at a city named before); a named bureau
    counts even unplaced (西湖区公安局: two 西湖区 in China)."""
    return not _is_scope(m) and (m.place is not None or m.text[0] not in "省市县区")


def _joins_partner(between: str | None) -> bool:
    """Is this the stretch between a subject and its partner ("A会同B破获…")? The partner
    word must stand right there, with no comma (not 缙云公安…，云和公安…: 和 in a name)."""
    return (between is not None and len(between) <= 12 and not _PUNCT_RE.search(between)
            and bool(_PARTNER_RE.search(between)))


def _opening_agency(ctx: _Ctx, para_start: int):
    """The bureau that opens the paragraph before this one ("平湖市公安局开展专项行动。"
    then "民警今年共化解纠纷101起。"): a paragraph that names no place goes on about it.
    Only a bureau standing first: one named further in (该局与温州市公安局签订协议) may
    be a partner, and the article's own subject is the safer reading then."""
    prev = None
    for para in ctx.article.paragraphs:
        if para.start >= para_start:
            break
        prev = para
    if prev is None:
        return None
    j = bisect_left(ctx.mention_starts, prev.start)
    m = ctx.mentions[j] if j < len(ctx.mentions) else None
    if m is not None and m.start <= prev.start + 2 and m.agency and _names_subject(m):
        return m  # unplaced (江北区公安局: two 江北区) it still keeps the lead's county off
    return None


def _place_for(ctx: _Ctx, sent: Sentence, para_start: int, fig_abs: int, sent_text: str,
               fig_rel: int):
    """(place, agency) for one figure."""
    ms = ctx.mentions
    # clause = the semicolon-delimited part of the sentence holding the figure
    clause_rel_start = 0
    for m in _CLAUSE_SPLIT.finditer(sent_text[:fig_rel]):
        clause_rel_start = m.end()
    clause_abs = sent.to_source(clause_rel_start, clause_rel_start) if clause_rel_start < len(sent_text) else None
    clause_start = clause_abs[0] if clause_abs else sent.start
    # the last named place before the figure, and before each boundary (clause, sentence…)
    named = ctx.named
    k = bisect_left(ctx.named_starts, fig_abs)
    last = named[k - 1] if k else None

    def last_from(floor: int):
        return last if last is not None and last.start >= floor else None

    in_clause = last_from(clause_start)
    if in_clause is not None:
        # 青田县公安局会同瓯海分局破获…: the partner named after 会同/联合 is not the subject
        j = bisect_left(ctx.named_starts, clause_start)
        first = named[j] if j < len(named) else None
        if first is not None and first is not in_clause and first.start < in_clause.start:
            between = _text_between(sent, sent_text, first.end, in_clause.start)
            if _joins_partner(between):
                in_clause = first
    # 西湖公安, 普陀区 (two of each in China, no city given) name the subject even
    # unresolved: the figure has no county, it does not fall back to the one before
    km = bisect_left(ctx.mention_starts, fig_abs)
    latest = ms[km - 1] if km else None
    if (latest is not None and latest.start >= clause_start and latest.place is None
            and _names_subject(latest) and (in_clause is None or latest.start > in_clause.start)):
        if in_clause is None or not _joins_partner(
                _text_between(sent, sent_text, in_clause.end, latest.start)):
            return None, latest.agency
    in_sentence = last_from(sent.start)
    backref = None
    if _BACKREF_RE.search(sent_text[:fig_rel]):
        j = bisect_left(ctx.agency_starts, sent.start)
        backref = ctx.agencies[j - 1] if j else None
    if in_clause is None and _SELF_RE.search(sent_text[clause_rel_start:fig_rel]):
        own = ctx.region or ctx.column or (ctx.lead.place if ctx.lead else None)
        if own is not None:
            return own, None  # 我局/我县 in a county outlet's own news: that county
    best = next((m for m in (in_clause, backref, in_sentence, last_from(para_start))
                 if m is not None), None)
    if best is None:
        best = _opening_agency(ctx, para_start) or ctx.lead
    if (in_clause is None and backref is None and in_sentence is None and ctx.lead is not None
            and _JOINT_RE.search(sent_text[clause_rel_start:fig_rel])):
        # 两地公安联合破获…: a joint result is claimed by the article's own subject, not by
        # whichever partner was named last
        best = ctx.lead

    # 全市/全省/全县 in the clause: the figure belongs to that whole area
    scope = None
    for lm in _LEVEL_RE.finditer(sent_text[clause_rel_start:fig_rel]):
        scope = lm.group()
    if scope and not (in_clause and in_clause.start > sent.start + clause_rel_start + sent_text[clause_rel_start:fig_rel].rfind(scope)):
        base = best.place if best is not None else (ctx.column or ctx.region)
        agency = best.agency if best is not None and best in (in_clause, in_sentence) else None
        before = ms[:bisect_left(ctx.mention_starts, fig_abs)]
        scoped = [m for m in before if _is_scope(m) and m.start >= clause_start and m.place is not None]
        if base is None and scoped:
            return scoped[-1].place, scoped[-1].agency
        if scope == "全省":
            return _province_place(base), agency
        if scope == "全市":
            if base is not None and base.level == "county" and base.name.endswith("市"):
                return base, agency  # 义乌全市: a county-level city
            return _city_place(base), agency
        if base is not None and base.level == "county":
            return base, agency
        return None, None
    if best is not None:
        return best.place, best.agency
    if ctx.column is not None:
        return ctx.column, None
    if ctx.region is not None:
        return ctx.region, None
    return None, None


def _lead_mention(article: Article, mentions: list):
    """The article's own subject: the agency its lead names (本报讯 天台县公安局…), else the
    place in its headline (缙云公安：…) or byline, else a place its lead names."""
    if not article.paragraphs:
        return None
    s, e = article.paragraphs[0].start, article.paragraphs[0].end
    named = [m for m in mentions if m.place is not None and not _is_scope(m)]
    inside = [m for m in named if s <= m.start < e]
    agencies = [m for m in inside if m.agency]
    if agencies:
        return agencies[0]
    above = [m for m in named if article.start <= m.start < s]  # headline, byline
    if above:
        return next((m for m in above if m.agency), above[0])
    return inside[0] if inside else None


def extract_text(text: str, source: str, bulletin_id: str, meta: Meta | None = None) -> tuple[list[dict], list[dict]]:
    """(articles rows, figure rows) for one decoded text."""
    meta = meta or Meta()
    _PERIOD_CACHE.clear()
    _INITIATIVE_CACHE.clear()
    region_place = places.resolve(meta.region) if meta.region else None
    articles = segment(text)
    # one C-speed sweep for number+unit shapes; sentences without one are skipped
    candidates = candidate_starts(fold(text))
    art_rows, fig_rows = [], []
    for art in articles:
        k = bisect_left(candidates, art.start)
        if k == len(candidates) or candidates[k] >= art.end:
            # no number+unit shape anywhere in the article: nothing to attribute
            art_rows.append({"bulletin_id": bulletin_id, "article": art.index, "title": art.title,
                             "byline": art.byline, "region": art.region, "start": art.start,
                             "end": art.end, "n_figures": 0})
            continue
        column = places.resolve(art.region) if art.region else None
        # the most specific place the page gives: a county outlet's 县公安局 is that county
        hint = next((p.code for p in (column, region_place) if p is not None and p.code), None)
        # only the articles that hold a figure are swept for places
        mentions = places.scan(text, hint, art.start, art.end)
        ctx = _Ctx(art, mentions, None, column, region_place, hint)
        ctx.mention_starts = [m.start for m in mentions]
        ctx.named = [m for m in mentions if m.place is not None and not _is_scope(m)]
        ctx.named_starts = [m.start for m in ctx.named]
        # back-references (该局) point at the last bureau named, placed or not (西湖区公安局)
        ctx.agencies = [m for m in mentions if m.agency and _names_subject(m)]
        ctx.agency_starts = [m.start for m in ctx.agencies]
        ctx.lead = _lead_mention(art, mentions)
        head = (art.title or "") + (art.paragraphs[0].text if art.paragraphs else "")
        n_before = len(fig_rows)
        carried: dict[int, str | None] = {}
        # sentences (or whole figure-free paragraphs) read since the section's carried period
        # was last settled: their opening periods are only worked out when a figure needs one
        unsettled: dict[int, list] = {}

        def carried_period(si: int) -> str | None:
            entries = unsettled.get(si)
            if entries:
                found = None
                for entry in reversed(entries):
                    if isinstance(entry, Paragraph):
                        if _PERIOD_HINT.search(entry.text) and PERIOD_RE.search(entry.text):
                            for s in reversed(entry.sentences):
                                found = _opening_period(s.text)
                                if found:
                                    break
                    else:
                        found = _opening_period(entry.text)
                    if found:
                        carried[si] = found
                        break
                entries.clear()
            return carried.get(si)

        initiatives_seen: dict = {}  # the same for every figure of a sentence
        section_text: dict[int, str] = {}
        for para in art.paragraphs:
            section_text.setdefault(para.section_index, (para.section or "") + para.text)
        for para in art.paragraphs:
            para_start = para.start
            k = bisect_left(candidates, para.start)
            pending = unsettled.setdefault(para.section_index, [])
            if k == len(candidates) or candidates[k] >= para.end:
                pending.append(para)  # no figure: only a period it opens may be needed
                continue
            story = None  # is this paragraph one case's story? decided once, when needed
            for sent in para.sentences:
                st = sent.text
                k = bisect_left(candidates, sent.start)
                if k == len(candidates) or candidates[k] >= sent.end:
                    figs = []  # no unit-bearing number anywhere in it: nothing to look at
                else:
                    fst = fold(st) if _NEEDS_FOLD.search(st) else st
                    figs = find_figures(st, 0, len(st), fst)
                listed = _listed_places(ctx, sent, st, figs)
                trig = None
                metric_of: dict[int, reference.Metric] = {}
                for f in figs:
                    src = sent.to_source(f.start, f.end)
                    if src is None:
                        continue  # straddles a line break: offsets could not point at it
                    s_abs, e_abs = src
                    raw = text[s_abs:e_abs]
                    if raw != f.raw:
                        continue
                    if id(f) in listed:
                        place, agency = listed[id(f)]  # 莲都、缙云、遂昌分别…3200起、6300起、3000起
                    else:
                        place, agency = _place_for(ctx, sent, para_start, s_abs, st, f.start)
                    hi = f.num_start if not f.group_index else f.start
                    # another clause, another subject
                    lo = max(fst.rfind("；", 0, hi), fst.rfind(";", 0, hi)) + 1
                    stop = _RIGHT_STOP.search(fst, f.end, f.end + 14)
                    right_hi = min(stop.start() if stop else min(len(fst), f.end + 14), f.end + 12)
                    if trig is None:
                        trig = _SentenceTriggers(fst, _agency_spans(ctx, sent))
                    metric = _metric_for(f, trig, lo, hi, right_hi, _AGENCY_FIELD.get(places.agency_kind(agency)))
                    metric = _paired_change(f, figs, metric_of, metric)
                    metric_of[id(f)] = metric
                    if story is None:
                        # the byline's own names (记者 王某) are not a story's people
                        story = bool(_STORY_RE.search(_LEAD_PREFIX.sub("", para.text, count=1)))
                    if _incidental(metric, f, st, story):
                        continue
                    period = _period_for(st, f.start)
                    if period is None and f.measure not in ("years", "duration"):
                        period = carried_period(para.section_index)
                    key = (id(sent), para.section_index)
                    if key not in initiatives_seen:
                        initiatives_seen[key] = _initiative_for(st, section_text.get(para.section_index, ""), head)
                    initiative = initiatives_seen[key]
                    row = {
                        "source": source, "article": art.index, "start": s_abs, "end": e_abs,
                        "sentence": st, "raw": raw, "value": as_number(f.value), "unit": f.unit,
                        "qualifier": f.qualifier, "measure": f.measure, "direction": f.direction,
                        "metric": metric.code, "category": metric.category,
                        **_place_fields(place, agency),
                        "initiative": initiative, "mechanism": _mechanism_for(st, f.start),
                        "period": period, "figure_id": _figure_id(bulletin_id, s_abs, raw),
                        "bulletin_id": bulletin_id,
                    }
                    fig_rows.append(row)
                pending.append(sent)
        art_rows.append({"bulletin_id": bulletin_id, "article": art.index, "title": art.title,
                         "byline": art.byline, "region": art.region, "start": art.start,
                         "end": art.end, "n_figures": len(fig_rows) - n_before})
    return art_rows, fig_rows


def extract_document(doc: Document, meta: Meta | None = None) -> Extraction:
    if meta is None:
        try:
            from etl.dates import resolve_meta
            meta = resolve_meta(doc.path, doc.text, None)
        except Exception:  # dates are optional for a bare extract
            meta = Meta()
    art_rows, fig_rows = extract_text(doc.text, doc.path, doc.bulletin_id, meta)
    start_end = _period_dates(meta)
    for r in fig_rows:
        r["published_on"] = meta.published_on
        r["synthetic"] = bool(meta.synthetic)
        r["period_start"], r["period_end"] = start_end(r["period"])
        r["period_kind"] = __import__("etl.period_kind", fromlist=["period_kind"]).period_kind(r["period"])
    bulletin = {
        "bulletin_id": doc.bulletin_id, "path": doc.path, "file_name": doc.path.replace("\\", "/").rsplit("/", 1)[-1],
        "format": doc.format, "encoding": doc.encoding, "n_chars": len(doc.text),
        "title": next((a["title"] for a in art_rows if a["title"]), None),
        "published_on": meta.published_on, "date_source": meta.date_source,
        "date_precision": meta.date_precision, "publisher": meta.publisher,
        "region": meta.region, "url": meta.url, "synthetic": bool(meta.synthetic),
        "n_articles": len(art_rows), "n_figures": len(fig_rows),
    }
    return Extraction(bulletin, art_rows, fig_rows)


def _period_dates(meta: Meta):
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


def record(row: dict) -> dict:
    """The figure record of DESIGN.md, in its field order (what `extract` prints)."""
    return {k: row.get(k) for k in FIGURE_FIELDS}
