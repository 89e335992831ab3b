"""Which county names a map can print without printing them on top of each other.

Why: the province map names 90 counties in a 560-pixel-wide chart at 1024 px; around
Hangzhou, Ningbo, Shaoxing and Quzhou the grey names of counties without data ran into each
other ("Keqiao" over "Yuecheng" over "Shangyu") and into the names of counties with data.
Names of counties with data are always printed (they carry the figure); a grey name is
printed only where its box meets no name already placed, larger counties first. Boxes are
estimated for the narrowest layout (the map at 1024 px), so a wider screen only gains room.
"""
from __future__ import annotations

import math

from dashboard.layout import text_px

#: the plot area a province map gets at 1024 px (chart height 620 less its title and legend;
#: the content column less the colour bar)
PLOT_W_PX, PLOT_H_PX = 450, 540
LINE = 1.5                     # a label's height in font sizes
#: a chart's Latin letters are Noto Sans CJK's, wider than the grid font text_px is measured for
WIDER = 1.25


def _scale(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Pixels per degree of longitude and of latitude for the map's drawn extent."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mid = (min(ys) + max(ys)) / 2
    shrink = math.cos(math.radians(mid))          # the map's y/x scale ratio (charts.county_map)
    lat_span = max(max(ys) - min(ys), 0.05)
    lon_span = max((max(xs) - min(xs)) * shrink, 0.05)
    k = min(PLOT_H_PX / lat_span, PLOT_W_PX / lon_span)   # pixels per degree of latitude
    return k * shrink, k


def _box(x: float, y: float, text: str, font_px: int, kx: float, ky: float) -> tuple[float, ...]:
    w, h = (text_px(text, font_px) * WIDER + 2) / kx / 2, font_px * LINE / ky / 2
    return x - w, y - h, x + w, y + h


def _meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def apart(fixed: list[tuple[float, float, str]], optional: list[tuple[float, float, str, float]],
          font_px: int, extent: list[tuple[float, float]]) -> list[bool]:
    """For each optional name (x, y, text, area), whether it can be printed: `fixed` names are
    printed anyway; optional ones are tried largest area first and kept where they meet none."""
    if not optional:
        return []
    kx, ky = _scale(extent or [(o[0], o[1]) for o in optional])
    placed = [_box(x, y, t, font_px, kx, ky) for x, y, t in fixed]
    keep = [False] * len(optional)
    for i in sorted(range(len(optional)), key=lambda i: -optional[i][3]):
        x, y, t, _ = optional[i]
        b = _box(x, y, t, font_px, kx, ky)
        if not any(_meets(b, p) for p in placed):
            placed.append(b)
            keep[i] = True
    return keep
