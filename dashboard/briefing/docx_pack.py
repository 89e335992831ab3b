"""Word 简报: the form a briefing most often takes, written as sentences a reader can quote.

Each key figure becomes one Chinese sentence carrying the qualifier the bulletin used and
a numbered source ("缙云县化解矛盾纠纷6300余起（来源：[3] …）"); the numbered list at the
end gives each source's bulletin, date and sentence. Charts are PNGs (see chart_images).
Styles name the CJK font for `w:eastAsia` as well as Latin, or Word substitutes a font
that may lack the glyphs.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dashboard.briefing import chart_images
from dashboard.briefing import labels as L
from dashboard.briefing.collect import Pack

#: narrative sentences per metric; the table below the chart lists every place.
MAX_SENTENCES = 10
#: a key metric's table of more places than this is laid out in two column groups
TABLE_SPLIT = 12
NUMERALS = "一二三四五六七八九十"


def _east_asian(style_or_run, font: str = L.CJK_FONT) -> None:
    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _setup(doc) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "Table Grid", "Caption"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = L.CJK_FONT
        _east_asian(style)
    doc.styles["Normal"].font.size = Pt(11)
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Cm(2.2)


def _sentence(pack: Pack, r) -> str:
    """One figure as a sentence: place, metric, value with qualifier, period, source."""
    period = r["period"]
    src = pack.source_text(r)
    if pack.lang == "en":
        per = f" ({period})" if period else ""
        return f"{r['place_name']}: {pack.metric_name(r)} {pack.value_text(r)}{per} (source: {src})."
    # the period as written reads naturally before the metric: 遂昌县年均调处矛盾纠纷3000余件
    return f"{r['place_name']}{period or ''}{pack.metric_name(r)}{pack.value_text(r)}（来源：{src}）。"


def _table(doc, header: list[str], rows: list[list[str]], size: float = 9.5, widths: list[float] | None = None):
    """A compact grid (small type, no space around paragraphs): a 简报's tables are read, not browsed."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    # the header row again on every page the table runs onto
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = str(text)
    if widths:   # Word reads the cells' widths, LibreOffice the grid's: set both
        table.autofit = False
        for i, col in enumerate(table.columns):
            col.width = Cm(widths[i])
    for row in table.rows:
        # a row is never broken over two pages (half a county's line at the top of the next)
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
        for i, cell in enumerate(row.cells):
            if widths:
                cell.width = Cm(widths[i])
            for par in cell.paragraphs:
                par.paragraph_format.space_after = Pt(0)
                par.paragraph_format.space_before = Pt(0)
                for run in par.runs:
                    run.font.size = Pt(size)
    # no table's last row alone at the top of a page (under a repeated header)
    for row in list(table.rows)[-3:-1]:
        for cell in row.cells:
            for par in cell.paragraphs:
                par.paragraph_format.keep_with_next = True
    return table


def _metric_table(doc, pack: Pack, k):
    """Every county of a key metric: place, figure, period, note, in two column groups side by
    side when the list is long, so forty counties take twenty lines."""
    from dashboard import i18n
    lang = pack.lang
    from dashboard.cards import dated_period
    cells = [[i18n.place(r["place_name"], lang), pack.value_text(r), dated_period(r, lang) or "—",
              f"[{r['ref']}]"] for _, r in k.rows.iterrows()]
    head = [pack.t("place"), pack.t("value"), pack.t("period_col"), pack.t("note_col")]
    # the period (since the start of the year) needs the room, and a note ([14]) its four
    # characters on one line: two groups fill the 16.6 cm between the margins
    widths = [1.9, 2.3, 3.0, 1.1]
    if len(cells) <= TABLE_SPLIT:
        return _table(doc, head, cells, widths=widths)
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:] + [[""] * 4] * (2 * half - len(cells))
    return _table(doc, head + head, [a + b for a, b in zip(left, right)], widths=widths + widths)


