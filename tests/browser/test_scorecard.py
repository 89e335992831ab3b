"""The county scorecard at 1024 px (a projector, the sidebar open) and at 1400 px: every
metric column on screen at once, in both languages, no header word cut, and each short
header explained by the legend under the table.

Why measured in the page: the scorecard is an st.table (dashboard.scorecard): the browser
lays it out, so whether its last column is on screen, or a header word sticks out of its
cell, is known only from the boxes the browser drew. Before the table, the scorecard was a
data grid whose one-line headers left room for three of its eight metrics at 1024 px; the
rest were behind a sideways scroll a bureau chief at a projector never finds.
"""
from __future__ import annotations

import pytest

from . import streamlit_ui as ui

#: the table's box, its scroll box and every header and cell, as drawn
_BOXES_JS = """(root) => {
  const table = root.querySelector('table');
  if (!table) return null;
  const rect = e => e.getBoundingClientRect();
  let scroller = table.parentElement;   // the nearest box that would scroll the table sideways
  while (scroller && scroller !== root && scroller.scrollWidth <= scroller.clientWidth + 1) scroller = scroller.parentElement;
  const main = document.querySelector('[data-testid="stMain"]');
  const heads = [...table.querySelectorAll('thead th')].map(th => {
    const inner = th.querySelector('p') || th;
    return {text: th.innerText.replace(/\\s+/g, ' ').trim(), right: rect(th).right,
            overflow: inner.scrollWidth - inner.clientWidth, lines: Math.round(rect(inner).height / 14)};
  });
  const cells = [...table.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => ({
    text: td.innerText.trim(), right: rect(td).right, overflow: td.scrollWidth - td.clientWidth})));
  return {heads, cells, tableRight: rect(table).right, rootRight: rect(root).right,
          viewport: window.innerWidth, mainRight: rect(main).right,
          sideways: scroller && scroller !== root ? scroller.scrollWidth - scroller.clientWidth : 0};
}"""


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_scorecard_is_on_screen_with_its_headers_explained(server, chromium, lang, width):
    context = chromium.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        ui.goto(page, f"{server.url}/{ui.PATHS['counties']}?lang={lang}")
        page.wait_for_selector(".st-key-co_scorecard table tbody tr", timeout=60_000)
        ui.wait_idle(page)
        page.wait_for_timeout(500)
        got = ui.chart(page, "co_scorecard").evaluate(_BOXES_JS)
        assert got, "no scorecard table"
        heads = [h["text"] for h in got["heads"]]
        county, metrics = heads[0], heads[1:]
        # the page's test warehouse has eight key series: all of them, not the first three
        assert len(metrics) >= 6, heads
        # nothing scrolls sideways and the last column ends inside the page, in view
        assert got["sideways"] <= 1, f"the scorecard scrolls {got['sideways']}px sideways: {heads}"
        right = min(got["rootRight"], got["viewport"])
        off = [h["text"] for h in got["heads"] if h["right"] > right + 1]
        assert not off, f"columns past the right edge ({right}px) at {width}px: {off}"
        # a header wraps over lines, never cut inside a word; a cell's number is whole on one line
        assert not [h for h in got["heads"] if h["overflow"] > 1], got["heads"]
        assert not [c for row in got["cells"] for c in row if c["overflow"] > 1]
        assert all(c["text"] for row in got["cells"] for c in row), "an empty cell (a gap reads as zero)"
        # every short header is explained under the table: its full name and compared period
        legend = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        missing = [m for m in metrics if m not in legend.replace("\n", " ")]
        assert not missing, (missing, legend[:400])
        assert ("比较" in legend) if lang == "zh" else ("compared" in legend)
        assert ui.error_elements(page) == []
        page.screenshot(path=str(ui_shot(f"scorecard-{width}-{lang}")), full_page=False)
    finally:
        context.close()


def ui_shot(name: str):
    from .conftest import ARTIFACTS
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
