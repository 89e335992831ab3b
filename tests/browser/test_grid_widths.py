"""Grid cells at 1024 and 1400 px, in Chinese and English: no cell of any grid cut.

Why this test reads the websocket: a grid (st.dataframe, glide-data-grid) draws its cells on
a canvas, so a cut "Lishui Developm…" or a sentence cut after a dozen characters is
invisible in the DOM text. What decides the cut is the column's width, which the server
sends with the grid's data (the Dataframe proto's column config and column order) to the
browser. The test takes both from the messages the browser receives, measures every shown
column's longest value and its header in the browser itself (canvas measureText with the
grid's font: 14 px of the page's body font, as Streamlit's theme sets it), and fails when a
column has no width of its own or one narrower than its text plus the cell padding. A
sentence is shown in grids as an excerpt around its figure (dashboard.layout.excerpt), so
the excerpt is what must fit; the whole sentence is the chosen row's detail below the grid.
"""
from __future__ import annotations

import io
import json

import pytest

from . import streamlit_ui as ui

#: pages whose grids are on screen without a click (the source tables a click opens are
#: drawn by the same dashboard.layout.figure_grid as the overview's and quality page's)
PAGES = ("overview", "counties", "initiatives", "figures", "quality", "review")
PADDING = 2 * 8        # glide-data-grid cellHorizontalPadding (Streamlit: 0.5rem)

_MEASURE_JS = """([texts, weight]) => {
  const grid = document.querySelector('[data-testid="stDataFrame"]') || document.body;
  const family = getComputedStyle(grid).fontFamily;
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${weight} 14px ${family}`;
  return texts.map(t => Math.ceil(ctx.measureText(t).width));
}"""


def _arrow(data: bytes):
    import pyarrow as pa
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas() if data else None


def grids(frames: list[bytes]) -> list[dict]:
    """Every grid the server sent, in the order received: its column config, column order,
    data and (for a styled grid) the display strings the Styler made."""
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
        shown = _arrow(df.arrow_data.styler.display_values) if df.arrow_data.HasField("styler") else None
        out.append({"config": json.loads(df.columns or "{}"), "order": list(df.column_order),
                    "table": _arrow(df.arrow_data.data or df.lazy_data.initial_chunk.data),
                    "display": shown})
    return out


def _text(v) -> str:
    """A value as the grid draws it by default: numbers plainly (16000000, 29.8)."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def grid_problems(page, frames: list[bytes], where: str) -> tuple[list[str], int]:
    """(problems, columns checked) for every grid in `frames`: a shown column without a pixel
    width, or narrower than its longest value or its header (measured in this browser)."""
    problems, checked = [], 0
    for i, g in enumerate(grids(frames)):
        table = g["table"]
        if table is None or table.empty:
            continue
        cols = [c for c in (g["order"] or list(table.columns)) if c in table.columns]
        for col in cols:
            if table[col].dtype == bool:
                continue          # a checkbox, not text
            src = g["display"][col] if g["display"] is not None and col in g["display"] else table[col]
            values = sorted({_text(v) for v in src}, key=len, reverse=True)[:40]
            values = [v for v in values if v]
            if not values:
                continue
            widths = page.evaluate(_MEASURE_JS, [values, 400])
            head_px = page.evaluate(_MEASURE_JS, [[str(col)], 400])[0]
            need = max(max(widths), head_px) + PADDING
            got = (g["config"].get(str(col)) or {}).get("width")
            checked += 1
            if not isinstance(got, int):
                problems.append(f"{where} grid {i} '{col}': no pixel width (set {got!r}); needs {need}px")
            elif got < need:
                longest = values[widths.index(max(widths))]
                problems.append(f"{where} grid {i} '{col}': {got}px < {need}px for '{longest[:60]}'")
    return problems, checked


def listen(page) -> list[bytes]:
    """The binary websocket frames the page receives from now on."""
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload) if isinstance(payload, bytes) else None))
    return frames


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_grid_column_is_as_wide_as_its_longest_value(server, chromium, width, lang):
    context = chromium.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        frames = listen(page)
        problems, checked = [], 0
        for name in PAGES:
            frames.clear()
            ui.goto(page, f"{server.url}/{ui.PATHS[name]}?lang={lang}")
            # a grid in a collapsed expander (other periods) is hidden: wait for a shown one
            page.wait_for_selector('[data-testid="stDataFrame"] >> visible=true', timeout=60_000)
            ui.wait_idle(page)
            found = grids(list(frames))
            assert found, f"{name}: no grid received"
            p, n = grid_problems(page, list(frames), name)
            problems += p
            checked += n
        assert checked >= 8 * len(PAGES), f"only {checked} columns found"
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


def test_an_excerpt_keeps_the_figure_and_stays_short():
    """A sentence in a grid: the figure in 【】 with what comes just before and after it, the
    text literally as written, never longer than the grid's cap."""
    from dashboard.layout import GRID_MAX_PX, GRID_PADDING_PX, excerpt, shorten, text_px

    long_ = "今年以来，缙云县公安局坚持和发展新时代“枫桥经验”，" * 6 + "由公安牵头化解纠纷6300余起，调解成功率达到百分之九十八以上。"
    ex = excerpt(long_, "6300余起")
    assert "化解纠纷【6300余起】" in ex and ex.startswith("…") and ex.endswith("…")
    assert ex.replace("…", "").replace("【", "").replace("】", "") in long_
    assert text_px(ex) + GRID_PADDING_PX < GRID_MAX_PX
    assert excerpt("短句120起。", "120起") == "短句【120起】。"
    assert shorten("/a/b/c/" + "x" * 80 + "/file.docx", 20, keep="start").endswith("/file.docx")