def _others(doc, pack: Pack, k):
    """The counties left out of a metric's comparison, with their figures, periods and notes:
    listed under its table, never in its chart (dashboard.comparable)."""
    from dashboard import comparable
    from dashboard.briefing import narrative
    if k.others is None or not len(k.others):
        return
    sep = "; " if pack.lang == "en" else "；"
    text = sep.join(narrative.figure_with_ref(pack, r) for _, r in k.others.iterrows())
    p = doc.add_paragraph()
    p.add_run(comparable.words(pack.lang)["others_title"] + pack.t(":")).bold = True
    p.add_run(text + pack.t("."))
    _compact(p, 9)


def _legend(doc, pack: Pack, k):
    """What the bar colours mean, as coloured squares, and which end of the ranking is good."""
    from dashboard import charts
    if k.higher_is_better is None:
        items = [("neutral", pack.t("legend_none"))]
    elif k.measure == "change":
        items = [("good", pack.t("legend_good_change")), ("bad", pack.t("legend_bad_change"))]
    else:
        items = [("good", pack.t("legend_good")), ("middle", pack.t("legend_middle")), ("bad", pack.t("legend_bad"))]
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.keep_with_next = True     # never a legend at a page's foot, its chart overleaf
    for tier, label in items:
        sq = p.add_run("■ ")
        sq.font.color.rgb = RGBColor.from_string(charts.TIER_COLORS[tier].lstrip("#"))
        run = p.add_run(label + "　" if pack.lang == "zh" else label + "   ")
        run.font.size = Pt(9.5)
    if k.higher_is_better is not None:
        p.add_run(pack.t("best_on_top")).font.size = Pt(9.5)
    if any(charts.is_corrected(r) for _, r in k.rows.iterrows()):
        # as on the slides: what ✎ and the dark outline on a bar mean (who, when, why: the sources)
        from dashboard import i18n
        run = p.add_run(("　" if pack.lang == "zh" else "   ") + i18n.t("corrected_legend_doc", pack.lang))
        run.font.size = Pt(9.5)
        run.font.color.rgb = RGBColor.from_string(charts.CORRECTED_LINE.lstrip("#"))


def _compact(p, size: float = 9):
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.space_before = Pt(0)
    for run in p.runs:
        run.font.size = Pt(size)
    return p


def _heading(doc, pack: Pack, n: int, text: str):
    prefix = f"{NUMERALS[n - 1]}、" if pack.lang == "zh" and n <= len(NUMERALS) else f"{n}. "
    doc.add_heading(prefix + text, level=1)


def _chart(pack: Pack, k):
    from dashboard import charts, i18n
    rows = k.rows
    if k.measure == "change":
        from dashboard import keymetrics
        tiers = ["neutral" if g is None else ("good" if g else "bad")
                 for g in (keymetrics.is_good(k.metric, d) for d in rows["direction"])]
    else:
        tiers = charts.tiers([float(v) for v in rows["signed"]], k.higher_is_better)
    from dashboard.briefing.pptx_pack import RATE_ROOM, _axis_range, _chart_scale
    values = [float(v) for v in rows["signed"]]
    divisor, unit = _chart_scale(max([abs(v) for v in values] or [0]), k.unit, pack.lang)
    if unit not in ("万元", "亿元", "million yuan", "billion yuan", "yuan"):
        unit = L.unit_label(unit, pack.lang)
    fixed = [charts.is_corrected(r) for _, r in rows.iterrows()]
    return chart_images.bar_chart(
        k.name, [i18n.place(p, pack.lang) for p in rows["place_name"]], [v / divisor for v in values],
        [charts.short_text(r, pack.lang) + (f" {charts.CORRECTED_MARK}" if c else "")
         for (_, r), c in zip(rows.iterrows(), fixed)],
        unit, [charts.TIER_COLORS[t] for t in tiers], pack.lang, outlined=fixed,
        # a rate's bars start at zero too, on the deck's axis (0..125%, not 0..150%)
        axis=_axis_range([v / divisor for v in values], room=RATE_ROOM)[:2] if k.measure == "rate" else None)


