"""PowerPoint pack: native charts staff can restyle, and a citation behind every number.

Charts are python-pptx chart parts (editable in PowerPoint, no browser needed), not
pictures. Every text run names a Latin and an East-Asian typeface, because a run without
`a:ea` falls back to the theme's East-Asian font, which a machine outside China often
lacks, and the slide then shows boxes.
"""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard import comparable
from dashboard.briefing import labels as L
from dashboard.briefing.collect import Pack

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
TABLE_ROWS = 10          # county comparison rows per slide
APPENDIX_ROWS = 6        # citations per appendix slide (sentences are long)
SENTENCE_CHARS = 110     # longer sentences are shortened on the slide, kept whole in notes


# ------------------------------------------------------------------ fonts

def _set_fonts(rpr, font: str = L.CJK_FONT) -> None:
    """latin, ea and cs typefaces on one run-properties element, in schema order."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    # children that must come after the font elements
    after = {qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")}
    anchor = next((c for c in rpr if c.tag in after), None)
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", font)
        if anchor is not None:
            anchor.addprevious(el)


def _fix_fonts(root) -> None:
    """Every run (and paragraph end, and chart default) in one XML tree gets the CJK font."""
    for r in root.iter(qn("a:r"), qn("a:fld")):
        if r.find(qn("a:rPr")) is None:
            r.insert(0, etree.Element(qn("a:rPr"), lang="zh-CN"))
    for el in root.iter(qn("a:rPr"), qn("a:endParaRPr"), qn("a:defRPr")):
        _set_fonts(el)


def _apply_fonts(prs) -> None:
    for slide in prs.slides:
        _fix_fonts(slide._element)
        for shape in slide.shapes:
            if shape.has_chart:
                _fix_fonts(shape.chart._chartSpace)
        if slide.has_notes_slide:
            _fix_fonts(slide.notes_slide._element)


# ------------------------------------------------------------------ building blocks

def _text(slide, x, y, w, h, text, size=14, bold=False, color=None, align=None):
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    lines = text if isinstance(text, list) else [text]
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = color
        if align is not None:
            p.alignment = align
    return box


def _slide(prs, title: str, pack: Pack, notes: list[str] | None = None):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: we place everything
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.8), title, 26, True, ACCENT)
    footer = f"{pack.scope} · {pack.period}"
    if pack.has_synthetic:
        footer += "    " + pack.t("demo_note")
    _text(slide, MARGIN, HEIGHT - Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.35), footer, 10, color=GREY)
    if notes:
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    return slide


def _table(slide, header: list[str], rows: list[list[str]], x, y, w, widths: list[float],
           size=12, row_h=Inches(0.4), tight: bool = False):
    shape = slide.shapes.add_table(len(rows) + 1, len(header), x, y, w, row_h * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for i, frac in enumerate(widths):
        table.columns[i].width = Emu(int(w * frac / total))
    for r, values in enumerate([header] + rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            if tight:      # a dense grid: small margins, so a row is as high as it was planned
                cell.margin_top = cell.margin_bottom = Inches(0.02)
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
    return table


def _note_line(pack: Pack, row) -> str:
    """A speaker-note line for one cited figure; a reviewer's correction says who, when, why."""
    fixed = pack.correction_text(row)
    from dashboard import i18n
    return (f"{pack.source_text(row)}{pack.t(':')}{i18n.place(row['place_name'], pack.lang)} {pack.metric_name(row)} "
            f"{pack.value_text(row)} —— {row['sentence']}" + (f"（{fixed}）" if fixed else ""))


def _short(sentence: str) -> str:
    return sentence if len(sentence) <= SENTENCE_CHARS else sentence[:SENTENCE_CHARS] + "…"


# ------------------------------------------------------------------ slides

def _chart_scale(top: float, unit: str | None, lang: str = "zh") -> tuple[float, str]:
    """One divisor for a whole chart so bars stay comparable: money in 万元/亿元 for a Chinese
    reader, in million/billion yuan for an English one ("10k yuan" is no English unit)."""
    if unit == "元" and lang == "en":
        if top >= 1e9:
            return 1e9, "billion yuan"
        if top >= 1e6:
            return 1e6, "million yuan"
        return 1.0, "yuan"
    if unit == "元" and top >= 1e8:
        return 1e8, "亿元"
    if unit == "元" and top >= 1e4:
        return 1e4, "万元"
    return 1.0, unit or ""


