"""A figure's place: the agency or place named nearest before it in its clause, else
a back-reference (该所, 该局) to the agency named earlier, else the paragraph's and the
article's own subject, else the column label (丽水:), else the manifest region.
etl.places finds and resolves the mentions; this module decides which one a figure
belongs to, and says how (``place_source``)."""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from etl import places, reference
from etl.config import REFERENCE_DIR
from etl.segment import Article, Sentence

#: how a figure's place was decided, strongest evidence first (the figure record's
#: ``place_source``): named in its own clause or sentence; by 该局/该所; by its paragraph;
#: by the article's headline or lead; by a column label; by a town that names one county;
#: by the outlet (publisher) or the manifest region; or not at all
PLACE_SOURCES = ("clause", "back_reference", "paragraph", "headline", "article_lead", "column",
                 "town", "outlet", "manifest", "none")

_BACKREF_RE = re.compile(r"该(?:所|局|分局|大队|支队|中队|站|队|院|中心|部门|派出所)")
_LEVEL_RE = re.compile(r"全(?:市|省|县|区|州|盟|旗)")
#: 我市, 本县, 我州, 本旗: the outlet's own place (not 基本, 成本, 日本…)
_SELF_RE = re.compile(r"(?:我|(?<![基根成资日文样版剧课账标范脚书原])本)"
                      r"(?:局|县|市|区|所|大队|支队|分局|省|州|盟|旗)")
_PUNCT_RE = re.compile(r"[，,；;：:]")


@dataclass
class ArticleContext:
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
    county_cities: set = field(default_factory=set)  # counties the text calls 市 (富阳市)
    lead_source: str = "article_lead"  # headline | article_lead: where the lead mention stands
    region_source: str = "manifest"    # manifest | outlet: where the region came from
    column_source: str = "column"      # column | headline (海盐：…): where the column came from
    own_city: tuple | None = None      # (place, source): the county-level city whose news this is


def place_fields(place, agency: str | None) -> dict:
    """The figure record's place fields (one dict built per figure, keys in one order)."""
    level = None if place is None else place.level
    if level == "county":
        return {"county_code": place.code, "county": place.name, "city_code": place.city_code,
                "city": place.city, "province": place.province, "agency": agency,
                "place_level": "county"}
    if level == "city":
        return {"county_code": None, "county": None, "city_code": place.code, "city": place.name,
                "province": place.province, "agency": agency, "place_level": "city"}
    if level == "province":
        return {"county_code": None, "county": None, "city_code": None, "city": None,
                "province": place.name, "agency": agency, "place_level": "province"}
    return {"county_code": None, "county": None, "city_code": None, "city": None,
            "province": None, "agency": agency, "place_level": None}


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


def listed_places(ctx: ArticleContext, sent: Sentence, sent_text: str, figs: list) -> dict:
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
        clause_rel = _clause_start(sent_text, lead.start)
        for m in re.finditer(r"[，,]", sent_text[:lead.start]):
            clause_rel = max(clause_rel, m.end())
        lo = sent.to_source(clause_rel, clause_rel)
        hi = sent.to_source(lead.start, lead.start)
        if lo is None or hi is None:
            continue
        named = [m for m in ctx.named if lo[0] <= m.start < hi[0]]
        if not named and clause_rel and "分别" in sent_text[clause_rel:lead.start]:
            # "溧阳、金坛两地刑事类警情降幅居前，分别下降30.2%、28.9%": the list one comma back
            back_rel = max(sent_text.rfind(c, 0, clause_rel - 1) for c in "，,；;") + 1
            back = sent.to_source(back_rel, back_rel)
            named = [m for m in ctx.named if back is not None and back[0] <= m.start < lo[0]]
            if len(named) != len(members):
                named = []
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
        distinct = len({m.place for m in named})
        # 泽国镇、箬横镇两地…分别: towns of one county give each figure that county
        if len(named) == len(members) and distinct in (len(named), 1):
            for f, m in zip(members, named):
                out[id(f)] = (m.place, m.agency)
            paired = named
        elif "分别" in sent_text[clause_rel:lead.start]:
            # "普陀、柯城、海曙三地公安分别…100起、101起、102起" with one name unplaced:
            # each figure is one place's, but which is not known; never the last one's
            for f in members:
                out[id(f)] = (None, None)
    return out


