"""Headline cards for the key metrics: the same words on the overview and in the packs.

A card answers "how is the chosen area doing on this metric": the area's own latest
figure when the bulletins give one (a county chosen in the filter, a city's or the
province's own figure), else how many places report it and, for a change, in how many it
moved the good way; then the best and the worst place by the metric's direction of good.
The delta compares like with like only: the same place, metric, measure and period kind,
and for a year-to-date figure the same months of the year before.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from dashboard import comparable, i18n, keymetrics


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (not isinstance(v, str) and pd.isna(v))


def series_label(name: str, measure: str, lang: str) -> str:
    """A series as a reader names it: a change or a share says so; a count is the metric's name."""
    word = {"change": ("变化", "change"), "share": ("占比", "share")}.get(measure)
    return qualified(name, word[1] if lang == "en" else word[0], lang) if word else name


def qualified(name: str, word: str, lang: str) -> str:
    """'警情总数（变化）', and one bracket for two words: 'Police incidents (all, change)',
    never 'Police incidents (all) (change)'."""
    if not word:
        return name
    if lang == "en":
        return f"{name[:-1]}, {word})" if name.endswith(")") else f"{name} ({word})"
    return f"{name[:-1]}，{word}）" if name.endswith("）") else f"{name}（{word}）"


def value_text(row, lang: str) -> str:
    """A figure as a reader reads it: '下降46.7%', 'over 23 million yuan'."""
    if row.get("measure") == "change":
        text = i18n.fmt_change(row["value"], row["unit"], row.get("qualifier"), row.get("direction"), lang)
    else:
        text = i18n.fmt_value(row["value"], row["unit"], row.get("qualifier"), lang)
    return text


def change_text(row, lang: str) -> str:
    """A reported change with what it compares with, as written: '同比下降46.7%'."""
    basis = keymetrics.comparison_basis(row.get("sentence"), row.get("raw"))
    body = value_text(row, lang)
    if not basis:
        return body
    return f"{basis}{body}" if lang != "en" else f"{body} {keymetrics.basis_text(basis, lang)}"


#: kinds whose period falls in one year, so a period written without its year can be given one
_DATED = ("ytd", "year", "half", "quarter", "month", "span")


def dated_period(row, lang: str) -> str:
    """The period as written, with the year the bulletin meant: a 2025 bulletin's 今年1至8月 on a
    2026 meeting screen reads as 2026's, so it is shown as 2025年1至8月 ('Jan–Aug 2025'); a
    period with no year (1-8月) gets its year too. The year comes from the resolved period
    (period_end, period_start); without one the period stays as written."""
    import re
    text = row.get("period")
    if not isinstance(text, str) or not text.strip():
        return ""
    end, start = row.get("period_end"), row.get("period_start")
    year = None if _nan(end) else pd.Timestamp(end).year
    first = None if _nan(start) else pd.Timestamp(start).year
    kind = row.get("period_kind")
    if lang == "en":
        out = i18n.period(text, lang)
        if year is None:
            return out
        out = out.replace("since the start of the year", f"since the start of {year}")
        out = re.sub(r"\bthis year\b", str(year), out)
        if first is not None:
            out = re.sub(r"\blast year\b", str(first), out)
        if kind in _DATED and not re.search(r"\b(19|20)\d\d\b", out):
            out = f"{out} {year}"
        return out
    if year is None:
        return text
    out = re.sub(r"今年|本年", f"{year}年", text)
    if first is not None:
        out = re.sub(r"去年|上年", f"{first}年", out)
    if kind in _DATED and not re.search(r"(19|20)\d\d", out):
        head = re.match(r"截至|截止到|截止|至", out)       # 截至10月底 -> 截至2025年10月底
        out = f"{head.group(0)}{year}年{out[head.end():]}" if head else f"{year}年{out}"
    return out.replace("年年", "年")


def place_figure(row, lang: str) -> str:
    """'莲都区（今年1-5月同比下降29.8%）', 'Liandu (down 29.8% year on year, Jan–May this year)':
    a place's figure with its period, so two places' numbers are never read as one period's."""
    text = change_text(row, lang) if row.get("measure") == "change" else value_text(row, lang)
    per = dated_period(row, lang)
    place = i18n.place(row["place_name"], lang)
    if lang == "en":
        return f"{place} ({text}{', ' + per if per else ''})"
    return f"{place}（{per}{text}）"


