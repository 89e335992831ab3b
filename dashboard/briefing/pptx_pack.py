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
           size=12, row_h=Inches(0.4)):
    shape = slide.shapes.add_table(len(rows) + 1, len(header), x, y, w, row_h * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for i, frac in enumerate(widths):
        table.columns[i].width = Emu(int(w * frac / total))
    for r, values in enumerate([header] + rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
    return table


def _note_line(pack: Pack, row) -> str:
    return (f"{pack.source_text(row)}{pack.t(':')}{row['place_name']} {pack.metric_name(row)} "
            f"{pack.value_text(row)} —— {row['sentence']}")


def _short(sentence: str) -> str:
    return sentence if len(sentence) <= SENTENCE_CHARS else sentence[:SENTENCE_CHARS] + "…"


# ------------------------------------------------------------------ slides

def _title_slide(prs, pack: Pack):
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.2), pack.t("title"), 44, True, ACCENT,
          PP_ALIGN.CENTER)
    c = pack.t(":")
    lines = [f"{pack.t('scope')}{c}{pack.scope}", f"{pack.t('period')}{c}{pack.period}",
             f"{pack.t('generated')}{c}{pack.generated.isoformat()}"]
    if pack.has_synthetic:
        lines.append(pack.t("demo_note"))
    _text(slide, MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(2), lines, 20, color=GREY, align=PP_ALIGN.CENTER)
    n_bul = pack.figures["bulletin_id"].nunique() if len(pack.figures) else 0
    slide.notes_slide.notes_text_frame.text = pack.t("overview_text").format(
        n_bul=n_bul, n_fig=len(pack.figures), n_place=pack.figures["place_key"].nunique())


def _summary_slide(prs, pack: Pack):
    lines, notes = [], [pack.t("notes_sources")]
    for k in pack.key_metrics:
        parts = []
        for _, w in k.wider.iterrows():
            parts.append(f"{w['place_name']} {pack.value_text(w)} [{w['ref']}]")
            notes.append(_note_line(pack, w))
        if len(k.rows):
            top = k.rows.iloc[0]
            parts.append(f"{len(k.rows)} {pack.t('reports')}{pack.t(',')}{pack.t('highest')} {top['place_name']} "
                         f"{pack.value_text(top)} [{top['ref']}]")
            notes.append(_note_line(pack, top))
        lines.append(f"{k.name}{pack.t(':')}" + pack.t(";").join(parts))
    if not lines:
        lines = [pack.t("no_figures")]
    slide = _slide(prs, pack.t("summary"), pack, notes)
    _text(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5), lines, 18)
    _text(slide, MARGIN, Inches(6.4), WIDTH - 2 * MARGIN, Inches(0.5), pack.t("latest_note"), 12, color=GREY)


def _chart_scale(top: float, unit: str | None) -> tuple[float, str]:
    """One divisor for a whole chart so bars stay comparable (money in 万元 or 亿元)."""
    if unit == "元" and top >= 1e8:
        return 1e8, "亿元"
    if unit == "元" and top >= 1e4:
        return 1e4, "万元"
    return 1.0, unit or ""


def _metric_slide(prs, pack: Pack, k):
    rows = k.rows
    notes = [pack.t("notes_sources")] + [_note_line(pack, r) for _, r in rows.iterrows()]
    divisor, unit = _chart_scale(rows["value"].max() if len(rows) else 0, k.unit)
    slide = _slide(prs, k.name + L.paren(pack.lang, unit) if unit else k.name, pack, notes)
    data = CategoryChartData(number_format="General")
    data.categories = list(rows["place_name"])
    data.add_series(k.name, [round(float(v) / divisor, 4) for v in rows["value"]])
    height = HEIGHT - Inches(2.2)
    gf = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, Inches(1.2),
                                WIDTH - 2 * MARGIN, height, data)
    chart = gf.chart
    chart.has_legend = False
    chart.has_title = False            # the slide title names the metric and unit
    chart.font.size = Pt(12)
    chart.category_axis.reverse_order = True          # largest on top
    chart.value_axis.has_major_gridlines = True
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = ACCENT
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    # labels as the bulletins wrote them: the qualifier (余, 近…) stays beside its number
    for i, (_, r) in enumerate(rows.iterrows()):
        label = series.points[i].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        tf = label.text_frame
        tf.text = f"{L.fmt_value(r['value'], r['unit'], r['qualifier'], pack.lang, with_unit=False)}" \
                  f"{'*' if r['synthetic'] else ''} [{r['ref']}]"
        for run in tf.paragraphs[0].runs:
            run.font.size = Pt(11)
    _text(slide, MARGIN, HEIGHT - Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.45),
          pack.t("latest_note"), 11, color=GREY)


