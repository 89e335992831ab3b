"""How a corrected figure is worded wherever people read it: chart hovers, source tables,
the Figures page and the three briefing packs (issue 9).

Why one module: the same figure must say the same thing on a chart, in a table and in a
pack, and it must name the corrections that changed it. The words come from
figures_effective's `review_log` (JSON, etl.corrections.review_log: every live correction
and confirmation, oldest first), not from reviewed_by/at/reason, which describe the last
record whatever it was: a figure corrected by 张三 and confirmed a week later by 李四 is
"经张三于…更正，理由：…", and the confirmation is only mentioned after it.

No Streamlit here: the packs are also built by the command line.
"""
from __future__ import annotations

import json

import pandas as pd

from dashboard import i18n
from etl import localtime
from dashboard.i18n import t

#: the sign beside a corrected value (charts, tables, packs)
MARK = "✎"


def _text(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def is_corrected(row) -> bool:
    """NULL (no review record, or a query without the column) reads as not corrected."""
    v = row.get("corrected") if hasattr(row, "get") else None
    if v is None or (not isinstance(v, (bool, str)) and pd.isna(v)):
        return False
    return bool(v)


def records(row) -> list[dict]:
    """The figure's live correct/confirm records, oldest first ([] when there are none)."""
    raw = _text(row.get("review_log")) if hasattr(row, "get") else ""
    if not raw:
        return []
    try:
        got = json.loads(raw)
    except ValueError:
        return []
    return [r for r in got if isinstance(r, dict)]


def _day(at) -> str:
    """The local day of a record's time (北京时间 unless PINGAN_TZ says otherwise); the log keeps UTC."""
    return localtime.day(at)


def events(row) -> list[tuple[str, str, str]]:
    """(by, day, reason) of each correction that changed the figure, oldest first.

    One correction of several fields is one event (the fields share who, when and why).
    A row without review_log (an older query) falls back to the last review record.
    """
    recs = records(row)
    if not recs:
        if not is_corrected(row):
            return []
        return [(_text(row.get("reviewed_by")) or "?", _day(row.get("reviewed_at")),
                 _text(row.get("review_reason")))]
    out: list[tuple[str, str, str]] = []
    seen = set()
    for r in recs:
        if r.get("action") != "correct":
            continue
        key = (_text(r.get("by")), _text(r.get("at")), _text(r.get("reason")))
        if key in seen:
            continue
        seen.add(key)
        out.append((key[0] or "?", _day(key[1]), key[2]))
    return out


def _one(by: str, day: str, reason: str, lang: str) -> str:
    if lang == "en":
        return f"corrected by {by} on {day}, reason: {reason or '—'}"
    return f"经{by}于{day}更正，理由：{reason or '—'}"


def confirmation(row, lang: str) -> str:
    """'其后经李四于…确认' when the figure was confirmed after its last correction, else ''."""
    recs = records(row)
    last_fix = max((i for i, r in enumerate(recs) if r.get("action") == "correct"), default=None)
    if last_fix is None:
        return ""
    later = [r for r in recs[last_fix + 1:] if r.get("action") == "confirm"]
    if not later:
        return ""
    r = later[-1]
    return t("corr_confirmed_after", lang, by=_text(r.get("by")) or "?", at=_day(r.get("at")))


def statement(row, lang: str) -> str:
    """'经张三于2024-05-06更正，理由：…' (several corrections joined), '' for an uncorrected row;
    a later confirmation is added after it."""
    ev = events(row) if is_corrected(row) else []
    if not ev:
        return ""
    sep = "; " if lang == "en" else "；"
    text = sep.join(_one(by, day, reason, lang) for by, day, reason in ev)
    conf = confirmation(row, lang)
    return f"{text}{sep}{conf}" if conf else text


def _value(field: str | None, v, lang: str) -> str:
    s = _text(v)
    if not s or s == "—":
        return "—"
    if field == "measure":
        return i18n.measure(s, lang) or s
    if field == "direction":
        return i18n.direction(s, lang) or s
    if field == "metric":
        from etl import reference
        m = reference.metrics().get(s)
        return i18n.name(m.name_zh, m.name_en, lang) if m else s
    if field == "initiative":
        from etl import reference
        ini = reference.initiatives().get(s)
        return i18n.name(ini.name_zh, ini.name_en, lang) if ini else s
    # a unit stays as written: in English 起 and 件 are both "cases", and the change would vanish
    if field == "period":
        return i18n.period(s, lang) or s
    return s


def changes(row, lang: str) -> str:
    """'数值：120 → 4321；单位：起 → 件' — what the live corrections changed, in the reader's words."""
    parts = []
    for r in records(row):
        if r.get("action") != "correct":
            continue
        f = _text(r.get("field"))
        parts.append(f"{t('corr_field_' + f, lang)}{': ' if lang == 'en' else '：'}"
                     f"{_value(f, r.get('before'), lang)} → {_value(f, r.get('after'), lang)}")
    if not parts and is_corrected(row):
        return _text(row.get("correction_note"))
    return ("; " if lang == "en" else "；").join(parts)


def cell(row, lang: str) -> str:
    """A source table's correction cell: '✎ 经张三于2024-05-06更正，理由：…', '' otherwise."""
    s = statement(row, lang)
    return f"{MARK} {s}" if s else ""