def _end_month(row):
    d = row.get("period_end")
    if _nan(d):
        return None
    d = pd.Timestamp(d)
    return d.year, d.month


def previous_comparable(reports: pd.DataFrame, row) -> tuple[object, str] | None:
    """The report `row` can be compared with, and how ('same_period' or 'previous').

    Same place, metric, measure and period kind, published before it, in the same unit. A
    year-to-date figure compares with the same months of the year before (1-9月 with last
    year's 1-9月); without one it has no comparison: a line through January would show a
    fall that is only the new year starting.
    """
    if reports is None or reports.empty or _nan(row.get("published_on")):
        return None
    r = reports[(reports["place_key"] == row["place_key"]) & (reports["metric"] == row["metric"])
                & (reports["measure"] == row["measure"]) & (reports["figure_id"] != row["figure_id"])
                & (reports["unit"] == row["unit"]) & reports["published_on"].notna()]
    r = r[r["period_kind"] == row.get("period_kind")]
    r = r[pd.to_datetime(r["published_on"]) < pd.Timestamp(row["published_on"])]
    if r.empty:
        return None
    if row.get("period_kind") == "ytd":
        em = _end_month(row)
        if em is None:
            return None
        same = [i for i, (_, x) in enumerate(r.iterrows()) if _end_month(x) == (em[0] - 1, em[1])]
        return (r.iloc[same[0]], "same_period") if same else None
    if row.get("period_kind") in ("unknown", "since"):
        return None          # 'since when' is not stated: two such reports need not cover the same time
    return r.iloc[0], "previous"


WORDS = {
    "zh": {"same_period": "较去年同期", "previous": "较上次报告", "flat": "持平", "places": "{n} 地报告",
           "moved": "{k}/{n} 地{word}", "best": "最好", "worst": "最差", "highest": "最高", "lowest": "最低",
           "down": "下降", "up": "上升", "pp": "个百分点"},
    "en": {"same_period": "vs same period last year", "previous": "vs previous report", "flat": "no change",
           "places": "{n} places reporting", "moved": "{word} in {k} of {n} places", "best": "best",
           "worst": "worst", "highest": "highest", "lowest": "lowest", "down": "down", "up": "up",
           "pp": "percentage points"},
}


def delta_text(row, prev, how: str, lang: str) -> tuple[str, str]:
    """('+750万元 较去年同期（今年1-9月）', arrow) with arrow 'off' when nothing changed.

    A rate's difference is in 个百分点 (percentage points), never in %."""
    w = WORDS["en" if lang == "en" else "zh"]
    diff = float(row["value"]) - float(prev["value"])
    when = i18n.period(prev.get("period"), lang) if not _nan(prev.get("period")) else ""
    if not when:
        when = pd.Timestamp(prev["published_on"]).date().isoformat()
    tail = f"{w[how]}（{when}）" if lang != "en" else f"{w[how]} ({when})"
    if abs(diff) < 1e-9:
        return f"{w['flat']} {tail}", "off"
    unit = row["unit"]
    if unit == "%" or row.get("measure") in ("rate", "share"):
        amount = f"{i18n.number(abs(diff), lang)}{'' if lang != 'en' else ' '}{w['pp']}"
    else:
        amount = i18n.fmt_value(abs(diff), unit, None, lang)
    # ASCII sign: Streamlit draws its arrow from it
    return f"{'+' if diff > 0 else '-'}{amount} {tail}", "auto"