SCORE_ROWS = 20          # counties per scorecard slide (rows end above the footer)
SOURCES_PER_COLUMN = 26  # appendix: two columns of bulletins per slide
#: room beyond a rate's longest bar for its label (a fraction of the axis): 0..125%, not 0..150%
RATE_ROOM = 0.2
BARS_PER_CHART = 18      # more counties than this: two charts side by side (names stay 10 pt)


def _title_slide(prs, pack: Pack):
    from etl import counts
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.2), pack.t("title"), 44, True, ACCENT,
          PP_ALIGN.CENTER)
    c = pack.t(":")
    lines = [f"{pack.t('scope')}{c}{pack.scope}", f"{pack.t('period')}{c}{pack.period}",
             f"{pack.t('generated')}{c}{pack.generated.isoformat()}"]
    cnt = pack.counts or {}
    # 通报 401 · 区县 46, but 401 bulletins · 46 counties: English puts the number first
    lines.append(" · ".join((f"{cnt.get(k, 0):,} {counts.label(k, 'en')}" if pack.lang == "en"
                             else f"{counts.label(k, 'zh')} {cnt.get(k, 0)}") for k in ("bulletins", "counties")))
    if pack.has_synthetic:
        lines.append(pack.t("demo_note"))
    _text(slide, MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(2.4), lines, 20, color=GREY, align=PP_ALIGN.CENTER)


def _summary_slide(prs, pack: Pack):
    """One row per key metric: the area's figure, how many counties report it and which way
    they moved, best and worst with their periods. A table reads across a meeting room; a
    run of sentences with note numbers does not. The sources are in the speaker notes."""
    from dashboard.briefing import narrative
    keys = [k for k in pack.key_metrics if len(k.rows) or len(k.wider)]
    shown = [r for k in keys for r in ([k.rows.iloc[0]] if len(k.rows) else [])
             + ([k.rows.iloc[-1]] if len(k.rows) > 1 else [])] + [w for k in keys for _, w in k.wider.iterrows()]
    ids = {r["figure_id"] for r in shown}
    notes = [pack.t("notes_sources")] + [_note_line(pack, r) for _, r in pack.cited.iterrows() if r["figure_id"] in ids]
    slide = _slide(prs, pack.t("summary"), pack, notes)
    if not keys:
        _text(slide, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(1), pack.t("no_figures"), 16)
        return
    header = [pack.t("metric"), pack.t("area_figure"), pack.t("reporting"), pack.t("best"), pack.t("worst")]
    rows = [narrative.summary_row(pack, k) for k in keys]
    # English runs a third longer than Chinese: a smaller type keeps eight rows above the note
    size = 12 if len(rows) <= 6 else (11 if pack.lang != "en" else 10)
    _table(slide, header, rows, MARGIN, Inches(1.15), WIDTH - 2 * MARGIN, [1.4, 1.8, 2.4, 1.9, 1.9],
           size=size, row_h=Inches(0.56))
    _text(slide, MARGIN, HEIGHT - Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.45), pack.t("latest_note"), 11,
          color=GREY)