def _clause_start(sent_text: str, pos: int) -> int:
    """Just after the last ；/; before ``pos`` (0 when there is none): where the
    semicolon-delimited clause holding ``pos`` starts."""
    return max(sent_text.rfind("；", 0, pos), sent_text.rfind(";", 0, pos)) + 1


def is_scope(m) -> bool:
    return m.text.startswith(("全省", "全市", "全县", "全区", "全州", "全盟", "全旗"))


def names_subject(m) -> bool:
    """Can this mention be a figure's subject? Not a scope word (全市), and not a bare
    市公安局 left without a place (it points back at a city named before); a named bureau
    counts even unplaced (西湖区公安局: two 西湖区 in China)."""
    return not is_scope(m) and (m.place is not None or m.text[0] not in "省市县区州盟旗自")


def _joins_partner(between: str | None) -> bool:
    """Is this the stretch between a subject and its partner ("A会同B破获…")? The partner
    word must stand right there, with no comma (not 缙云公安…，云和公安…: 和 in a name)."""
    return (between is not None and len(between) <= 12 and not _PUNCT_RE.search(between)
            and bool(_PARTNER_RE.search(between)))


_PARTNER_BEFORE = re.compile(r"(?:联合|会同|协同|配合|协助|携手|联手|与)$")
#: the characters a word of _PARTNER_BEFORE ends with (most mentions follow none)
_PARTNER_LAST = frozenset("合同助手与")


def _is_partner(sent: Sentence, sent_text: str, m) -> bool:
    """Is mention ``m`` named as a partner (与乌审旗交管大队联勤联动, 联合烟台海警支队开展…)?
    What the partnership achieved is the subject's result, not the partner's."""
    before = _text_between(sent, sent_text, max(sent.start, m.start - 2), m.start)
    return bool(before) and before[-1] in _PARTNER_LAST and bool(_PARTNER_BEFORE.search(before))


def _opening_agency(ctx: ArticleContext, para_start: int):
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
    if m is not None and m.start <= prev.start + 2 and m.agency and names_subject(m):
        return m  # unplaced (江北区公安局: two 江北区) it still keeps the lead's county off
    return None