@dataclass
class Card:
    metric: str
    measure: str
    label: str
    value: str
    higher_is_better: bool | None
    rows: pd.DataFrame                      # county-level latest reports, best first
    area: object = None                     # the area's own figure, if reported
    delta: str | None = None
    delta_arrow: str = "auto"
    best: object = None
    worst: object = None
    n_places: int = 0
    n_good: int = 0
    n_bad: int = 0
    caption: str = ""
    where: str = ""                         # the area's figure: which place and period it covers
    compared: str = ""                      # which period the places are compared over, and how many are not
    others: pd.DataFrame | None = None      # latest reports of other periods: not ranked, not counted
    figure_ids: list = field(default_factory=list)

    @property
    def delta_color(self) -> str:
        """Streamlit's delta colour by the direction of good: a rise in response time or in
        crime is drawn red ('inverse'), a rise in disputes resolved green; grey with none."""
        return "off" if self.higher_is_better is None else ("normal" if self.higher_is_better else "inverse")


def area_key(filters) -> tuple[str, str] | None:
    """(place_key, level) of the area the filters choose, when they choose exactly one."""
    if len(filters.counties) == 1:
        return filters.counties[0], "county"
    if not filters.counties and len(filters.cities) == 1:
        return filters.cities[0], "city"
    return None


def build(latest: pd.DataFrame, key: pd.DataFrame, filters, lang: str, names: dict[str, str],
          reports_of=None, previous_of=None) -> list[Card]:
    """One card per chosen key series (`key` from keymetrics.choose, in its order).

    `names`: metric code -> name in `lang`. `reports_of(metric, measure, place_key)` gives
    the reports of the area for its delta (None: no delta); `previous_of(row)`, if given, only
    the reports previous_comparable would choose from (dashboard.queries.previous_reports: one
    row instead of a whole series), or None to fall back on reports_of."""
    w = WORDS["en" if lang == "en" else "zh"]
    want = area_key(filters)
    cards = []
    for _, k in key.iterrows():
        code, measure = k["metric"], k["measure"]
        s = latest[(latest["metric"] == code) & (latest["measure"] == measure)]
        hib = keymetrics.higher_is_better(code)
        # like with like: places are ranked, counted and called best or worst over one period only
        cmp = comparable.compare(s[s["county_level"].astype(bool)], code)
        county = cmp.rows
        area = None
        if want is not None:
            hit = s[s["place_key"] == want[0]]
            area = hit.iloc[0] if len(hit) else None
        elif not filters.counties and not filters.cities:
            prov = s[s["place_level"] == "province"]
            area = prov.iloc[0] if len(prov) == 1 else None
        name = names.get(code) or code
        card = Card(code, measure, series_label(name, measure, lang), "", hib, county, area,
                    n_places=int(s["place_key"].nunique()), compared=cmp.short(lang), others=cmp.others)
        if measure == "change":
            good = [keymetrics.is_good(code, d) for d in county["direction"]]
            card.n_good, card.n_bad = sum(g is True for g in good), sum(g is False for g in good)
        if area is not None:
            card.value = change_text(area, lang) if measure == "change" else value_text(area, lang)
            # a number in a meeting says where and when: 浙江省 · 今年1至9月
            card.where = " · ".join(x for x in (i18n.place(area["place_name"], lang),
                                                 dated_period(area, lang)) if x)
            if reports_of is not None and measure != "change":
                reports = previous_of(area) if previous_of is not None else None
                if reports is None:
                    reports = reports_of(code, measure, area["place_key"])
                found = previous_comparable(reports, area)
                if found:
                    card.delta, card.delta_arrow = delta_text(area, found[0], found[1], lang)
            card.figure_ids = [area["figure_id"]]
        elif measure == "change" and len(county):
            downs = int((county["direction"] == "down").sum())
            card.value = w["moved"].format(k=downs, n=len(county), word=w["down"])
        else:
            card.value = w["places"].format(n=card.n_places)
        if len(county) >= 1:
            card.best = county.iloc[0]
            card.worst = county.iloc[-1] if len(county) > 1 else None
            hi, lo = (w["best"], w["worst"]) if hib is not None else (w["highest"], w["lowest"])
            parts = [f"{hi}: {place_figure(card.best, lang)}"]
            if card.worst is not None:
                parts.append(f"{lo}: {place_figure(card.worst, lang)}")
            card.caption = " · ".join(parts)
            card.figure_ids += [r["figure_id"] for r in (card.best, card.worst) if r is not None]
        cards.append(card)
    return cards
