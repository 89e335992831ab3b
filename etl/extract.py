"""Document -> articles and figure records with place, metric, initiative and period.

The pieces each know one thing: etl.segment (articles, sentences), etl.figures (numbers,
units, qualifiers, measure), etl.places (mentions in the gazetteer), and one module per
decision with its evidence: etl.place_of (which place a figure belongs to), etl.metric_of
(which metric), etl.period_of (which period), etl.initiative_of (which initiative),
etl.incidental (what is one case's detail, not a result). This module walks the page in
reading order and joins their answers into the figure record of DESIGN.md.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from etl import places, reference
from etl.field_of import field_of_text, names_a_field, shared_words_re, subject_field, team_field
from etl.figures import candidate_starts, find_figures
from etl.incidental import incidental, tells_a_story
from etl.initiative_of import INITIATIVE_CACHE, initiative_for, mechanism_at, mechanisms
from etl.manifest import Meta
from etl.metric_of import AGENCY_FIELD, NEEDS_FOLD, RIGHT_STOP, SentenceTriggers, metric_for, paired_change
from etl.numbers import as_number, fold
from etl.period_kind import period_kind
from etl.period_of import PERIOD_CACHE, PERIOD_HINT, PERIOD_RE, opening_period, period_dates, period_for
from etl.place_of import (ArticleContext, agency_spans, without_overseers, city_then, county_cities, headline_place, home_mentions, is_county_city, is_scope, lead_mention, listed_places,
                          names_subject, outlet_city_mentions, place_fields, place_for, scene_mentions)
from etl.readers import Document
from etl.segment import Line, Paragraph, segment

#: bump when extraction changes: ingest re-reads every file under a new version
EXTRACTOR_VERSION = "2026.12.11-1"

FIGURE_FIELDS = ["source", "article", "start", "end", "sentence", "raw", "value", "unit",
                 "qualifier", "measure", "direction", "metric", "category", "county_code",
                 "county", "city", "province", "agency", "initiative", "mechanism", "period",
                 "figure_id", "place_source", "metric_source"]




@dataclass
class Extraction:
    bulletin: dict                 # bulletins row minus size/mtime/run_id (see schema.sql)
    articles: list[dict] = field(default_factory=list)   # articles rows
    figures: list[dict] = field(default_factory=list)    # figures rows (the full record)




def _figure_ids(bulletin_id: str):
    """figure_id(start, raw) for the figures of one bulletin: the first 16 hex digits of
    sha1("{bulletin_id}|{start}|{raw}"). The bulletin's part is hashed once and the hash
    copied for each figure, which costs less than starting one each time."""
    base = hashlib.sha1(f"{bulletin_id}|".encode())

    def figure_id(start: int, raw: str) -> str:
        h = base.copy()
        h.update(f"{start}|{raw}".encode())
        return h.hexdigest()[:16]
    return figure_id


def extract_text(text: str, source: str, bulletin_id: str, meta: Meta | None = None) -> tuple[list[dict], list[dict]]:
    """(articles rows, figure rows) for one decoded text."""
    meta = meta or Meta()
    PERIOD_CACHE.clear()
    INITIATIVE_CACHE.clear()
    region_place = _region_place(meta.region)
    region_source = "manifest"
    outlet = places.from_publisher(meta.publisher) if meta.publisher else None
    if region_place is None and outlet is not None:
        # 德清新闻网, 诸暨日报: with no region given, the outlet's own name says whose news it is
        region_place, region_source = outlet, "outlet"
    elif _narrows(outlet, region_place):
        # 永康日报 filed under 金华: the outlet's own county is the more specific of the two
        region_place, region_source = outlet, "outlet"
    articles = segment(text)
    figure_id = _figure_ids(bulletin_id)
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
        column_source = "column"
        if column is None:
            column, column_source = headline_place(art.title), "headline"  # 海盐：上半年…
        # the most specific place the page gives: a county outlet's 县公安局 is that county
        hint = next((p.code for p in (column, region_place) if p is not None and p.code), None)
        # only the articles that hold a figure are swept for places
        scanned = without_overseers(text, places.scan(text, hint, art.start, art.end))
        own = column or region_place
        cities = county_cities(scanned)
        if region_place is not None and region_place.level == "county" and city_then(
                region_place, meta.published_on, text[art.start:art.end]):
            cities = cities | {region_place.code}
        mentions = home_mentions(outlet_city_mentions(scanned, own, cities), own)
        scenes = scene_mentions(text, mentions)  # 流窜山东、河北, 北京奥运会: where, not who
        # a place standing right before a number (越城区18起) is an item of a breakdown,
        # not the article's subject
        lead, lead_source = lead_mention(art, [m for m in mentions if id(m) not in scenes and (
            m.agency is not None or not _ITEM_AFTER.match(text, m.end))])
        subject = _first_named(art, mentions, scenes)
        own_city = None
        if subject is not None and (own is None or _narrows(subject.place, own)):
            # 通讯员 仁怀市公安局 in a 遵义 paper, 临安市政府 in a 杭州 one: the article is a
            # county-level city's own news, and its bare 市公安局 / 全市 are that city's
            remapped = outlet_city_mentions(mentions, subject.place)
            if remapped is not mentions:
                mentions = remapped
                scenes = scene_mentions(text, mentions)
            if own is not None and is_county_city(subject.place, cities):
                # ... and so is its 我市 (兰溪… in a 金华 paper: 今年以来，我市…)
                own_city = (subject.place, "headline" if art.paragraphs and subject.start < art.paragraphs[0].start
                            else "article_lead")
        ctx = ArticleContext(art, mentions, lead, column, region_place, hint)
        ctx.lead_source = lead_source
        # (the outlet's own place, when it was still a county-level city, stays one)
        ctx.county_cities = cities if mentions is scanned else county_cities(mentions) | (
            cities & {region_place.code} if region_place is not None else set())
        ctx.own_city = own_city
        ctx.region_source = region_source
        ctx.column_source = column_source
        ctx.mention_starts = [m.start for m in mentions]
        ctx.named = [m for m in mentions if m.place is not None and not is_scope(m) and id(m) not in scenes]
        ctx.named_starts = [m.start for m in ctx.named]
        # back-references (该局) point at the last bureau named, placed or not (西湖区公安局)
        ctx.agencies = [m for m in mentions if m.agency and names_subject(m)]
        ctx.agency_starts = [m.start for m in ctx.agencies]
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
                        if PERIOD_HINT.search(entry.text) and PERIOD_RE.search(entry.text):
                            for s in reversed(entry.sentences):
                                found = opening_period(s.text)
                                if found:
                                    break
                    else:
                        found = opening_period(entry.text)
                    if found:
                        carried[si] = found
                        break
                entries.clear()
            return carried.get(si)

        headline_memo: list = []  # the field the headline names: worked out once, when needed
        initiatives_seen: dict = {}  # the same for every figure of a sentence
        section_text: dict[int, str] = {}
        for para in art.paragraphs:
            if para.section_index not in section_text:  # (setdefault would join every time)
                section_text[para.section_index] = (para.section or "") + para.text
        reading = list(art.paragraphs)
        heads = []
        for span in (art.title_span, art.subtitle_span):
            if span is not None:
                # a headline's figure is a report too (义乌34人醉驾被查): read it like a
                # paragraph of its own that carries no period to the body
                heads.append(Paragraph([Line(span[0], span[1], text[span[0]:span[1]])], None, -1))
        reading[:0] = heads
        for j, (hs, he, htext) in enumerate(art.headings):
            kh = bisect_left(candidates, hs)
            if kh < len(candidates) and candidates[kh] < he:
                # a heading that states a figure (a post's 数说 block: 接警 6.3万 起 | 日均
                # 173 起) is a report too: read as a paragraph of the section it opens
                reading.append(Paragraph([Line(hs, he, htext)], htext, j + 1))
        if len(reading) > len(art.paragraphs) + len(heads):
            reading.sort(key=lambda p: p.start)
        # unit -> the metric the article last counted in it, headline included (今年我市110
        # 接警量首破30万起 / 日均超过820起), and the sentence read last (…骚扰电话占线。去年共
        # 接到此类电话8600余个)
        last_counted: dict[str, reference.Metric] = {}
        prev_sent = None
        head_ids = {id(h) for h in heads}
        for para in reading:
            is_head = id(para) in head_ids
            counted: dict[str, reference.Metric] = {}  # unit -> the paragraph's last metric counted in it
            para_start = para.start
            k = bisect_left(candidates, para.start)
            pending = unsettled.setdefault(para.section_index, [])
            if k == len(candidates) or candidates[k] >= para.end:
                pending.append(para)  # no figure: only a period it opens may be needed
                prev_sent = para  # (its last sentence is worked out only when needed)
                continue
            story = None  # is this paragraph one case's story? decided once, when needed
            for sent in para.sentences:
                st = sent.text
                k = bisect_left(candidates, sent.start)
                if k == len(candidates) or candidates[k] >= sent.end:
                    figs = []  # no unit-bearing number anywhere in it: nothing to look at
                else:
                    fst = fold(st) if NEEDS_FOLD.search(st) else st
                    figs = find_figures(st, 0, len(st), fst)
                listed = listed_places(ctx, sent, st, figs)
                trig = mechs = None
                shared_in_sentence = None
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
                        place_source = "clause" if place is not None else "none"
                    else:
                        place, agency, place_source = place_for(ctx, sent, para_start, s_abs, st, f.start)
                    hi = f.num_start if not f.group_index else f.start
                    # another clause, another subject
                    lo = max(fst.rfind("；", 0, hi), fst.rfind(";", 0, hi)) + 1
                    stop = RIGHT_STOP.search(fst, f.end, f.end + 14)
                    right_hi = min(stop.start() if stop else min(len(fst), f.end + 14), f.end + 12)
                    if trig is None:
                        trig = SentenceTriggers(fst, agency_spans(ctx, sent))
                    agency_field = AGENCY_FIELD.get(places.agency_kind(agency))
                    subject = None
                    if shared_in_sentence is None:
                        shared_rx = shared_words_re()
                        shared_in_sentence = bool(shared_rx and shared_rx.search(fst))
                    if shared_in_sentence:
                        # 该队…巡查300余次, a 反诈周报's 鳌江镇发案6起: words several fields
                        # use take the field of the figure's subject
                        subject = subject_field(fst, hi, agency_field,
                                                lambda: team_field(text[art.start:sent.start]),
                                                lambda: _memo(headline_memo, _headline_field, text, art),
                                                lambda: _field_of_sentence(prev_sent))
                    metric, metric_source = metric_for(f, trig, lo, hi, right_hi, agency_field, subject)
                    paired = paired_change(f, figs, metric_of, metric)
                    if paired is not metric:
                        metric, metric_source = paired, "paired_list"
                    elif metric_source == "none" and f.unit in counted and _place_item(ctx, text, s_abs):
                        # 共接报电诈警情96起…越城区18起、柯桥区21起: a place's share of the
                        # count before it, with no word of its own, counts the same thing
                        metric, metric_source = counted[f.unit], "paired_list"
                    elif metric_source == "none":
                        metric, metric_source = _said_before(f, fst, lo, hi, right_hi, prev_sent,
                                                             last_counted, metric)
                    if metric_source != "none" and f.measure == "count":
                        counted[f.unit] = last_counted[f.unit] = metric
                    metric_of[id(f)] = metric
                    if story is None:
                        # the byline's own names (记者 王某) are not a story's people
                        story = tells_a_story(para.text)
                    if story and is_head:
                        break  # 男子酒驾撞伤2人被刑拘: a case's headline states no result
                    if incidental(metric, f, st, story):
                        continue
                    period = period_for(st, f.start)
                    if period is None and f.measure not in ("years", "duration"):
                        period = carried_period(para.section_index)
                    key = (id(sent), para.section_index)
                    if key not in initiatives_seen:
                        initiatives_seen[key] = initiative_for(st, section_text.get(para.section_index, ""), head)
                    initiative = initiatives_seen[key]
                    if mechs is None:
                        mechs = mechanisms(st)
                    row = {
                        "source": source, "article": art.index, "start": s_abs, "end": e_abs,
                        "sentence": st, "raw": raw, "value": as_number(f.value), "unit": f.unit,
                        "qualifier": f.qualifier, "measure": f.measure, "direction": f.direction,
                        "metric": metric.code, "category": metric.category, "metric_source": metric_source,
                        **place_fields(place, agency), "place_source": place_source,
                        "initiative": initiative, "mechanism": mechanism_at(mechs, f.start),
                        "period": period, "figure_id": figure_id(s_abs, raw),
                        "bulletin_id": bulletin_id,
                    }
                    if is_head:
                        row["_headline"] = True
                    fig_rows.append(row)
                pending.append(sent)
                prev_sent = sent
        if heads:
            _join_headline(fig_rows, n_before)
        art_rows.append({"bulletin_id": bulletin_id, "article": art.index, "title": art.title,
                         "byline": art.byline, "region": art.region, "start": art.start,
                         "end": art.end, "n_figures": len(fig_rows) - n_before})
    return art_rows, fig_rows


def _first_named(art, mentions: list, scenes: set):
    """The first place the headline, byline or lead names by its own name (not a bare 市公安局,
    not 全市, not a scene): whose news the article is."""
    end = art.paragraphs[0].end if art.paragraphs else art.end
    for m in mentions:
        if m.start >= end:
            break
        if m.place is not None and id(m) not in scenes and not is_scope(m) and m.text[:1] not in "省市县区州盟旗":
            return m
    return None


#: a figure's clause pointing back at what was just said (此类电话, 上述案件)
_SAID_BEFORE = re.compile(r"此类|这类|该类|此种|这种|上述|这些")
#: a figure's clause saying it is per day (日均超过820起)
_PER_DAY = re.compile(r"日均|平均每天|平均每日|每天平均|每日平均")


def _said_before(f, fst: str, lo: int, hi: int, right_hi: int, prev_sent, last_counted: dict, metric):
    """(metric, metric_source) for a figure whose own words name nothing: 此类电话8600余个
    counts what the sentence before named (骚扰电话), 日均超过820起 under a headline's
    110接警量首破30万起 counts what the article last counted in that unit."""
    if prev_sent is not None and _SAID_BEFORE.search(fst, lo, hi):
        if isinstance(prev_sent, Paragraph):  # a paragraph with no figure: its last sentence
            prev_sent = prev_sent.sentences[-1] if prev_sent.sentences else Line(0, 0, "")
        before = fold(prev_sent.text)
        off = len(before)
        moved = dataclasses.replace(f, start=f.start + off, end=f.end + off, num_start=f.num_start + off)
        got, how = metric_for(moved, SentenceTriggers(before + fst), 0, hi + off, right_hi + off)
        if how != "none":
            return got, how
    if f.unit in last_counted and f.measure == "count" and _PER_DAY.search(fst, lo, hi):
        return last_counted[f.unit], "paired_list"
    return metric, "none"


def _memo(box: list, fn, *args):
    """fn(*args), worked out on the first call only (box keeps it)."""
    if not box:
        box.append(fn(*args))
    return box[0]


def _field_of_sentence(sent) -> str | None:
    """The one field a sentence names (a paragraph with no figure: its last sentence)."""
    if isinstance(sent, Paragraph):
        sent = sent.sentences[-1] if sent.sentences else None
    return field_of_text(fold(sent.text)) if sent is not None else None


def _headline_field(text: str, art) -> str | None:
    """The one field the article's headline names; with no headline, or one that names no
    field at all (平安瑞安｜“空中警察”这一年), its opening paragraph's."""
    heading = fold(" ".join(text[sp[0]:sp[1]] for sp in (art.title_span, art.subtitle_span) if sp))
    if art.paragraphs and (not heading or not names_a_field(heading)):
        heading = fold(art.paragraphs[0].text)
    return field_of_text(heading)