def place_for(ctx: ArticleContext, sent: Sentence, para_start: int, fig_abs: int, sent_text: str,
              fig_rel: int):
    """(place, agency, place_source) for one figure; place_source says which evidence
    decided (PLACE_SOURCES), so that a reviewer can sort by the weakest."""
    ms = ctx.mentions
    # clause = the semicolon-delimited part of the sentence holding the figure
    clause_rel_start = _clause_start(sent_text, fig_rel)
    clause_abs = sent.to_source(clause_rel_start, clause_rel_start) if clause_rel_start < len(sent_text) else None
    clause_start = clause_abs[0] if clause_abs else sent.start
    # the last named place before the figure, and before each boundary (clause, sentence…)
    named = ctx.named
    k = bisect_left(ctx.named_starts, fig_abs)
    while k and _is_partner(sent, sent_text, named[k - 1]):
        k -= 1  # 大队联合烟台海警支队开展…，救助渔民63人: the partner is not the subject
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
            and names_subject(latest) and not _is_partner(sent, sent_text, latest) and (in_clause is None or latest.start > in_clause.start)):
        if in_clause is None or not _joins_partner(
                _text_between(sent, sent_text, in_clause.end, latest.start)):
            return None, latest.agency, "none"
    in_sentence = last_from(sent.start)
    backref = None
    if "该" in sent_text and _BACKREF_RE.search(sent_text, 0, fig_rel):
        j = bisect_left(ctx.agency_starts, sent.start)
        backref = ctx.agencies[j - 1] if j else None
    selfword = None
    if "我" in sent_text or "本" in sent_text:
        if in_clause is None:
            selfword = _SELF_RE.search(sent_text[clause_rel_start:fig_rel])
        else:
            # 记者从市公安局获悉，去年我区…: 我区 after the bureau named as the source, nearer
            # the figure, says whose figure it is
            for hit in _SELF_RE.finditer(sent_text[clause_rel_start:fig_rel]):
                src = sent.to_source(clause_rel_start + hit.start(), clause_rel_start + hit.end())
                if src is not None and src[0] >= in_clause.end and in_clause.agency is not None:
                    selfword = hit
    if selfword:
        own, how = own_place(ctx, selfword.group()[1:])
        if own is not None:
            return own, None, how  # 我局/我县 in a county outlet's own news: that county
    # the nearest evidence first: the clause, 该局/该所, the sentence, the paragraph
    if in_clause is not None:
        best, how = in_clause, "clause"
    elif backref is not None:
        best, how = backref, "back_reference"
    elif in_sentence is not None:
        best, how = in_sentence, "clause"
    else:
        best, how = last_from(para_start), "paragraph"
    if best is None:
        best, how = _opening_agency(ctx, para_start), "paragraph"
        if best is None:
            best, how = ctx.lead, ctx.lead_source
    if (in_clause is None and backref is None and in_sentence is None and ctx.lead is not None
            and _JOINT_RE.search(sent_text[clause_rel_start:fig_rel])):
        # 两地公安联合破获…: a joint result is claimed by the article's own subject, not by
        # whichever partner was named last
        best, how = ctx.lead, ctx.lead_source
    if best is not None and (best.kind == "town" or best.via_town):
        how = "town"

    # 全市/全省/全县 in the clause: the figure belongs to that whole area
    scope = None
    if "全" in sent_text:
        for lm in _LEVEL_RE.finditer(sent_text, clause_rel_start, fig_rel):
            scope = lm.group()
    if scope and not (in_clause and in_clause.start > sent.start + clause_rel_start + sent_text[clause_rel_start:fig_rel].rfind(scope)):
        if best is not None:
            base = best.place
        else:
            base, how = fallback_place(ctx)
        agency = best.agency if best is not None and best in (in_clause, in_sentence) else None
        before = ms[:bisect_left(ctx.mention_starts, fig_abs)]
        scoped = [m for m in before if is_scope(m) and m.start >= clause_start and m.place is not None]
        if base is None and scoped:
            return scoped[-1].place, scoped[-1].agency, "clause"
        if scope == "全省":
            found = _province_place(base)
        elif scope == "全市":
            if is_county_city(base, ctx.county_cities):
                found = base  # 义乌全市: a county-level city
            else:
                found = _city_place(base)
        elif scope in ("全州", "全盟"):
            found = _city_place(base)  # the prefecture (自治州, 盟) the place lies in
            found = found if found is not None and found.level == "city" else None
        elif scope == "全区" and base is not None and (
                base.name.endswith(("自治区", "地区")) or (base.level == "city" and best is not None
                                                        and (base.short + "地区") in best.text)):
            found = base  # 宁夏's or 毕节地区's (毕节市 today) own 全区: the whole region
        elif scope == "全区" and base is not None and base.level == "county" and base.city is not None \
                and base.city.endswith("地区") and not base.name.endswith("区"):
            found = _city_place(base)  # 全区 in a county of 大兴安岭地区: the prefecture
        else:
            found = base if base is not None and base.level == "county" else None
            agency = agency if found is not None else None
        return found, agency, how if found is not None else "none"
    if best is not None:
        return best.place, best.agency, how if best.place is not None else "none"
    place, how = fallback_place(ctx)
    return place, None, how


#: what kind of place 我X / 本X speaks for, by X (县 and 区 above: a county the page names)
_OWN_LEVEL = {
    "市": lambda p: p.name.endswith("市"),
    "州": lambda p: p.level == "city" and p.name.endswith("州"),
    "盟": lambda p: p.level == "city" and p.name.endswith("盟"),
    "旗": lambda p: p.level == "county" and p.name.endswith("旗"),
    "省": lambda p: p.level == "province",
}