def _comparison_slides(prs, pack: Pack):
    keys = pack.key_metrics
    if not keys or not pack.counties:
        return
    cells = {}
    for k in keys:
        for _, r in k.rows.iterrows():
            cells[(r["place_name"], k.metric, k.measure)] = r
    header = [pack.t("place")] + [k.name for k in keys]
    body = []
    for place in pack.counties:
        line = [place]
        for k in keys:
            r = cells.get((place, k.metric, k.measure))
            line.append("—" if r is None else f"{pack.value_text(r)} [{r['ref']}]")
        body.append(line)
    pages = [body[i:i + TABLE_ROWS] for i in range(0, len(body), TABLE_ROWS)]
    for n, page in enumerate(pages, 1):
        title = pack.t("compare") + (L.paren(pack.lang, f"{n}/{len(pages)}") if len(pages) > 1 else "")
        slide = _slide(prs, title, pack, [pack.t("latest_note")])
        _table(slide, header, page, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN,
               [1.4] + [1.0] * len(keys), size=12, row_h=Inches(0.38))


def _changes_slide(prs, pack: Pack):
    ch = pack.changes
    if ch.empty:
        return
    notes = [pack.t("change_note"), pack.t("notes_sources")] + [_note_line(pack, r) for _, r in ch.iterrows()]
    slide = _slide(prs, pack.t("changes"), pack, notes)
    header = [pack.t("place"), pack.t("metric"), pack.t("change"), pack.t("period_col"), pack.t("date"),
              pack.t("sources")]
    rows = [[r["place_name"], pack.metric_name(r), pack.value_text(r),
             r["period"] or "—", L.fmt_date(r["published_on"], pack.lang), f"[{r['ref']}]"]
            for _, r in ch.iterrows()]
    _table(slide, header, rows, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, [1.3, 1.6, 1.1, 1.1, 1.1, 0.6],
           size=12, row_h=Inches(0.4))
    _text(slide, MARGIN, HEIGHT - Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.45), pack.t("change_note"), 11,
          color=GREY)


def _appendix_slides(prs, pack: Pack):
    cited = pack.cited
    if cited.empty:
        return
    header = ["#", f"{pack.t('place')} · {pack.t('metric')}", pack.t("value"), pack.t("date"),
              pack.t("bulletin"), pack.t("sentence")]
    pages = [cited.iloc[i:i + APPENDIX_ROWS] for i in range(0, len(cited), APPENDIX_ROWS)]
    for n, page in enumerate(pages, 1):
        rows, notes = [], [pack.t("notes_sources")]
        for _, r in page.iterrows():
            bulletin = r["bulletin_title"] or ""
            name = r["file_name"] or ""
            rows.append([f"[{r['ref']}]", f"{r['place_name']} · {pack.metric_name(r)}",
                         pack.value_text(r),
                         L.fmt_date(r["published_on"], pack.lang),
                         f"{bulletin}\n{name}" if bulletin else name,
                         "\n".join(x for x in (_short(r["sentence"]), pack.correction_text(r)) if x)])
            notes.append(_note_line(pack, r))
        title = pack.t("appendix") + (L.paren(pack.lang, f"{n}/{len(pages)}") if len(pages) > 1 else "")
        slide = _slide(prs, title, pack, notes)
        _table(slide, header, rows, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, [0.45, 1.5, 1.0, 0.95, 1.5, 4.6],
               size=10, row_h=Inches(0.8))


def render(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _title_slide(prs, pack)
    _summary_slide(prs, pack)
    for k in pack.key_metrics:
        if len(k.rows):
            _metric_slide(prs, pack, k)
    _comparison_slides(prs, pack)
    _changes_slide(prs, pack)
    _appendix_slides(prs, pack)
    _apply_fonts(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
