"""Conclusions written from the data, the way a 简报 opens: what fell, what rose, best, worst.

One sentence per key metric, built from the same chosen series and best-first order as the
dashboard (dashboard.keymetrics): the area's own figure if reported, how many counties
report it, how many moved which way, and the best and worst county with their periods.
Numbers carry their note number [n]; the notes (outlet and date) and the file names live
at the end of the pack, never in these sentences.
"""
from __future__ import annotations

import pandas as pd

from dashboard import cards, i18n
from dashboard.briefing.collect import KeyMetric, Pack


def _per(row, lang: str) -> str:
    p = row.get("period")
    return i18n.period(p, lang) if isinstance(p, str) and p else ""


def _fig(pack: Pack, row) -> str:
    """'浦江县（今年1-9月同比下降45.4%）[12]' / 'Pujiang (down 45.4% year on year, Jan–Sep this year) [12]'."""
    lang = pack.lang
    text = cards.change_text(row, lang) if row["measure"] == "change" else cards.value_text(row, lang)
    per = _per(row, lang)
    star = "*" if row.get("synthetic") else ""
    place = i18n.place(row["place_name"], lang)
    if lang == "en":
        return f"{place} ({text}{', ' + per if per else ''}){star} [{int(row['ref'])}]"
    return f"{place}（{per}{text}）{star}[{int(row['ref'])}]"


def conclusion(pack: Pack, k: KeyMetric) -> str | None:
    rows, lang = k.rows, pack.lang
    if not len(rows) and not len(k.wider):
        return None
    parts = []
    for _, w in k.wider.iterrows():
        if w.get("place_level") == "province" or len(k.wider) == 1:
            parts.append(_fig(pack, w))
            break
    n = len(rows)
    hib = k.higher_is_better
    if lang == "en":
        best, worst = ("best", "worst") if hib is not None else ("highest", "lowest")
    else:
        best, worst = ("最好", "最差") if hib is not None else ("最高", "最低")
    if n:
        if k.measure == "change":
            downs = int((rows["direction"] == "down").sum())
            ups = int((rows["direction"] == "up").sum())
            moved = (f"{n} counties report it: down in {downs}, up in {ups}" if lang == "en"
                     else f"{n}个区县有报告，{downs}个下降、{ups}个上升")
        else:
            moved = f"{n} counties report it" if lang == "en" else f"{n}个区县有报告"
        parts.append(moved)
        parts.append(f"{best}: {_fig(pack, rows.iloc[0])}" if lang == "en" else f"{best}为{_fig(pack, rows.iloc[0])}")
        if n > 1:
            parts.append(f"{worst}: {_fig(pack, rows.iloc[-1])}" if lang == "en"
                         else f"{worst}为{_fig(pack, rows.iloc[-1])}")
    if lang == "en":
        return f"{k.name}: " + "; ".join(parts) + "."
    return f"{k.name}：" + "；".join(parts) + "。"


def conclusions(pack: Pack, limit: int = 5) -> list[str]:
    """Three to five conclusions (fewer only when fewer key metrics are reported)."""
    out = [c for c in (conclusion(pack, k) for k in pack.key_metrics) if c]
    return out[:limit]


def note_text(pack: Pack, row) -> str:
    """A numbered note as a 简报 gives it: outlet and date, then the headline (no file name)."""
    outlet = row.get("publisher") if isinstance(row.get("publisher"), str) and row.get("publisher") else None
    outlet = outlet or ("outlet not stated" if pack.lang == "en" else "来源未注明")
    date = "date unknown" if pack.lang == "en" else "日期不详"
    d = row.get("published_on")
    if d is not None and not (isinstance(d, float) and pd.isna(d)) and not pd.isna(d):
        date = pd.Timestamp(d).date().isoformat()
    title = row.get("bulletin_title") if isinstance(row.get("bulletin_title"), str) else ""
    if pack.lang == "en":
        return f"[{int(row['ref'])}] {outlet}, {date}" + (f", “{title}”" if title else "")
    return f"[{int(row['ref'])}] {outlet}，{date}" + (f"，《{title}》" if title else "")
