"""Which metrics matter first, and which way is good: one rule for every page and pack.

Why one module: the overview cards, the county scorecard, the PowerPoint, the Word 简报
and the Excel workbook must headline the same metrics and call the same county "best".
The rule is data (`data/reference/metric_priority.csv`: a priority per metric, its
direction of good, whether it may be a headline card), so staff can re-rank without code.
Derived codes (`<metric>_change`, `<metric>_share`) take their base metric's row.

The choice: among the metric series reported in the current view (a series is one metric
and one measure: a count and a change of 警情 are different series), take the most
important first (priority, then how many places report it), one series per metric, and
at most one per category until every reported category has had its turn, so the first
screen covers 警情, crime, fraud and disputes rather than three counts of drones.
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from etl.config import REFERENCE_DIR

PRIORITY_FILE = REFERENCE_DIR / "metric_priority.csv"
#: measures a headline card may show; `years` (建局周年) never
CARD_MEASURES = ("count", "change", "amount", "rate", "share", "duration")
#: a share is context (part of a whole), a level is the fact: shares rank after levels
MEASURE_PENALTY = {"share": 2.0, "duration": 0.5}
DEFAULT_PRIORITY = 9
_DERIVED = re.compile(r"_(change|share|rate)$")
#: how a reported change says what it compares with, nearest before the figure wins
_BASIS = re.compile(r"(同比|环比|较去年同期|比去年同期|与去年同期相比|较上年同期|较去年|比去年|较上年|比上年|"
                    r"较上月|比上月|较上季度)")
BASIS_EN = {"同比": "year on year", "环比": "on the previous period", "较去年同期": "on the same period last year",
            "比去年同期": "on the same period last year", "与去年同期相比": "on the same period last year",
            "较上年同期": "on the same period last year", "较去年": "on last year", "比去年": "on last year",
            "较上年": "on last year", "比上年": "on last year", "较上月": "on the previous month",
            "比上月": "on the previous month", "较上季度": "on the previous quarter"}


@dataclass(frozen=True)
class Rule:
    code: str
    priority: float
    higher_is_better: bool | None
    card: bool
    short_zh: str = ""          # a column header's name (电诈案件); empty: the metric's own name
    short_en: str = ""          # (Fraud cases): a 1024 px scorecard shows three columns, not one


class PriorityError(ValueError):
    """metric_priority.csv is malformed; the message names the file, line and reason."""


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            code = (r.get("code") or "").strip()
            if not code:
                continue
            try:
                prio = float(r.get("priority") or DEFAULT_PRIORITY)
            except ValueError:
                raise PriorityError(f"{path}:{i}: priority {r.get('priority')!r} is not a number") from None
            hib_text = (r.get("higher_is_better") or "").strip()
            if hib_text not in ("", "0", "1"):
                raise PriorityError(f"{path}:{i}: higher_is_better must be 1, 0 or empty, not {hib_text!r}")
            out[code] = Rule(code, prio, {"1": True, "0": False}.get(hib_text),
                             (r.get("card") or "1").strip() != "0",
                             (r.get("short_zh") or "").strip(), (r.get("short_en") or "").strip())
    return out


def rules() -> dict[str, Rule]:
    return _load(str(PRIORITY_FILE))


def base_code(code: str) -> str:
    return _DERIVED.sub("", str(code))


def rule(code: str) -> Rule:
    """The row of a code, or of its base metric for a derived code; unknown codes rank last."""
    table = rules()
    code = str(code)
    if code in table:
        return table[code]
    base = table.get(base_code(code))
    if base is not None:
        # a share is part of a whole: no direction of good is implied by its base
        hib = None if code.endswith("_share") else base.higher_is_better
        return Rule(code, base.priority, hib, base.card, base.short_zh, base.short_en)
    return Rule(code, DEFAULT_PRIORITY, None, False)


def short_name(code: str, lang: str, name: str) -> str:
    """The metric's short name for a column header (metric_priority.csv), else `name`."""
    r = rule(code)
    return (r.short_en if lang == "en" else r.short_zh) or name


def higher_is_better(code: str) -> bool | None:
    return rule(code).higher_is_better