def _narrows(inner, outer) -> bool:
    """Is ``inner`` a place lying within the city or province ``outer``?"""
    if inner is None or outer is None or inner.level == "province" or outer.level == "county":
        return False
    if outer.level == "city":
        return inner.level == "county" and inner.city_code == outer.code
    return inner.province == outer.name


def _region_place(region: str | None):
    """The manifest's region: the staff who wrote the manifest work in Zhejiang, so a name
    two provinces share (象山, 普陀) is read as the Zhejiang one."""
    if not region:
        return None
    return places.resolve(region) or (places.resolve("浙江" + region)
                                       if not region.startswith("浙江") else None)


_ITEM_AFTER = re.compile(r"[：: ]?[\d０-９](?![\d０-９]{3}年)")


def _place_item(ctx: ArticleContext, text: str, at: int) -> bool:
    """Does a place name stand right before the figure at ``at`` (越城区18起, 婺城：46起)?"""
    k = bisect_left(ctx.named_starts, at)
    if not k:
        return False
    m = ctx.named[k - 1]
    return at - m.end <= 1 and text[m.end:at] in ("", "：", ":", " ")


def _join_headline(rows: list[dict], first: int) -> None:
    """A headline figure the body states again (抓获嫌犯1179人 … 今年以来共抓获犯罪嫌疑人
    1179人) takes the body's period and metric, which its sentence has room to say, so
    that the deduplicated facts see one figure with two sources."""
    body = [r for r in rows[first:] if not r.get("_headline")]
    for r in rows[first:]:
        if not r.pop("_headline", False):
            continue
        twin = next((b for b in body if b["value"] == r["value"] and b["unit"] == r["unit"]
                     and b["measure"] == r["measure"] and b["direction"] == r["direction"]), None)
        if twin is None:
            continue
        r["period"] = twin["period"]
        if r["metric"] != twin["metric"] and r["metric_source"] != "paired_list":
            r["metric"], r["category"] = twin["metric"], twin["category"]
            r["metric_source"] = twin["metric_source"]
        if r["place_source"] != "clause" and twin["place_source"] != "none":
            for k in ("county_code", "county", "city_code", "city", "province", "agency",
                      "place_level", "place_source"):
                r[k] = twin[k]


def extract_document(doc: Document, meta: Meta | None = None) -> Extraction:
    if meta is None:
        try:
            from etl.dates import resolve_meta
            meta = resolve_meta(doc.path, doc.text, None)
        except Exception:  # dates are optional for a bare extract
            meta = Meta()
    art_rows, fig_rows = extract_text(doc.text, doc.path, doc.bulletin_id, meta)
    start_end = period_dates(meta)
    for r in fig_rows:
        r["published_on"] = meta.published_on
        r["synthetic"] = bool(meta.synthetic)
        r["period_start"], r["period_end"] = start_end(r["period"])
        r["period_kind"] = period_kind(r["period"])
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


def record(row: dict) -> dict:
    """The figure record of DESIGN.md, in its field order (what `extract` prints)."""
    return {k: row.get(k) for k in FIGURE_FIELDS}