def _legend(slide, pack: Pack, k, unit: str, x, y, w):
    """The unit of every bar, what the colours mean (coloured squares) and which end is good;
    on a chart with a corrected value, what its ✎ and outline mean."""
    from dashboard import charts, i18n
    if k.higher_is_better is None:
        items = [("neutral", pack.t("legend_none"))]
    elif k.measure == "change":
        items = [("good", pack.t("legend_good_change")), ("bad", pack.t("legend_bad_change"))]
    else:
        items = [("good", pack.t("legend_good")), ("middle", pack.t("legend_middle")),
                 ("bad", pack.t("legend_bad"))]
    box = slide.shapes.add_textbox(x, y, w, Inches(0.35))
    p = box.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    if unit:
        run = p.add_run()
        run.text = f"{pack.t('unit')}{pack.t(':')}{unit}    "
        run.font.size = Pt(11)
        run.font.bold = True
        run.font.color.rgb = GREY
    for tier, label in items:
        square = p.add_run()
        square.text = "■ "
        square.font.size = Pt(12)
        square.font.color.rgb = RGBColor.from_string(charts.TIER_COLORS[tier].lstrip("#"))
        run = p.add_run()
        run.text = label + "    "
        run.font.size = Pt(11)
        run.font.color.rgb = GREY
    if k.higher_is_better is not None:
        run = p.add_run()
        run.text = pack.t("best_on_top")
        run.font.size = Pt(11)
        run.font.color.rgb = GREY
    if any(charts.is_corrected(r) for _, r in k.rows.iterrows()):
        # as the dashboard's legend: what ✎ and the dark outline on a bar mean
        run = p.add_run()
        run.text = "    " + i18n.t("corrected_legend_pack", pack.lang)
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor.from_string(charts.CORRECTED_LINE.lstrip("#"))