def render(pack: Pack) -> bytes:
    from dashboard import i18n
    from dashboard.briefing import narrative
    from etl import counts

    keys = [k for k in pack.key_metrics if len(k.rows)]
    # one county's bar alone, in a pack about several, compares nothing: its sentence and
    # table say it all (as the deck drops such slides); a pack about one county keeps them
    several = (pack.counts or {}).get("counties", 0) > 1
    charted = [k for k in keys if len(k.rows) > 1 or not several]
    images = iter(chart_images.to_png([_chart(pack, k) for k in charted]))   # fails early if no Chromium

    doc = Document()
    _setup(doc)
    title = doc.add_heading(pack.t("title"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    c = pack.t(":")
    meta.add_run(f"{pack.t('generated')}{c}{pack.generated.isoformat()}    "
                 f"{pack.t('scope')}{c}{pack.scope}    {pack.t('period')}{c}{pack.period}").font.color.rgb = \
        RGBColor(0x59, 0x59, 0x59)
    if pack.has_synthetic:
        doc.add_paragraph(pack.t("demo_note"))

    n = 1
    _heading(doc, pack, n, pack.t("overview"))
    cnt = pack.counts or {}
    lang = pack.lang
    if lang == "en":
        intro = (f"This briefing covers {cnt.get('bulletins', 0)} {counts.label('bulletins', lang)} and "
                 f"{cnt.get('counties', 0)} {counts.label('counties', lang)}. ")
    else:
        intro = (f"本期汇总{cnt.get('bulletins', 0)}份{counts.label('bulletins', lang)}，涉及"
                 f"{cnt.get('counties', 0)}个{counts.label('counties', lang)}。")
    doc.add_paragraph(intro + (pack.t("latest_note") if keys else pack.t("no_figures")))
    for i, text in enumerate(narrative.conclusions(pack), start=1):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(0.6)
        p.add_run(f"{i}. " if lang == "en" else f"（{NUMERALS[i - 1]}）").bold = True
        p.add_run(text)

    if keys:
        n += 1
        _heading(doc, pack, n, pack.t("key_figures"))
    for k in keys:
        doc.add_heading(k.name, level=2)
        doc.add_paragraph(narrative.conclusion(pack, k) or "").paragraph_format.keep_with_next = True
        if any(k is c for c in charted):
            _legend(doc, pack, k)
            doc.add_picture(io.BytesIO(next(images)), width=Cm(16))
        _metric_table(doc, pack, k)
        _others(doc, pack, k)

    if len(pack.changes):
        n += 1
        _heading(doc, pack, n, pack.t("changes"))
        cmp = pack.changes_compared
        doc.add_paragraph(pack.t("change_note") + (" " if lang == "en" else "")
                          + (cmp.note(lang) + pack.t(".") if cmp is not None and cmp.key else ""))
        from dashboard import cards
        _table(doc, [pack.t("place"), pack.t("metric"), pack.t("change"), pack.t("period_col"), pack.t("sources")],
               [[i18n.place(r["place_name"], lang), pack.metric_name(r), cards.change_text(r, lang),
                 i18n.period(r["period"], lang) or "—", f"[{r['ref']}]"] for _, r in pack.changes.iterrows()],
               widths=[3.0, 4.4, 4.0, 3.2, 1.4])

    if len(pack.cited):
        n += 1
        _heading(doc, pack, n, pack.t("notes"))
        for _, r in pack.cited.iterrows():
            p = _compact(doc.add_paragraph(narrative.note_text(pack, r)))
            p.paragraph_format.left_indent = Cm(0.8)
            p.paragraph_format.first_line_indent = Cm(-0.8)
        doc.add_heading(pack.t("appendix_files"), level=1)
        for _, r in pack.cited.iterrows():
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.8)
            p.paragraph_format.first_line_indent = Cm(-0.8)
            p.add_run(f"[{r['ref']}] ").bold = True
            p.add_run(f"{r['file_name'] or ''}{pack.t(',')}{pack.t('article')} {int(r['article'])}{pack.t(':')}"
                      f"“{r['sentence']}”")
            if pack.correction_text(r):  # a reviewer's correction, with who, when and why
                p.add_run(f"{pack.t(',')}{pack.correction_text(r)}").italic = True
            _compact(p, 8.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
