"""Times as staff read them: local time (北京时间 by default), while every store keeps UTC.

Why: the corrections log, the inbox's records and the accounts store write UTC (one clock
for several server processes and the command line), but the users are Chinese bureaus; a
correction made at 08:30 in Hangzhou is 00:30 UTC, and one made at 01:00 is dated the day
before in UTC. So the read side converts at the moment it words a time, in one place.

`PINGAN_TZ` names the zone (an IANA name: `Asia/Shanghai`, `UTC`, `Europe/Berlin`); unset or
unknown, it is Asia/Shanghai. Every time column says which zone it shows (`label`).
No Streamlit here: the briefing packs and the command line (`etl corrections`) word times too.
"""
from __future__ import annotations

import os
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

ENV = "PINGAN_TZ"
DEFAULT = "Asia/Shanghai"
#: zones that keep China Standard Time (the tz database's old names for it included)
_BEIJING = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"}


@lru_cache(maxsize=8)
def _zone(name: str) -> tuple[str, ZoneInfo]:
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT, ZoneInfo(DEFAULT)


def zone() -> tuple[str, ZoneInfo]:
    """(name, zone) from PINGAN_TZ, read on each call so a test or a restart can change it."""
    return _zone((os.environ.get(ENV) or "").strip() or DEFAULT)


def local(at) -> pd.Timestamp | None:
    """A stored time (ISO text with an offset, or a naive UTC timestamp) in the local zone."""
    if at is None or (isinstance(at, float) and at != at) or (isinstance(at, str) and not at.strip()):
        return None
    try:
        ts = pd.Timestamp(at)
    except (TypeError, ValueError):
        return None
    if pd.isna(ts):
        return None
    if ts.tzinfo is None:      # the stores write UTC; DuckDB hands it back without a zone
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(zone()[1])


def day(at) -> str:
    """'2026-12-08': the local calendar day of a stored time ('' when there is none)."""
    ts = local(at)
    return "" if ts is None else ts.date().isoformat()


def minute(at) -> str:
    """'2026-12-08 01:30': a stored time to the minute, local ('' when there is none)."""
    ts = local(at)
    return "" if ts is None else ts.strftime("%Y-%m-%d %H:%M")


def label(lang: str = "zh") -> str:
    """The zone as a column heading says it: 北京时间 / Beijing time, else the zone's name."""
    name = zone()[0]
    if name in _BEIJING:
        return "Beijing time" if lang == "en" else "北京时间"
    return name