def _axis_range(values: list[float], room: float = 0.3) -> tuple[float, float, float]:
    """Value-axis limits and step, on round numbers, with room for the labels at the bars'
    ends: a label outside a long bar never runs into the county names (a fall's bar runs
    left, towards them). A bar starts at zero, always: a bar's length is its value, so an axis
    from 95% would draw 96% as twice 95.5%. A rate (满意率 95.5%–99.8%) gets less room beyond
    its longest bar (`room` 0.2), so its axis stops at 125%, not 150%; its bars look alike
    because its values are alike, and the labels give the differences."""
    import math
    lo, hi = min([0.0] + values), max([0.0] + values)
    span = (hi - lo) or 1.0
    lo, hi = (lo - room * span if lo < 0 else 0.0), (hi + room * span if hi > 0 else 0.0)
    raw = (hi - lo) / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _bar_chart(slide, pack: Pack, k, rows, x, y, w, h, divisor: float = 1.0, scale=None):
    """Horizontal bars, best on top, every county named beside its bar. `scale` (min, max):
    the two halves of a long ranking share one axis, so equal bars mean equal numbers."""
    from dashboard import charts, i18n, keymetrics
    data = CategoryChartData(number_format="General")
    data.categories = [i18n.place(p, pack.lang) for p in rows["place_name"]]
    data.add_series(k.name, [round(float(v) / divisor, 4) for v in rows["signed"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, x, y, w, h, data).chart
    chart.has_legend = False
    chart.has_title = False
    size = 11 if len(rows) <= 15 else (10 if len(rows) <= 22 else 9)
    chart.font.size = Pt(size)
    chart.category_axis.reverse_order = True          # best on top
    chart.category_axis.tick_labels.font.size = Pt(size)
    from pptx.enum.chart import XL_TICK_LABEL_POSITION
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW   # names beside the bars, left
    _every_label(chart.category_axis._element)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.tick_labels.font.size = Pt(9)
    if scale is not None:
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale, chart.value_axis.major_unit = scale
    plot = chart.plots[0]
    plot.gap_width = 40
    series = plot.series[0]
    if k.measure == "change":
        tiers = ["neutral" if g is None else ("good" if g else "bad")
                 for g in (keymetrics.is_good(k.metric, d) for d in rows["direction"])]
    else:
        tiers = charts.tiers([float(v) for v in rows["signed"]], k.higher_is_better)
    for i, ((_, r), tier) in enumerate(zip(rows.iterrows(), tiers)):
        pt = series.points[i]
        pt.format.fill.solid()
        pt.format.fill.fore_color.rgb = RGBColor.from_string(charts.TIER_COLORS[tier].lstrip("#"))
        fixed = charts.is_corrected(r)
        if fixed:  # a reviewer's value, not the bulletin's: ✎ on its label and a dark outline
            pt.format.line.color.rgb = RGBColor.from_string(charts.CORRECTED_LINE.lstrip("#"))
            pt.format.line.width = Pt(2.25)
        label = pt.data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        tf = label.text_frame
        tf.text = charts.short_text(r, pack.lang) + (f" {charts.CORRECTED_MARK}" if fixed else "")
        for run in tf.paragraphs[0].runs:
            run.font.size = Pt(size - 1)


def _every_label(cat_ax) -> None:
    """<c:tickLblSkip val="1"/>: every county named; without it a viewer may print every
    second name of a 22-bar chart (LibreOffice did) and leave the reader to guess the rest."""
    for old in cat_ax.findall(qn("c:tickLblSkip")):
        cat_ax.remove(old)
    skip = etree.Element(qn("c:tickLblSkip"))
    skip.set("val", "1")
    after = {qn(t) for t in ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")}
    anchor = next((c for c in cat_ax if c.tag in after), None)
    if anchor is not None:
        anchor.addprevious(skip)
    else:
        cat_ax.append(skip)


def _metric_slide(prs, pack: Pack, k):
    from dashboard.briefing import narrative
    rows = k.rows
    notes = [k.note(pack.lang), pack.t("notes_sources")] + [_note_line(pack, r) for _, r in rows.iterrows()]
    if k.others is not None and len(k.others):   # listed, never ranked (dashboard.comparable)
        notes += [comparable.words(pack.lang)["others_title"] + pack.t(":")] + [_note_line(pack, r) for _, r in k.others.iterrows()]
    values = [float(v) for v in rows["signed"]]
    divisor, unit = _chart_scale(max([abs(v) for v in values] or [0]), k.unit, pack.lang)
    if unit not in ("万元", "亿元", "million yuan", "billion yuan", "yuan"):
        unit = L.unit_label(unit, pack.lang)
    slide = _slide(prs, k.name, pack, notes)
    _text(slide, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.7), narrative.conclusion(pack, k) or "", 12,
          color=GREY)
    _legend(slide, pack, k, unit, MARGIN, Inches(1.6), WIDTH - 2 * MARGIN)
    top, height = Inches(1.95), HEIGHT - Inches(2.5)
    scale = _axis_range([v / divisor for v in values], room=RATE_ROOM if k.measure == "rate" else 0.3)
    if len(rows) <= BARS_PER_CHART:
        _bar_chart(slide, pack, k, rows, MARGIN, top, WIDTH - 2 * MARGIN, height, divisor, scale)
    else:
        half = (len(rows) + 1) // 2
        w = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
        _bar_chart(slide, pack, k, rows.iloc[:half], MARGIN, top, int(w), height, divisor, scale)
        _bar_chart(slide, pack, k, rows.iloc[half:], int(MARGIN + w + Inches(0.3)), top, int(w), height,
                   divisor, scale)


def _scorecard_slides(prs, pack: Pack):
    from dashboard import i18n
    keys = pack.key_metrics
    if not keys or not pack.counties:
        return
    cells, other = {}, set()
    for k in keys:
        for _, r in k.rows.iterrows():
            cells[(r["place_name"], k.metric, k.measure)] = r
        for _, r in (k.others if k.others is not None else k.rows.head(0)).iterrows():
            other.add((r["place_name"], k.metric, k.measure))
    # short headers, as on the counties page (metric_priority.csv); full names in the notes
    names = {k.metric: k.name for k in keys}
    header = [pack.t("place")] + [_short_header(k, pack.lang) for k in keys]
    body = []
    for place in pack.counties:
        line = [i18n.place(place, pack.lang)]
        for k in keys:
            r = cells.get((place, k.metric, k.measure))
            if r is None:   # a report of another period is marked, as on the page, not compared
                line.append(comparable.words(pack.lang)["other_cell"] if (place, k.metric, k.measure) in other else "—")
            else:
                line.append(pack.value_text(r))
        body.append(line)
    import math
    per = math.ceil(len(body) / math.ceil(len(body) / SCORE_ROWS)) if body else SCORE_ROWS   # pages of even length
    pages = [body[i:i + per] for i in range(0, len(body), per)]
    for n, page in enumerate(pages, 1):
        title = pack.t("scorecard") + (L.paren(pack.lang, f"{n}/{len(pages)}") if len(pages) > 1 else "")
        slide = _slide(prs, title, pack, [pack.t("latest_note")] + [
            f"{_short_header(k, pack.lang)} = {names[k.metric]}{pack.t(':')}{k.note(pack.lang)}" for k in keys])
        _table(slide, header, page, MARGIN, Inches(1.1), WIDTH - 2 * MARGIN,
               [1.3] + [1.0] * len(keys), size=9, row_h=Inches(0.26), tight=True)


def _short_header(k, lang: str) -> str:
    """The counties page's header of the same column (dashboard.scorecard): 电诈案件增减%,
    Recovered (¥m); the full name and compared period are in the slide's notes."""
    from dashboard import scorecard
    base = k.rows.iloc[0] if len(k.rows) else (k.others.iloc[0] if k.others is not None and len(k.others) else None)
    full = (base.get("name_en") if lang == "en" else base.get("name_zh")) if base is not None else None
    return scorecard.header(k.metric, k.measure, k.unit, full if isinstance(full, str) and full else k.name, lang)


def _changes_slide(prs, pack: Pack):
    from dashboard import cards, i18n
    ch = pack.changes
    if ch.empty:
        return
    cmp = pack.changes_compared
    compared = cmp.note(pack.lang) if cmp is not None else ""
    notes = [pack.t("change_note"), compared, pack.t("notes_sources")] + [_note_line(pack, r) for _, r in ch.iterrows()]
    title = pack.t("changes") + (L.paren(pack.lang, cmp.label(pack.lang)) if cmp is not None and cmp.key else "")
    slide = _slide(prs, title, pack, notes)
    header = [pack.t("place"), pack.t("metric"), pack.t("change"), pack.t("period_col"), pack.t("date")]
    rows = [[i18n.place(r["place_name"], pack.lang), pack.metric_name(r), cards.change_text(r, pack.lang),
             i18n.period(r["period"], pack.lang) or "—", L.fmt_date(r["published_on"], pack.lang)]
            for _, r in ch.iterrows()]
    _table(slide, header, rows, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, [1.2, 1.8, 1.6, 1.2, 1.0],
           size=12, row_h=Inches(0.4))
    _text(slide, MARGIN, HEIGHT - Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.45),
          pack.t("change_note") + (" " if pack.lang == "en" else "") + compared + pack.t("."), 11, color=GREY)


def source_lines(pack: Pack) -> list[str]:
    """One line per bulletin cited: outlet, date, headline, and the note numbers it backs."""
    from dashboard.briefing import narrative
    cited = pack.cited
    if cited.empty:
        return []
    out = []
    for _, g in cited.groupby("bulletin_id", sort=False):
        r = g.iloc[0]
        head = narrative.note_text(pack, r).split("] ", 1)[1]
        refs = ",".join(str(int(x)) for x in g["ref"])
        out.append(f"{head} [{refs}]")
    return out


def _appendix_slides(prs, pack: Pack):
    lines = source_lines(pack)
    if not lines:
        return
    per = 2 * SOURCES_PER_COLUMN
    pages = [lines[i:i + per] for i in range(0, len(lines), per)]
    col_w = (WIDTH - 2 * MARGIN - Inches(0.3)) / 2
    for n, page in enumerate(pages, 1):
        title = pack.t("appendix") + (L.paren(pack.lang, f"{n}/{len(pages)}") if len(pages) > 1 else "")
        slide = _slide(prs, title, pack, [pack.t("notes_sources")] + [
            _note_line(pack, r) for _, r in pack.cited.iterrows()
            if any(f"{int(r['ref'])}" in ln.rsplit("[", 1)[1].rstrip("]").split(",") for ln in page)])
        for c in range(2):
            chunk = page[c * SOURCES_PER_COLUMN:(c + 1) * SOURCES_PER_COLUMN]
            if chunk:
                _text(slide, int(MARGIN + c * (col_w + Inches(0.3))), Inches(1.05), int(col_w), Inches(5.9),
                      chunk, 8, color=GREY)


def render(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, pack)
    _summary_slide(prs, pack)
    for k in pack.key_metrics:
        if len(k.rows):
            _metric_slide(prs, pack, k)
    _scorecard_slides(prs, pack)
    _changes_slide(prs, pack)
    _appendix_slides(prs, pack)
    _apply_fonts(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
