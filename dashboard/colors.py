"""One colour per county, the same on every page and in every chart.

Why by position in the code list: consecutive GB codes are the counties of one city, so
walking a 50-colour palette along the sorted codes gives the counties of a city distinct
colours, and the assignment does not depend on which counties the current filter shows.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import plotly.express as px

#: 50 colours (Dark24 then Alphabet): with 24 the same colour came back every 24 counties,
#: and counties of different cities shared near-identical oranges in the same legend
PALETTE: tuple[str, ...] = tuple(dict.fromkeys(px.colors.qualitative.Dark24
                                               + px.colors.qualitative.Alphabet))
#: diverging bars: green for changes the metric wants, red for the others, grey if unknown
GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#757575"
#: counties with no report: a flat mid grey no scale ever reaches (scales below start and end in colour)
NO_DATA = "#c8c8c8"
#: 0 = worst, 1 = best: red through pale yellow to green
GOOD_BAD_SCALE = [[0.0, "#b71c1c"], [0.25, "#ef8a62"], [0.5, "#fee08b"], [0.75, "#91cf60"], [1.0, "#1a7837"]]
#: no direction of good: one blue hue, light to dark, never grey
NEUTRAL_SCALE = [[0.0, "#9ecae1"], [1.0, "#08306b"]]
DEMO_PATTERN = "/"


def _hash_index(code: str) -> int:
    return int(hashlib.sha1(code.encode("utf-8")).hexdigest(), 16) % len(PALETTE)


@lru_cache(maxsize=64)
def _assignment(codes: tuple[str, ...]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sorted(set(codes)))}


def county_colors(all_codes, shown=None) -> dict[str, str]:
    """code -> colour for `shown` (default: all), stable for a given directory of codes."""
    table = _assignment(tuple(sorted(str(c) for c in all_codes if c)))
    keys = all_codes if shown is None else shown
    return {str(c): table.get(str(c), PALETTE[_hash_index(str(c))]) for c in keys if c}
