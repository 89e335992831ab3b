"""Like with like: which places' latest reports of one series may stand side by side.

Why: a place's latest report of a metric covers whatever period its bulletin chose. Put
side by side, a 年均 figure sits next to 今年1-8月, last year's full-year count next to this
year's first quarter, a 2024 change next to a 2026 one; a ranking of those, its colours,
its "best" and "worst" and a count of how many places fell, compare periods, not places.
So every comparison of places (the overview's cards and changes, the county scorecard,
ranking and map, the initiatives' rankings, and the three packs) takes its rows from here,
and says which period it compares.

The rule (docs/ARCHITECTURE.md, "Like with like")
- A report's comparison period (`period_class`) is its period kind (etl.period_kind) plus
  the dates that kind needs:
  * counts and amounts grow with the length of the period, so they compare only over the
    same months: 2026年1-9月 (year to date, to the month it runs to), 2025年全年, 2026年一季度;
  * changes, rates, shares and durations do not grow with it, so they compare within one
    kind and one year: every 2026 year-to-date 同比 change, 1-4月 and 1-9月 alike;
  * a point in time (目前) compares within its year; an average (年均, 日均) with others of
    its kind; "since an earlier start" and "period not stated" only with their own kind.
- Per series (one metric and measure), the period most places reported is compared; a tie
  goes to a stated period over an unstated one, then to the later one. Every other place's
  latest report is listed apart as "other period, not compared": never in a ranking, a
  colour scale, a best or worst, or a count of which way places moved.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard import keymetrics

#: measures whose size grows with the length of the period they cover
GROWING = ("count", "amount")
#: kinds that carry no dates worth comparing on
UNDATED = ("per_day", "per_year", "since", "unknown")
#: kinds whose period is not really stated: compared only when nothing stated is as common
UNSTATED = ("since", "unknown")
KIND_ORDER = ("ytd", "year", "half", "quarter", "month", "span", "point", "per_day", "per_year", "since",
              "unknown")
_MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

WORDS = {
    "zh": {"compares": "比较{what}（{n}{u}）", "what": "{label}的报告",
           "others": "另有{m}{u}的最新报告属其他期间，未参与比较",
           "others_reports": "另有{m}{u}报告属其他期间，未参与比较",
           "place": "地", "report": "条",
           "other_cell": "其他期间", "map_other": "其他期间（未比较）", "others_title": "其他期间的报告（未参与比较）",
           "cell_note": "淡蓝“—”：该地最新报告属其他期间，不参与比较。",
           "map_note": "斜线：该县最新报告属其他期间，不参与比较。",
           "short": "比较{label}（{n}{u}）", "short_others": "比较{label}（{n}{u}，另{m}{u}期间不同）"},
    "en": {"compares": "compares {what} ({n} {u})", "what": "{label} reports",
           "others": "{m} more {u}' latest reports cover other periods and are not compared",
           "others_reports": "{m} more {u} cover other periods and are not compared",
           "place": "places", "report": "reports",
           "other_cell": "other period", "map_other": "other period (not compared)",
           "others_title": "Reports of other periods (not compared)",
           "cell_note": "Pale blue “—”: the county's latest report covers another period and is not compared.",
           "map_note": "Hatched: the county's latest report covers another period and is not compared.",
           "short": "{n} {u} compared, {label}",
           "short_others": "{n} {u} compared, {label}; {m} of other periods left out"},
}
#: a reader's name for the unstated kinds when a sentence says what is compared
UNSTATED_WHAT = {"unknown": ("未注明期间的报告", "reports that state no period"),
                 "since": ("自某时以来的报告", "reports counted since an earlier start")}
UNSTATED_LABEL = {"unknown": ("未注明期间", "no period stated"), "since": ("自某时以来", "since an earlier start")}


#: English with a count of one: "1 place compared", not "1 places compared"
_ONE = ((r"\b1 more places' latest reports cover other periods and are not compared",
         "1 more place's latest report covers another period and is not compared"),
        (r"\b1 more reports cover other periods and are not compared",
         "1 more report covers another period and is not compared"),
        (r"\b1 places\b", "1 place"), (r"\b1 reports\b", "1 report"), (r"\(1 places\)", "(1 place)"))


def _singular(text: str) -> str:
    import re
    for pattern, repl in _ONE:
        text = re.sub(pattern, repl, text)
    return text


def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def _ts(v) -> pd.Timestamp | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        t = pd.Timestamp(v)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(t) else t


def _get(row, key):
    try:
        v = row.get(key) if hasattr(row, "get") else row[key]
    except (KeyError, IndexError):
        return None
    return v


def period_class(row) -> tuple:
    """(kind, year, first month, last month) of the period a report covers, as far as the
    comparison needs it: months only for counts and amounts, the year for dated kinds."""
    kind = _get(row, "period_kind")
    kind = kind if isinstance(kind, str) and kind in KIND_ORDER else "unknown"
    if kind in UNDATED:
        return (kind, None, None, None)
    end = _ts(_get(row, "period_end"))
    if end is None and kind == "point":
        end = _ts(_get(row, "published_on"))
    if end is None:
        return (kind, None, None, None)
    if kind == "point" or _get(row, "measure") not in GROWING:
        return (kind, end.year, None, None)
    start = _ts(_get(row, "period_start"))
    return (kind, end.year, start.month if start is not None else None, end.month)


def label(key: tuple | None, lang: str) -> str:
    """A comparison period as a reader names it: 2026年1-9月, 2026年年内累计, Jan–Sep 2026."""
    from dashboard import i18n
    if not key:
        return ""
    kind, year, m0, m1 = key
    en = lang == "en"
    if kind in UNSTATED_LABEL:
        return UNSTATED_LABEL[kind][1 if en else 0]
    name = i18n.period_kind(kind, lang)
    if year is None:
        return name
    if m1 is None:                                   # kind and year
        if en:
            return f"{name}, {year}" if kind == "point" else f"{year} {name}"
        return f"{year}年{name}"
    m0 = m0 or m1
    if kind == "year" or (m0 == 1 and m1 == 12):
        return f"{year} (full year)" if en else f"{year}年全年"
    if kind == "half" and (m0, m1) in ((1, 6), (7, 12)):
        return (f"H{1 if m1 == 6 else 2} {year}" if en else f"{year}年{'上' if m1 == 6 else '下'}半年")
    if kind == "quarter" and m1 - m0 == 2 and m1 % 3 == 0:
        return f"Q{m1 // 3} {year}" if en else f"{year}年第{'一二三四'[m1 // 3 - 1]}季度"
    if m0 == m1:
        return f"{_MON[m1 - 1]} {year}" if en else f"{year}年{m1}月"
    return f"{_MON[m0 - 1]}–{_MON[m1 - 1]} {year}" if en else f"{year}年{m0}-{m1}月"


def _rank_key(key: tuple, n: int) -> tuple:
    kind, year, _m0, m1 = key
    return (-n, kind in UNSTATED, -(year or 0), -(m1 or 0), KIND_ORDER.index(kind))


#: the columns period_class reads
_CLASS_COLUMNS = ("period_kind", "period_end", "period_start", "published_on", "measure")


def classes(rows: pd.DataFrame) -> list[tuple]:
    """period_class of every row, in order.

    Why not iterrows: a Series per row costs ~50 µs, and a view's latest reports at a
    million figures are thousands of rows, classified several times per page rerun. The
    same values go in (each column's own scalars: Timestamp, NaT, NaN, str)."""
    cols = [c for c in _CLASS_COLUMNS if c in rows.columns]
    return [period_class(r) for r in rows[cols].to_dict("records")]


def choose_class(rows: pd.DataFrame, keys: list[tuple] | None = None) -> tuple | None:
    """The comparison period most places reported (ties: stated, then later, then kind order).
    `keys`: classes(rows), when the caller has them already."""
    if rows is None or rows.empty:
        return None
    if keys is None:
        keys = classes(rows)
    places = rows["place_key"].tolist() if "place_key" in rows.columns else list(range(len(rows)))
    count: dict[tuple, set] = {}
    for k, p in zip(keys, places):
        count.setdefault(k, set()).add(p)
    return min(count, key=lambda k: _rank_key(k, len(count[k])))


@dataclass
class Comparison:
    """Latest reports split into the compared ones (best first for one series) and the rest.

    `per_report`: the rows are reports of many series (the changes chart), so the notes count
    reports; one series has one row per place, so its notes count places."""
    rows: pd.DataFrame
    others: pd.DataFrame
    key: tuple | None
    per_report: bool = False

    def label(self, lang: str) -> str:
        return label(self.key, lang)

    def counts(self) -> tuple[int, int]:
        """(compared, left out), in places for a series and in reports for the changes."""
        if self.per_report or "place_key" not in self.rows.columns:
            return len(self.rows), len(self.others)
        return self.rows["place_key"].nunique(), self.others["place_key"].nunique() if len(self.others) else 0

    def _unit(self, lang: str) -> str:
        return words(lang)["report" if self.per_report else "place"]

    def note(self, lang: str) -> str:
        """'比较2026年年内累计的报告（24地）；另有15地的最新报告属其他期间，未参与比较'."""
        if self.key is None:
            return ""
        w, (n, m), u = words(lang), self.counts(), self._unit(lang)
        what = UNSTATED_WHAT[self.key[0]][1 if lang == "en" else 0] if self.key[0] in UNSTATED_WHAT \
            else w["what"].format(label=self.label(lang))
        text = w["compares"].format(what=what, n=n, u=u)
        if self.per_report and lang == "en":
            text = text.replace(f" ({n} {u})", f" ({n})")            # "reports (104)", not "reports (104 reports)"
        if m:
            text += ("; " if lang == "en" else "；") + w["others_reports" if self.per_report else "others"].format(m=m, u=u)
        return _singular(text[:1].upper() + text[1:]) if lang == "en" else text

    def short(self, lang: str) -> str:
        """The same in a card's room: '比较2026年年内累计（24地，另15地期间不同）'."""
        if self.key is None:
            return ""
        w, (n, m), u = words(lang), self.counts(), self._unit(lang)
        text = w["short_others" if m else "short"].format(label=self.label(lang), n=n, m=m, u=u)
        return _singular(text[:1].upper() + text[1:]) if lang == "en" else text


def split(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, tuple | None]:
    """(compared, others, key) of any frame of latest reports, in their given order."""
    if rows is None or rows.empty:
        empty = rows if rows is not None else pd.DataFrame()
        return empty, empty, None
    keys = classes(rows)
    key = choose_class(rows, keys)
    mask = pd.Series([k == key for k in keys], index=rows.index, dtype=bool)
    return rows[mask], rows[~mask], key


def compare(rows: pd.DataFrame, code: str) -> Comparison:
    """A series' latest reports (one metric and measure, one row per place): the compared
    ones best first by the metric's direction of good, the others by place name."""
    compared, others, key = split(rows)
    compared = keymetrics.best_first(compared, code) if len(compared) else compared.reset_index(drop=True)
    if len(others) and "place_name" in others.columns:
        others = others.sort_values("place_name", kind="mergesort")
    return Comparison(compared.reset_index(drop=True), others.reset_index(drop=True), key)


def changes(latest: pd.DataFrame) -> Comparison:
    """The latest reported changes of a view (any metric, any place), split by one period:
    the overview's 'what changed' chart and the packs' changes table compare the same ones."""
    ch = latest[latest["measure"] == "change"] if latest is not None and len(latest) else latest
    if ch is None or ch.empty:
        empty = ch if ch is not None else pd.DataFrame()
        return Comparison(empty, empty, None, per_report=True)
    compared, others, key = split(ch)
    return Comparison(compared.reset_index(drop=True), others.reset_index(drop=True), key, per_report=True)
