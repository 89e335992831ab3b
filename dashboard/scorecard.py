"""The county scorecard: counties × key metrics, like with like, under headers that fit.

Why a module: the counties page draws it and the PowerPoint's scorecard slide prints it;
both take each column's compared period from dashboard.comparable, so a cell is coloured,
blank or marked "other period" the same way on screen and on paper.

Why a table with wrapped headers, not a data grid: a grid's header is one line, so at
1024 px (a projector, the sidebar open) the scorecard scrolled sideways after three of its
eight metrics, and a bureau chief saw part of it. The page draws it with st.table: a header
wraps over two or three lines ("Fraud / cases ±%", "电诈案件 / 增减%"), every column is on
screen, and the colours are the same Styler's. TABLE_CSS makes its type a little smaller and
keeps a county's name on one line.

Why short headers: even wrapped, a column is as wide as its longest word. A column is headed
by the metric's short name (metric_priority.csv: 电诈案件, Fraud cases), what it measures
(增减, ±) and its unit; the full name, unit and compared period are in the legend under the
table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import comparable, i18n, keymetrics

#: rows shown before the table scrolls inside itself (a province of 90 counties), in px per row
ROWS_IN_VIEW = 16
ROW_PX, HEAD_PX = 31, 64

#: the scorecard table (inside the page's `co_scorecard` container): a smaller type and tighter
#: cells, headers wrapped (no word cut), a county's name on one line, numbers aligned right
TABLE_CSS = """<style>
.st-key-co_scorecard table { font-size: 0.8rem; }
.st-key-co_scorecard th, .st-key-co_scorecard td { padding: 0.3rem 0.35rem !important; }
.st-key-co_scorecard th, .st-key-co_scorecard th * { white-space: normal !important; vertical-align: bottom;
  line-height: 1.25; overflow-wrap: normal !important; word-break: normal !important; }
.st-key-co_scorecard td, .st-key-co_scorecard td * { white-space: nowrap !important; }
</style>"""


def table_height(rows: int) -> int:
    return HEAD_PX + ROW_PX * rows


def number(v) -> str:
    """13,210 and -23.6, never 13210.0: whole counts read as counts in a meeting."""
    if pd.isna(v):
        return "—"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


#: tiers a cell may take: good/bad by thirds (levels) or by direction (changes)
TIERS = ("good", "middle", "bad", "neutral")


def money(unit: str | None, lang: str) -> tuple[float, str]:
    """One divisor per money column: 万元 for a Chinese reader, million yuan for an English one."""
    if unit == "元":
        return (1e6, "¥m") if lang == "en" else (1e4, "万元")
    return 1.0, ""


def unit_text(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    return (i18n.UNITS_EN.get(unit, unit) or "") if lang == "en" else unit


def header(code: str, measure: str, unit: str | None, name: str, lang: str) -> str:
    """'电诈案件增减%', '挽回损失(万元)', 'Fraud cases ±%', 'Recovered (¥m)', 'Disputes resolved'
    (an English count needs no unit in its header; half-width brackets save a Chinese
    header a character's width)."""
    short = keymetrics.short_name(code, lang, name)
    divisor, money_unit = money(unit, lang)
    u = money_unit or unit_text(unit, lang)
    if measure == "change":
        pp = unit == "个百分点"
        if lang == "en":
            return f"{short} ±{'pp' if pp else '%'}"
        return f"{short}增减{'(个百分点)' if pp else '%'}"
    if measure == "share":
        return f"{short} share %" if lang == "en" else f"{short}占比%"
    if lang == "en":
        if unit == "%":
            return f"{short} %"
        return f"{short} ({u})" if u and (measure != "count" or money_unit) else short
    if unit == "%":
        return f"{short}%"
    return f"{short}({u})" if u else short


#: what the scorecard's abbreviated place names stand for (the county column's tooltip)
PLACE_ABBREVIATIONS = {"zh": "经开区＝经济技术开发区", "en": "ETDZ = Economic and Technological Development Zone"}


def place_label(name: str, lang: str) -> str:
    """A county in the scorecard's narrow first column: 丽水经开区, Lishui ETDZ (the usual short
    forms), so the pinned column leaves room for three metrics at 1024 px."""
    text = i18n.place(name, lang)
    if lang == "en":
        return text.replace("Development Zone", "ETDZ")
    return text.replace("经济技术开发区", "经开区").replace("经济开发区", "经开区")


@dataclass
class Column:
    metric: str
    measure: str
    header: str
    label: str                       # the series' full name (电信网络诈骗案件（变化）)
    unit: str                        # as shown (%, 万元, cases)
    divisor: float
    comparison: comparable.Comparison
    values: dict = field(default_factory=dict)     # place_key -> number shown
    tiers: dict = field(default_factory=dict)      # place_key -> good/middle/bad/neutral
    other: set = field(default_factory=set)        # place_keys whose latest report is of another period

    def help(self, lang: str) -> str:
        unit = f"{'unit' if lang == 'en' else '单位'}{': ' if lang == 'en' else '：'}{self.unit}" if self.unit else ""
        return ("; " if lang == "en" else "；").join(x for x in (self.label, unit, self.comparison.note(lang)) if x)

    def legend(self, lang: str) -> str:
        """'电诈案件增减（%）＝电信网络诈骗案件（变化）：比较2026年年内累计（26地，另13地期间不同）'."""
        sep = " = " if lang == "en" else "＝"
        head = self.header if self.header == self.label else f"{self.header}{sep}{self.label}"
        return f"{head}{': ' if lang == 'en' else '：'}{self.comparison.short(lang)}"


def columns(county_latest: pd.DataFrame, key: pd.DataFrame, names: dict[str, str], lang: str,
            series_label) -> list[Column]:
    """One column per key series (keymetrics order), its cells from the compared period only."""
    from dashboard import charts
    out = []
    for _, k in key.iterrows():
        s = county_latest[(county_latest["metric"] == k["metric"]) & (county_latest["measure"] == k["measure"])]
        if s.empty:
            continue
        cmp = comparable.compare(s, k["metric"])
        unit = s["unit"].mode().iloc[0] if s["unit"].notna().any() else ""
        divisor, money_unit = money(unit, lang)
        col = Column(k["metric"], k["measure"], header(k["metric"], k["measure"], unit, names.get(k["metric"], k["metric"]),
                                                       lang),
                     series_label(names.get(k["metric"], k["metric"]), k["measure"], lang),
                     money_unit or unit_text(unit, lang), divisor, cmp)
        rows = cmp.rows
        col.values = dict(zip(rows["place_key"], rows["signed"].astype(float) / divisor))
        if k["measure"] == "change":
            good = [keymetrics.is_good(k["metric"], d) for d in rows["direction"]]
            col.tiers = {p: ("neutral" if g is None else ("good" if g else "bad")) for p, g in zip(rows["place_key"], good)}
        else:
            col.tiers = dict(zip(rows["place_key"], charts.tiers(list(col.values.values()),
                                                               keymetrics.higher_is_better(k["metric"]))))
        col.other = set(cmp.others["place_key"]) - set(col.values)
        out.append(col)
    # two series with one short name (a count and its change share no header): keep them apart
    seen: dict[str, int] = {}
    for c in out:
        seen[c.header] = seen.get(c.header, 0) + 1
        if seen[c.header] > 1:
            c.header = f"{c.header} ({seen[c.header]})"
    return out