def own_place(ctx: ArticleContext, word: str | None = None):
    """(place, place_source) the outlet speaks for (我市, 我县, 市公安局 in its own news).

    我县 / 我区 speak for a county: in a city paper (region 嘉兴) whose article is headed
    `海盐：…`, the county the article names, not the paper's city."""
    own = ((ctx.region, ctx.region_source), (ctx.column, ctx.column_source),
           (ctx.lead.place if ctx.lead is not None else None, ctx.lead_source))
    if word in ("县", "区"):
        for place, how in own:
            if place is not None and place.level == "county":
                return place, how
    fits = _OWN_LEVEL.get(word or "")
    if word == "市" and ctx.own_city is not None:
        # 我市 in a 金华 paper's article that names 兰溪 first: 兰溪市's own news
        return ctx.own_city
    if word == "市" and ctx.county_cities:
        # 我市 in 上虞's own news of 2011, when it was 上虞市, not yet 绍兴's 上虞区
        for place, how in own:
            if place is not None and place.level == "county" and place.code in ctx.county_cities:
                return place, how
    if fits is not None:
        # 我州 in 汶川's news is 阿坝州; 我市 in a 黔东南 paper's `凯里：…` article is 凯里市:
        # the first of the page's places that is, or lies in, a place of that kind
        for place, how in own:
            while place is not None:
                if fits(place):
                    return place, how
                place = _city_place(place) if place.level == "county" else (
                    _province_place(place) if place.level == "city" else None)
    if ctx.region is not None:
        return ctx.region, ctx.region_source
    if ctx.column is not None:
        return ctx.column, ctx.column_source
    if ctx.lead is not None and ctx.lead.place is not None:
        return ctx.lead.place, ctx.lead_source
    return None, "none"


def fallback_place(ctx: ArticleContext):
    """(place, place_source) for a figure whose article names no subject at all."""
    if ctx.column is not None:
        return ctx.column, ctx.column_source
    if ctx.region is not None:
        return ctx.region, ctx.region_source
    return None, "none"


#: what follows a bureau named as an overseer, not as the subject (…市公安局的领导下)
_OVERSEER_AFTER = re.compile(r"[^，,。；;]{0,12}?的?(?:领导|指导|部署|关心|支持|统一指挥)下")
#: a bare agency's first character: it names its level, not its place (市公安局, 县交警大队)
_BARE_LEVELS = "省市县区州盟旗"


def without_overseers(text: str, mentions: list) -> list:
    """The mentions less the bureaus named as those under whose lead the subject worked
    (在区委、区政府和市公安局的正确领导下, 在市公安局的统一部署下): they are thanked, not
    reported on. The list itself comes back when none is (most articles)."""
    drop = [m for m in mentions if m.agency and _OVERSEER_AFTER.match(text, m.end)]
    if not drop:
        return mentions
    ids = {id(m) for m in drop}
    return [m for m in mentions if id(m) not in ids]


def lead_mention(article: Article, mentions: list):
    """The article's own subject: the agency its lead names (本报讯 天台县公安局…), else the
    place in its headline (缙云公安：…) or byline, else a place its lead names; with where it stands (headline or article_lead)."""
    if not article.paragraphs:
        return None, "none"
    s, e = article.paragraphs[0].start, article.paragraphs[0].end
    named = [m for m in mentions if m.place is not None and not is_scope(m)]
    inside = [m for m in named if s <= m.start < e]
    agencies = [m for m in inside if m.agency]
    above = [m for m in named if article.start <= m.start < s]  # headline, byline
    if agencies:
        own = next((m for m in above if m.agency and m.text[:1] not in _BARE_LEVELS), None)
        if own is not None and agencies[0].text[:1] in _BARE_LEVELS:
            # 黄岩区公安分局2009年工作总结 over the lead's bare 市公安局: the headline names
            # its subject by name, the lead only by level
            return own, "headline"
        return agencies[0], "article_lead"
    if above:
        return next((m for m in above if m.agency), above[0]), "headline"
    return (inside[0], "article_lead") if inside else (None, "none")


def agency_spans(ctx: ArticleContext, sent: Sentence) -> list[tuple[int, int]]:
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


def city_then(place, published_on, text: str) -> bool:
    """Was this district still a county-level city when the article was written (上虞市
    until 2013, 富阳市 until 2014: former_county_cities.csv)? Undated, the text says so
    when it calls its place 我市 and never 我区."""
    until = reference.former_county_cities().get(place.code) if place is not None else None
    if until is None:
        return False
    if published_on is not None:
        return published_on.year < until
    return "我市" in text and "我区" not in text


