"""The initiatives treemap at 1024 and 1400 px, in Chinese and English: every box is named
where a reader can see it, in the box or in the note under the chart; none is a nameless
colour the reader must hover to identify.

Why measured in the browser: Plotly decides in the page which labels fit (uniformtext
'hide' draws a label too big for its box with display: none), so which boxes go unnamed is
known only from what the browser drew.
"""
from __future__ import annotations

import html

import pytest

from . import streamlit_ui as ui

#: every box: its id, its label as given to Plotly, and whether its label was drawn
_SLICES_JS = """(root) => {
  const gd = root.querySelector('.js-plotly-plot');
  const tr = gd.data[0];
  const label = Object.fromEntries(tr.ids.map((id, i) => [id, tr.labels[i]]));
  return [...gd.querySelectorAll('.treemaplayer g.slice')].map(g => {
    const d = g.__data__ && g.__data__.data && g.__data__.data.data;
    const t = g.querySelector('text.slicetext');
    const shown = !!t && getComputedStyle(t).display !== 'none' && t.getBoundingClientRect().width > 0
                  && t.textContent.trim().length > 0;
    return {id: d ? d.id : null, label: d ? (label[d.id] ?? null) : null, shown};
  }).filter(s => s.label !== null);
}"""


def _plain(label: str, lang: str) -> str:
    """A label as written before it was wrapped for its box (charts.wrap_label)."""
    return html.unescape(label.replace("<br>", " " if lang == "en" else ""))


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_treemap_box_is_named_in_its_box_or_under_the_chart(server, chromium, width, lang):
    context = chromium.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        ui.goto(page, f"{server.url}/{ui.PATHS['initiatives']}?lang={lang}")
        ui.wait_marks(page, "in_treemap")
        ui.wait_idle(page)
        page.wait_for_timeout(800)
        slices = ui.chart(page, "in_treemap").evaluate(_SLICES_JS)
        assert len(slices) >= 8, slices
        note = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        unnamed = [s for s in slices if not s["shown"] and _plain(s["label"], lang) not in note]
        assert not unnamed, (unnamed, note[:300])
        hidden = [s for s in slices if not s["shown"]]
        if hidden:      # the test warehouse has one box too small at 1024 px: it is the note's
            assert ("较小的方块" in note) if lang == "zh" else ("Smaller boxes" in note)
        assert ui.error_elements(page) == []
    finally:
        context.close()
