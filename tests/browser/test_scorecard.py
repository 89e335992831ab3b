"""The county scorecard at 1024 px: the county and at least three metric columns in one screen,
in both languages, each short header explained by its tooltip and by the legend under it.

Why through the websocket: the grid draws on a canvas; the column widths and header tooltips
it draws with are what the server sends (see test_grid_widths.py), and the width the grid has
is the browser's. Before the headers were shortened, "Telecom and online fraud cases (change)
(%)" left room for one metric column at 1024 px.
"""
from __future__ import annotations

import pytest

from . import streamlit_ui as ui
from .test_grid_widths import grids, listen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_shows_three_metrics_at_1024_with_explained_headers(server, chromium, lang):
    context = chromium.new_context(viewport={"width": 1024, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        frames = listen(page)
        ui.goto(page, f"{server.url}/{ui.PATHS['counties']}?lang={lang}")
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        ui.wait_idle(page)
        board = grids(list(frames))[0]            # the scorecard is the page's first grid
        cols = [c for c in board["table"].columns if c in board["config"] and not str(c).startswith("_")]
        county, metrics = cols[0], cols[1:]
        assert len(metrics) >= 3, cols
        room = page.locator('[data-testid="stDataFrame"]').first.evaluate("el => el.getBoundingClientRect().width")
        used = sum(board["config"][c]["width"] for c in [county] + metrics[:3])
        assert used <= room, f"{used}px for the county and three metrics, the grid has {room}px: {cols}"
        for c in metrics:
            helptext = board["config"][c].get("help") or ""
            # the tooltip says what the short header stands for and which period it compares
            assert len(helptext) > len(c) and ("比较" in helptext if lang == "zh" else "compare" in helptext.lower()), (c, helptext)
        legend = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
        assert all(any(str(c) in t for t in legend) for c in metrics), (metrics, legend)
    finally:
        context.close()