def signed(value, direction) -> float:
    """A change as a signed number (下降 -> negative); levels as they are."""
    v = float(value)
    return -v if direction == "down" else v


def goodness(code: str, value: float) -> float | None:
    """Larger is better, whatever the metric: the value turned by its direction of good."""
    hib = higher_is_better(code)
    if hib is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if hib else -float(value)


def is_good(code: str, direction: str | None) -> bool | None:
    """Is a reported change in this direction good news? None when no direction of good."""
    hib = higher_is_better(code)
    if hib is None or direction not in ("up", "down"):
        return None
    return (direction == "up") == hib


def best_first(df: pd.DataFrame, code: str, value_col: str = "signed", name_col: str = "place_name") -> pd.DataFrame:
    """Rows ordered best first by the metric's direction of good (largest first if none)."""
    if df.empty:
        return df
    hib = higher_is_better(code)
    asc = hib is False
    return df.sort_values([value_col, name_col], ascending=[asc, True], kind="mergesort").reset_index(drop=True)


def choose(series: pd.DataFrame, n: int = 6) -> pd.DataFrame:
    """The key series of a view, most important first.

    `series` has one row per (metric, measure) reported in the view, with `category` and
    `n_places` (places with a latest report). Returns the chosen rows in order, with
    `priority` and `higher_is_better` added.
    """
    if series is None or series.empty:
        return pd.DataFrame(columns=["metric", "measure", "category", "n_places", "priority", "higher_is_better"])
    df = series.copy()
    df = df[(df["category"] != "other") & df["measure"].isin(CARD_MEASURES) & (df["n_places"] > 0)]
    df = df[[rule(m).card for m in df["metric"]]] if len(df) else df
    if df.empty:
        return df.assign(priority=[], higher_is_better=[])
    df["priority"] = [rule(m).priority + MEASURE_PENALTY.get(s, 0.0) for m, s in zip(df["metric"], df["measure"])]
    df["higher_is_better"] = [higher_is_better(m) for m in df["metric"]]
    df["base"] = [base_code(m) for m in df["metric"]]
    df = df.sort_values(["priority", "n_places", "metric", "measure"], ascending=[True, False, True, True],
                        kind="mergesort")
    df = df.drop_duplicates("base", keep="first")          # one series per metric
    picked: list[int] = []
    per_cat: dict[str, int] = {}
    # (index, category) pairs, not iterrows: a Series per row and pass cost ~50 µs each
    cats = list(zip(df.index, df["category"]))
    for cap in (2, 3, 99):                                   # spread over categories first
        for idx, cat in cats:
            if len(picked) >= n:
                break
            if idx in picked or per_cat.get(cat, 0) >= cap:
                continue
            picked.append(idx)
            per_cat[cat] = per_cat.get(cat, 0) + 1
    # in the order picked: the first n of a longer choice are the choice of n (overview 6, packs 8)
    return df.loc[picked].drop(columns=["base"]).reset_index(drop=True)


def series_summary(latest: pd.DataFrame) -> pd.DataFrame:
    """(metric, measure, category, n_places) of a frame of latest reports per place."""
    if latest is None or latest.empty:
        return pd.DataFrame(columns=["metric", "measure", "category", "n_places"])
    return (latest.groupby(["metric", "measure"], as_index=False)
            .agg(category=("category", "first"), n_places=("place_key", "nunique")))


def key_series(latest: pd.DataFrame, n: int = 6) -> pd.DataFrame:
    """The chosen series of a frame of latest reports per place × metric × measure."""
    return choose(series_summary(latest), n)


def comparison_basis(sentence, raw) -> str | None:
    """What a reported change compares with, as written (同比, 环比, 较去年…), or None.

    The nearest wording before the figure in its sentence; when none stands before it,
    one right after it (下降12%，同比…) is not taken: the bulletin did not say.
    """
    if not isinstance(sentence, str) or not sentence:
        return None
    i = sentence.find(raw) if isinstance(raw, str) and raw else -1
    head = sentence[:i] if i >= 0 else sentence
    found = list(_BASIS.finditer(head))
    if not found:
        return None
    return found[-1].group(1)


def basis_text(basis: str | None, lang: str) -> str:
    if not basis:
        return ""
    return basis if lang != "en" else BASIS_EN.get(basis, basis)
