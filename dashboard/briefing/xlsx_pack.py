"""Excel pack: the figures behind the briefing, ready to sort, filter and re-chart.

Numbers are stored as numbers so staff can sum or chart them; what a bulletin wrote
around the number (余, 近, 以上) is kept twice: in a qualifier column, and on the
county × metric sheet as a number format (`0"余"`), so the cell reads "6300余" yet its
value is still 6300.

A figure a reviewer corrected says so on its row ("经张三于…更正，理由：…", the same words
as the other packs, Pack.correction_text): the number in the sheet is no longer the one
the bulletin printed, and whoever re-uses it must be able to tell.

Every text cell holds words that came from a bulletin, an upload or a reviewer, and a
cell whose text starts with "=" is a formula to openpyxl (and "+", "-", "@" are to Excel
when the text is retyped or pasted as CSV). So every string is written as an explicit
string cell (`inlineStr`, dashboard.spreadsheet.inert): the reader sees the words as typed,
nothing is ever evaluated, and no apostrophe or space is added to the text. Characters
XML cannot hold were already replaced when the pack was collected (collect.load_figures).
"""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard import i18n
from dashboard.briefing import labels as L
from dashboard.briefing.collect import Pack
from dashboard.spreadsheet import inert

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(name=L.CJK_FONT, bold=True, color="FFFFFF")
BODY_FONT = Font(name=L.CJK_FONT)
WRAP = Alignment(wrap_text=True, vertical="top")


def _num(v):
    """int when whole, so Excel shows 6300 rather than 6300.0."""
    if v is None:
        return None
    v = float(v)
    return int(v) if v.is_integer() else v


def _note(pack: Pack, row):
    """The correction note of a figure row, None (an empty cell) for one never corrected."""
    return pack.correction_text(row) or None


def _qual_format(qualifier: str | None) -> str:
    base = "General"
    if not qualifier:
        return base
    q = qualifier.replace('"', "")
    if q in L.QUAL_BEFORE:
        return f'"{q}"{base}'
    return f'{base}"{q}"'


def _sheet(wb, title: str, header: list[str], rows: list[list], widths: list[int], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.font = BODY_FONT
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def _figures_sheet(wb, pack: Pack):
    t = pack.t
    header = [t("county_code"), t("place"), t("city"), t("metric"), t("category"), t("measure"),
              t("value"), t("unit"), t("qualifier"), t("direction"), t("raw"), t("period_col"), t("date"),
              t("bulletin"), t("file"), t("article"), t("sentence"), t("n_sources"), t("synthetic"),
              "figure_id", i18n.t("col_correction", pack.lang)]
    rows = []
    for _, r in pack.figures.iterrows():
        rows.append([r["place_key"], r["place_name"], r["city"], pack.metric_name(r),
                     L.category_name(r["category"], pack.lang), L.measure_name(r["measure"], pack.lang), _num(r["value"]), r["unit"],
                     r["qualifier"], r["direction"], r["raw"], r["period"], r["published_on"],
                     r["bulletin_title"], r["file_name"], int(r["article"]), r["sentence"],
                     int(r["n_sources"]), bool(r["synthetic"]), r["figure_id"], _note(pack, r)])
    ws = _sheet(wb, t("figures_sheet"), header, rows,
                [10, 14, 10, 16, 10, 9, 12, 7, 8, 8, 12, 12, 12, 18, 22, 6, 60, 8, 8, 18, 40], first=True)
    for col in (17, 21):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.alignment = WRAP


def _latest_sheet(wb, pack: Pack):
    from dashboard.briefing.collect import LEVEL_MEASURES
    latest = pack.latest
    if len(latest):   # levels only, as before: reported changes have their own sheet
        latest = latest[(latest["category"] != "other") & latest["measure"].isin(LEVEL_MEASURES)]
    cols = []   # (metric, measure, header)
    if len(latest):
        order = (latest.groupby(["metric", "measure"]).size().reset_index(name="n")
                 .sort_values(["n", "metric"], ascending=[False, True]))
        for _, o in order.iterrows():
            r = latest[(latest["metric"] == o["metric"]) & (latest["measure"] == o["measure"])].iloc[0]
            unit = latest[(latest["metric"] == o["metric"]) & (latest["measure"] == o["measure"])]["unit"].mode()
            u = unit.iloc[0] if len(unit) else ""
            cols.append((o["metric"], o["measure"], pack.metric_name(r) + L.paren(pack.lang, u) if u else pack.metric_name(r)))
    places = (latest[["place_key", "place_name", "county_level"]].drop_duplicates("place_key")
              .sort_values(["county_level", "place_name"], ascending=[True, True])) if len(latest) else []
    header = [pack.t("place")] + [c[2] for c in cols]
    ws = _sheet(wb, pack.t("latest_sheet"), header, [], [16] + [14] * len(cols))
    index = {(r["place_key"], r["metric"], r["measure"]): r for _, r in latest.iterrows()} if len(latest) else {}
    for i, (_, p) in enumerate(places.iterrows() if len(latest) else [], start=2):
        ws.cell(i, 1, p["place_name"]).font = BODY_FONT
        for j, (metric, measure, _) in enumerate(cols, start=2):
            r = index.get((p["place_key"], metric, measure))
            if r is None:
                continue
            cell = ws.cell(i, j, _num(r["value"]))
            cell.font = BODY_FONT
            cell.number_format = _qual_format(r["qualifier"])
            if _note(pack, r):    # a matrix has no note column: the note rides on the cell
                cell.comment = Comment(_note(pack, r), "Ping'an Metrics")
    ws.auto_filter.ref = ws.dimensions
    note_row = ws.max_row + 2
    ws.cell(note_row, 1, pack.t("latest_note")).font = Font(name=L.CJK_FONT, italic=True, color="595959")


def _changes_sheet(wb, pack: Pack):
    ch = pack.figures[pack.figures["measure"] == "change"]
    t = pack.t
    header = [t("place"), t("metric"), t("direction"), t("value"), t("unit"), t("qualifier"), t("period_col"),
              t("date"), t("bulletin"), t("sentence"), t("synthetic"), i18n.t("col_correction", pack.lang)]
    rows = [[r["place_name"], pack.metric_name(r), L.t(pack.lang, r["direction"]) if r["direction"] else None,
             _num(r["value"]), r["unit"], r["qualifier"], r["period"], r["published_on"],
             r["bulletin_title"] or r["file_name"], r["sentence"], bool(r["synthetic"]), _note(pack, r)]
            for _, r in ch.iterrows()]
    _sheet(wb, t("changes_sheet"), header, rows, [14, 16, 8, 10, 8, 8, 12, 12, 20, 60, 8, 40])


def _about_sheet(wb, pack: Pack):
    rows = [[pack.t("title"), ""], [pack.t("scope"), pack.scope], [pack.t("period"), pack.period],
            [pack.t("generated"), pack.generated], ["", pack.t("latest_note")], ["", pack.t("change_note")]]
    if pack.has_synthetic or (len(pack.figures) and pack.figures["synthetic"].any()):
        rows.append(["", pack.t("demo_note")])
    ws = wb.create_sheet(pack.t("about_sheet"))
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows():
        for cell in line:
            cell.font = BODY_FONT
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws["A1"].font = Font(name=L.CJK_FONT, bold=True, size=14)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80


def render(pack: Pack) -> bytes:
    wb = Workbook()
    _figures_sheet(wb, pack)
    _latest_sheet(wb, pack)
    _changes_sheet(wb, pack)
    _about_sheet(wb, pack)
    inert(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
