"""What a reader sees at 1024 and 1400 px, in Chinese and English: nothing cut off.

Every page (the editor's review and import pages too) is opened at both widths in both
languages, photographed into
tests/artifacts/browser/, and measured: a card's label and value, a heading, a caption or
a chart's axis label must fit its box (scrollWidth within clientWidth; tick labels inside
the figure), and the English pages carry no Chinese in their cards and chart labels.
"""
from __future__ import annotations

import pytest

from . import streamlit_ui as ui

PAGES = ("overview", "counties", "initiatives", "figures", "quality", "review", "upload")

#: elements whose text must never be clipped (Streamlit truncates metric text with an ellipsis)
_CLIPPED_JS = """() => {
  const sel = ['[data-testid="stMetricLabel"] p', '[data-testid="stMetricValue"] div',
               '[data-testid="stMetricDelta"] div', 'h1', 'h2', 'h3', '[data-testid="stCaptionContainer"]'];
  const out = [];
  for (const s of sel) for (const el of document.querySelectorAll('[data-testid="stMain"] ' + s)) {
    if (el.offsetParent === null) continue;
    if (el.scrollWidth > el.clientWidth + 2) out.push(s + ': ' + el.innerText.slice(0, 80));
  }
  for (const gd of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    const box = gd.getBoundingClientRect();
    for (const t of gd.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext, .gtitle, .bartext')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push('chart text: ' + t.textContent.slice(0, 60));
    }
  }
  return out;
}"""
_HAN_JS = """() => {
  const sel = ['[data-testid="stMetric"]', '.js-plotly-plot .ytick text', '.js-plotly-plot .legendtext'];
  const out = [];
  for (const s of sel) for (const el of document.querySelectorAll('[data-testid="stMain"] ' + s))
    if (/[\\u4e00-\\u9fff]/.test(el.textContent)) out.push(el.textContent.slice(0, 60));
  return out;
}"""


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_fits_and_is_photographed(server, chromium, width, lang):
    context = chromium.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        from .conftest import BrowserPage
        bp = BrowserPage(page, f"page-{width}-{lang}")
        problems = {}
        for name in PAGES:
            ui.goto(page, f"{server.url}/{ui.PATHS[name]}?lang={lang}")
            for key in ui.PAGE_CHARTS[name]:
                ui.wait_marks(page, key)
            page.wait_for_timeout(800)
            bp.shot(name)
            clipped = page.evaluate(_CLIPPED_JS)
            if clipped:
                problems[name] = clipped
            if lang == "en":
                han = page.evaluate(_HAN_JS)
                if han:
                    problems[f"{name} (Chinese in English view)"] = han
            assert ui.error_elements(page) == [], name
        assert not problems, problems
    finally:
        context.close()
