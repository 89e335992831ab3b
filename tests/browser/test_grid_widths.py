"""Grid cells at 1024 and 1400 px, in Chinese and English: no name cut with an ellipsis.

Why this test reads the websocket: a grid (st.dataframe, glide-data-grid) draws its cells on
a canvas, so a cut "Lishui Developm…" is invisible in the DOM text. What decides the cut is
the column's width, which the server sends with the grid's data (the Dataframe proto's
column config) to the browser. The test takes both from the messages the browser receives,
measures each name column's longest value and its header in the browser itself (canvas
measureText with the grid's font: 14 px of the page's body font, as Streamlit's theme sets
it), and fails when a name column (place, county, metric, initiative) has no width of its
own or one narrower than its text plus the cell padding.
"""
from __future__ import annotations

import io
import json

import pytest

from . import streamlit_ui as ui

#: pages whose grids are on screen without a click (the source tables a click opens are
#: drawn by the same dashboard.layout.source_table as the quality page's tables)
PAGES = ("counties", "figures", "quality")
NAME_KEYS = ("col_place", "col_county", "col_metric", "col_initiative")
PADDING = 2 * 8        # glide-data-grid cellHorizontalPadding (Streamlit: 0.5rem)

_MEASURE_JS = """([texts, weight]) => {
  const grid = document.querySelector('[data-testid="stDataFrame"]') || document.body;
  const family = getComputedStyle(grid).fontFamily;
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${weight} 14px ${family}`;
  return texts.map(t => Math.ceil(ctx.measureText(t).width));
}"""


def _grids(frames: list[bytes]) -> list[tuple[dict, object]]:
    """(column config, data) of every grid the server sent, in the order received."""
    import pyarrow as pa
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out = []
    for raw in frames:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(raw)
        except Exception:
            continue
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        el = msg.delta.new_element
        if el.WhichOneof("type") != "dataframe":
            continue
        df = el.dataframe
        data = df.arrow_data.data or df.lazy_data.initial_chunk.data
        table = pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas() if data else None
        out.append((json.loads(df.columns or "{}"), table))
    return out


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_name_columns_are_as_wide_as_their_longest_value(server, chromium, width, lang):
    from dashboard.i18n import t

    names = {t(k, lang) for k in NAME_KEYS}
    context = chromium.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: frames.append(payload) if isinstance(payload, bytes) else None))
        problems, checked = [], 0
        for name in PAGES:
            frames.clear()
            ui.goto(page, f"{server.url}/{ui.PATHS[name]}?lang={lang}")
            page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
            ui.wait_idle(page)
            grids = _grids(list(frames))
            assert grids, f"{name}: no grid received"
            for i, (config, table) in enumerate(grids):
                if table is None:
                    continue
                for col in [c for c in table.columns if c in names]:
                    values = sorted({str(v) for v in table[col].dropna()}, key=len, reverse=True)[:40]
                    if not values:
                        continue
                    cell_px = max(page.evaluate(_MEASURE_JS, [values, 400]))
                    head_px = page.evaluate(_MEASURE_JS, [[str(col)], 400])[0]
                    need = max(cell_px, head_px) + PADDING
                    got = (config.get(str(col)) or {}).get("width")
                    checked += 1
                    if not isinstance(got, int):
                        problems.append(f"{name} grid {i} '{col}': no pixel width (set {got!r}); needs {need}px")
                    elif got < need:
                        longest = max(values, key=lambda v: page.evaluate(_MEASURE_JS, [[v], 400])[0])
                        problems.append(f"{name} grid {i} '{col}': {got}px < {need}px for '{longest}'")
        assert checked >= len(PAGES), f"only {checked} name columns found"
        assert not problems, problems
    finally:
        context.close()


def test_the_width_rule_fails_a_column_narrower_than_its_text():
    """The check itself: a width from dashboard.layout.fit_px is never below what the text needs
    by its own metric, and the widths grow with the text (a test that cannot fail proves nothing)."""
    from dashboard.layout import GRID_PADDING_PX, fit_px, text_px

    short, long_ = "Jinyun", "Lishui Development Zone"
    assert fit_px([long_]) >= text_px(long_) + GRID_PADDING_PX
    assert fit_px([short, long_]) > fit_px([short])
    assert fit_px(["丽水经济技术开发区"]) >= 9 * 14 + GRID_PADDING_PX