def county_cities(mentions: list) -> set:
    """Codes of the counties this text calls a city: 富阳市 and 临安市 in bulletins from
    before they became districts of 杭州 (the gazetteer knows them as 富阳区, 临安区)."""
    return {m.place.code for m in mentions
            if m.place is not None and m.place.level == "county"
            and (m.text.endswith("市") or m.place.short + "市" in m.text)}


def is_county_city(place, cities: set) -> bool:
    return (place is not None and place.level == "county"
            and (place.name.endswith("市") or place.code in cities))


def outlet_city_mentions(mentions: list, outlet, cities: set | None = None) -> list:
    """In a county-level city's own outlet (建德, 诸暨, 义乌), a bare 市公安局 / 市交警大队
    is that city's bureau, not its prefecture's: the gazetteer's city hint would read it as
    杭州市, the outlet means 建德市. ``cities``: county_cities(mentions), when known. The
    list itself comes back when nothing changes."""
    if not is_county_city(outlet, county_cities(mentions) if cities is None else cities):
        return mentions
    city = outlet.city_code
    return [m._replace(place=outlet) if (m.text[:1] == "市" and (
        m.place is None and m.agency or m.place is not None and m.place.level == "city" and m.place.code == city))
            else m for m in mentions]


def home_mentions(mentions: list, home) -> list:
    """In the news of a Zhejiang outlet or column, a bare short name of another province
    standing alone (河庄、新湾、临江3座消防站: 临江 is also a city of Jilin) is far more
    likely a local street or word than that place: only a full name, a qualifier or an
    agency word brings another province in."""
    if home is None or home.province != "浙江省":
        return mentions
    kept = [m for m in mentions
            if not (m.place is not None and m.kind == "place" and m.place.province != "浙江省"
                    and m.text == m.place.short)]
    return mentions if len(kept) == len(mentions) else kept  # the list itself: nothing dropped


_HEAD_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:]\S")


def headline_place(title: str | None):
    """The place a headline opens with (`海盐：上半年刑事警情下降25.6%`, `缙云公安：…`): the
    article's own, like a column label over it. Read as an outlet's name is (places.
    from_publisher): a Zhejiang name that is also a word (海盐) counts here, a word that
    names a place elsewhere (平安) does not, and a prefix that is no place (提醒：) names none."""
    m = _HEAD_PREFIX.match(title or "")
    return places.from_publisher(m.group(1)) if m else None


def _words(name: str) -> list[str]:
    with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as f:
        return sorted({r["word"].strip() for r in csv.DictReader(f) if (r.get("word") or "").strip()},
                      key=len, reverse=True)


@lru_cache(maxsize=1)
def _scene_re() -> re.Pattern | None:
    words = _words("scene_words.csv")
    # the word, then any earlier items of the list the place ends (支援茂县、|理县)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")(?:[\u4e00-\u9fff]{2,8}[、和及与]){0,5}$") if words else None


@lru_cache(maxsize=1)
def _event_re() -> re.Pattern | None:
    words = _words("event_words.csv")
    return re.compile("|".join(map(re.escape, words))) if words else None


def scene_mentions(text: str, mentions: list) -> set[int]:
    """Places named as where something happened or someone went (流窜山东、河北、河南三省
    作案, 远赴云南抓获…, 支援都江堰、彭州: scene_words.csv), with the rest of their list, and
    places that name an event held there (北京奥运会, G20杭州峰会: event_words.csv): the
    scene of a story, not the subject a figure belongs to. Returns the ids of those mentions."""
    rx, event = _scene_re(), _event_re()
    out: set[int] = set()
    prev = None
    for m in mentions:
        if m.agency is None and m.place is not None:
            if (rx is not None and rx.search(text, max(0, m.start - 48), m.start)) or (
                    event is not None and event.match(text, m.end)) or (
                    prev is not None and id(prev) in out and text[prev.end:m.start] in ("、", "和", "及", "与")):
                out.add(id(m))
        prev = m
    return out
