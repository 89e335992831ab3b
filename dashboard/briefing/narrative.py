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
    """The period with the year it resolved to (cards.dated_period): 2025年1至8月, not 今年1至8月."""
    return cards.dated_period(row, lang)


def _ref(row, refs: bool, lang: str = "zh") -> str:
    """'*' for a demo figure, then its note number: '*[12]' (zh), '* [12]' (en)."""
    star = "*" if row.get("synthetic") else ""
    if not refs:
        return star
    return f"{star}{' ' if lang == 'en' else ''}[{int(row['ref'])}]"


def _fig(pack: Pack, row, refs: bool = True) -> str:
    """'浦江县（1-4月同比下降45.4%）[12]' / 'Pujiang (down 45.4% year on year, Jan–Apr this year) [12]'."""
    return cards.place_figure(row, pack.lang) + _ref(row, refs, pack.lang)


def figure_with_ref(pack: Pack, row) -> str:
    """A place's figure with its period and note number: '龙游县（去年同比下降31.8%）*[40]'."""
    return _fig(pack, row)


def _area(pack: Pack, k: KeyMetric, refs: bool = True) -> str | None:
    """The area's own figure, written as a sentence's subject: '浙江省今年1至8月同比下降23.3%[250]'."""
    for _, w in k.wider.iterrows():
        if w.get("place_level") == "province" or len(k.wider) == 1:
            lang = pack.lang
            text = cards.change_text(w, lang) if w["measure"] == "change" else cards.value_text(w, lang)
            per, place = _per(w, lang), i18n.place(w["place_name"], lang)
            if lang == "en":
                return f"{place} {text}{' (' + per + ')' if per else ''}{_ref(w, refs, lang)}"
            return f"{place}{per}{text}{_ref(w, refs)}"
    return None


def _others(k: KeyMetric, lang: str, short: bool = False) -> str:
    """'另有15个区县报告期不同，未作比较': the counties left out of the comparison, if any."""
    m = len(k.others) if k.others is not None else 0
    if not m:
        return ""
    if lang == "en":
        return f"{m} of other periods left out" if short else (
            "1 more county reports another period and is not compared" if m == 1
            else f"{m} more counties report other periods and are not compared")
    return f"另{m}个期间不同" if short else f"另有{m}个区县报告期不同，未作比较"


def _moved(k: KeyMetric, lang: str, short: bool = False) -> str:
    """'比较2026年年内累计的39个区县，全部下降' / '33 counties compared (2026 year to date): 32 down,
    1 up': the counties of one period only (dashboard.comparable). `short`: a table cell's
    '39个区县（2026年年内累计），全部下降；另15个期间不同'."""
    rows, n = k.rows, len(k.rows)
    per = k.compared.label(lang) if k.compared is not None else ""
    if lang == "en":
        head = f"{n} {'county' if n == 1 else 'counties'}" + ("" if short else " compared") + (f" ({per})" if per else "")
    elif short or not per:
        head = f"{n}个区县" + (f"（{per}）" if per else "有报告")
    else:
        head = f"比较{per}的{n}个区县"
    if k.measure == "change":
        downs = int((rows["direction"] == "down").sum())
        ups = int((rows["direction"] == "up").sum())
        if lang == "en":
            head += f", all {'down' if downs == n else 'up'}" if downs == n or ups == n else f": {downs} down, {ups} up"
        else:
            head += f"，全部{'下降' if downs == n else '上升'}" if downs == n or ups == n else f"，{downs}个下降、{ups}个上升"
    tail = _others(k, lang, short) if short else ""
    return head + (("; " if lang == "en" else "；") + tail if tail else "")


def _words(k: KeyMetric, lang: str) -> tuple[str, str]:
    """best/worst when the metric has a direction of good, highest/lowest when it has none."""
    if lang == "en":
        return ("best", "worst") if k.higher_is_better is not None else ("highest", "lowest")
    return ("最好", "最差") if k.higher_is_better is not None else ("最高", "最低")


def summary_row(pack: Pack, k: KeyMetric) -> list[str]:
    """One key metric as the summary slide's row: metric, the area's figure, how many counties
    report it (and which way they moved), best and worst with their periods; no note numbers
    (a slide's sources are in its speaker notes)."""
    rows = k.rows
    return [k.name, _area(pack, k, refs=False) or "—", _moved(k, pack.lang, short=True) if len(rows) else "—",
            _fig(pack, rows.iloc[0], refs=False) if len(rows) else "—",
            _fig(pack, rows.iloc[-1], refs=False) if len(rows) > 1 else "—"]


def conclusion(pack: Pack, k: KeyMetric) -> str | None:
    """One key metric as a 简报 sentence, with the periods and note numbers of its figures:
    '电信网络诈骗案件：浙江省今年1至8月同比下降23.3%[250]。比较2026年年内累计的24个区县，全部
    下降；最好为浦江县（1-4月同比下降45.4%）[1]，最差为…[39]；另有15个区县报告期不同，未作比较。'"""
    rows, lang = k.rows, pack.lang
    if not len(rows) and not len(k.wider):
        return None
    best, worst = _words(k, lang)
    area = _area(pack, k)
    n = len(rows)
    if lang == "en":
        out = f"{k.name}: " + (f"{area}. " if area else "")
        if n:
            out += _moved(k, lang) + f"; {best}: {_fig(pack, rows.iloc[0])}"
            if n > 1:
                out += f", {worst}: {_fig(pack, rows.iloc[-1])}"
            out += (f"; {_others(k, lang)}" if _others(k, lang) else "") + "."
        return out.strip()
    out = f"{k.name}：" + (f"{area}。" if area else "")
    if n:
        out += _moved(k, lang) + f"；{best}为{_fig(pack, rows.iloc[0])}"
        if n > 1:
            out += f"，{worst}为{_fig(pack, rows.iloc[-1])}"
        out += (f"；{_others(k, lang)}" if _others(k, lang) else "") + "。"
    return out


def conclusions(pack: Pack, limit: int = 5) -> list[str]:
    """Three to five conclusions (fewer only when fewer key metrics are reported)."""
    out = [c for c in (conclusion(pack, k) for k in pack.key_metrics) if c]
    return out[:limit]


def note_text(pack: Pack, row) -> str:
    """A numbered note as a 简报 gives it: outlet and date, then the headline (no file name)."""
    from dashboard.placenames import outlet as outlet_name
    outlet = row.get("publisher") if isinstance(row.get("publisher"), str) and row.get("publisher") else None
    # an English reader gets the outlet in English and pinyin, as printed in brackets (Lishui Daily (丽水日报))
    outlet = outlet_name(outlet, pack.lang) if outlet else ("outlet not stated" if pack.lang == "en" else "来源未注明")
    date = "date unknown" if pack.lang == "en" else "日期不详"
    d = row.get("published_on")
    if d is not None and not (isinstance(d, float) and pd.isna(d)) and not pd.isna(d):
        date = pd.Timestamp(d).date().isoformat()
    title = row.get("bulletin_title") if isinstance(row.get("bulletin_title"), str) else ""
    if pack.lang == "en":
        return f"[{int(row['ref'])}] {outlet}, {date}" + (f", “{title}”" if title else "")
    return f"[{int(row['ref'])}] {outlet}，{date}" + (f"，《{title}》" if title else "")
