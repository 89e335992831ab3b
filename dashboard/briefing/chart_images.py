"""PNG charts for the Word 简报, drawn offline by kaleido driving a local Chromium.

Word has no native chart python-docx can write, so the 简报 carries pictures. kaleido 1.x
needs a Chrome/Chromium binary; we look for it ourselves first so that a machine without
one gets a sentence saying what to install, not a traceback from deep inside kaleido.
`BROWSER_PATH` (the variable kaleido's browser layer already honours) picks a binary.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from dashboard.briefing import labels as L
from dashboard.briefing.collect import BriefingError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ACCENT = "#1F4E79"
_lock = threading.Lock()
_server_for: str | None = None


def find_browser() -> str:
    """Path of the browser kaleido will drive, or a BriefingError saying how to get one."""
    forced = os.environ.get("BROWSER_PATH")
    if forced:
        if Path(forced).is_file() and os.access(forced, os.X_OK):
            return forced
        raise BriefingError(
            f"BROWSER_PATH={forced}: no executable Chromium there; the Word 简报 draws its charts "
            "with Chromium (Debian: `sudo apt-get install chromium`), or unset BROWSER_PATH")
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise BriefingError(
        "Word 简报 needs Chromium to draw its charts, and none was found on PATH "
        f"(looked for {', '.join(BROWSERS)}): install it (Debian: `sudo apt-get install chromium`) "
        "or set BROWSER_PATH to a Chrome/Chromium binary")


def _ensure_server(browser: str) -> None:
    """kaleido's sync server costs ~2 s to start and ~0.15 s per image after: start it once."""
    global _server_for
    import kaleido
    if _server_for == browser:
        return
    if _server_for is not None:
        kaleido.stop_sync_server(silence_warnings=True)
    os.environ["BROWSER_PATH"] = browser   # the browser layer reads it when it launches
    kaleido.start_sync_server(silence_warnings=True)
    _server_for = browser


def warm_up() -> threading.Thread:
    """Launch Chromium in the background while the caller reads the warehouse.

    The first image of a process costs ~2–3 s (the browser starting); doing that while the
    pack is collected takes it off the critical path. Errors are left for to_png to report.
    """
    browser = find_browser()

    def run():
        import kaleido
        with _lock:
            try:
                _ensure_server(browser)
                kaleido.calc_fig_sync(go.Figure(), opts={"format": "png", "width": 10, "height": 10})
            except Exception:
                pass

    thread = threading.Thread(target=run, name="kaleido-warm-up", daemon=True)
    thread.start()
    return thread


#: more places than this: two panels side by side, sharing one axis, so a chart of 40
#: counties stays half a page high and every county keeps its name beside its bar
PANEL_ROWS = 20


def bar_chart(title: str, places: list[str], values: list[float], labels: list[str], unit: str,
              colors: list[str] | None = None, lang: str = "zh", axis: tuple[float, float] | None = None,
              outlined: list[bool] | None = None) -> go.Figure:
    """Horizontal bars, every place named beside its bar, labels outside; best at the top.

    The value axis leaves room beyond the longest bar for its label, so a fall (drawn to the
    left) never writes its label over the place names. ``outlined`` marks the bars whose value
    a reviewer corrected with the dark outline the slides and the dashboard use: a picture in
    Word is read without its appendix, and a corrected value must say so where it is drawn."""
    from plotly.subplots import make_subplots
    from dashboard.cards import qualified
    span = max([abs(v) for v in values] or [1])
    lo, hi = min([0.0] + values), max([0.0] + values)
    colors = colors or [ACCENT] * len(values)
    outlined = outlined or [False] * len(values)
    from dashboard.charts import CORRECTED_LINE
    panels = 2 if len(places) > PANEL_ROWS else 1
    per = (len(places) + panels - 1) // panels
    fig = make_subplots(rows=1, cols=panels, shared_xaxes=False, horizontal_spacing=0.22 if panels > 1 else 0.1)
    for i in range(panels):
        sl = slice(i * per, (i + 1) * per)
        fig.add_trace(go.Bar(x=values[sl], y=places[sl], orientation="h", text=labels[sl], textposition="outside",
                             marker=dict(color=colors[sl], line=dict(
                                 color=CORRECTED_LINE, width=[2.5 if c else 0 for c in outlined[sl]])),
                             cliponaxis=False, textfont_size=12), row=1, col=i + 1)
        fig.update_yaxes(autorange="reversed", automargin=True, tickfont_size=12, row=1, col=i + 1)
        fig.update_xaxes(range=list(axis) if axis else [lo - (0.35 * span if lo < 0 else 0),
                                                         hi + (0.35 * span if hi > 0 else 0)],
                         zeroline=True, zerolinecolor="#444", row=1, col=i + 1)
    fig.update_layout(
        title=dict(text=qualified(title, unit, lang), x=0.01),   # 'Police incidents (all, change, %)'
        font=dict(family=L.CJK_FONT, size=13), template="simple_white", bargap=0.25,
        margin=dict(l=10, r=40, t=50, b=30), height=max(260, 70 + 24 * per), width=900, showlegend=False)
    return fig


def to_png(figs: list[go.Figure]) -> list[bytes]:
    """Render figures to PNG bytes through one kaleido server."""
    if not figs:
        return []
    browser = find_browser()
    import kaleido
    with _lock:
        try:
            _ensure_server(browser)
            return [kaleido.calc_fig_sync(f, opts={"format": "png", "scale": 1.5}) for f in figs]
        except BriefingError:
            raise
        except Exception as exc:
            raise BriefingError(f"{browser}: Chromium could not draw the charts "
                                f"({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
                                ) from None
