"""The province map at 1024 px: no grey county name printed over another name.

Why in the browser: whether two names meet depends on the font and the size the chart is
drawn at, which only the browser knows. Names of counties with data are always printed (they
carry the figure); a grey name (no data, or another period) is dropped where it would meet
one (dashboard.maplabels). Before, "Keqiao", "Yuecheng" and "Shangyu" were printed on top of
each other.
"""
from __future__ import annotations

import pytest

from . import streamlit_ui as ui

_LABELS_JS = """() => {
  const gd = document.querySelector('.st-key-co_map .js-plotly-plot');
  const out = [];
  for (const t of gd.querySelectorAll('.scatterlayer .textpoint text')) {
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    out.push({text: t.textContent, fill: getComputedStyle(t).fill, l: r.left, r: r.right, t: r.top, b: r.bottom});
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_grey_county_name_is_printed_over_another(server, chromium, lang):
    context = chromium.new_context(viewport={"width": 1024, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        ui.goto(page, f"{server.url}/{ui.PATHS['counties']}?lang={lang}")
        ui.wait_marks(page, "co_map")
        page.wait_for_timeout(500)
        labels = page.evaluate(_LABELS_JS)
        assert len(labels) >= 40, len(labels)
        grey = [x for x in labels if x["fill"].replace(" ", "") in ("rgb(85,85,85)",)]
        assert grey, {x["fill"] for x in labels}
        clashes = []
        for g in grey:
            for o in labels:
                if o is g:
                    continue
                w = min(g["r"], o["r"]) - max(g["l"], o["l"])
                h = min(g["b"], o["b"]) - max(g["t"], o["t"])
                if w > 1 and h > 1:
                    clashes.append((g["text"], o["text"]))
        assert not clashes, clashes
    finally:
        context.close()
