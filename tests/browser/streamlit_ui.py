"""What the browser tests look for in a Streamlit page, in one place.

Why a module of its own: the selectors (Streamlit's data-testid values, the `st-key-<key>`
class a keyed widget's container gets, Plotly's SVG layers, the accessible table behind the
data grid's canvas) belong to Streamlit and Plotly, not to us; when an upgrade renames one,
this is the only file to touch.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

ZH_TITLES = {"overview": "总览", "counties": "区县对比", "initiatives": "专项工作",
             "figures": "数据明细", "quality": "数据质量"}
EN_TITLES = {"overview": "Overview", "counties": "Counties", "initiatives": "Initiatives",
             "figures": "Figures", "quality": "Data quality"}
#: the menu of an editor or admin (the open single-admin mode of the test servers): the
#: review and import pages follow the read pages; a viewer's menu is the titles alone
EDITOR_ZH = {"review": "审核", "upload": "导入"}
EDITOR_EN = {"review": "Review", "upload": "Import"}
NAV_ZH = list(ZH_TITLES.values()) + list(EDITOR_ZH.values())
NAV_EN = list(EN_TITLES.values()) + list(EDITOR_EN.values())
APP_TITLE_ZH = "平安指标看板"
#: each page's own address: the default page (overview) lives at the root
PATHS = {"overview": "", "counties": "counties", "initiatives": "initiatives", "figures": "figures",
         "quality": "quality", "review": "review", "upload": "upload"}
#: charts each page draws with the test warehouse (its keys in pages/*.py)
PAGE_CHARTS = {"overview": ["ov_trend", "ov_changes"], "counties": ["co_ranking", "co_map"],
               "initiatives": ["in_treemap", "in_key_0"], "figures": [], "quality": ["dq_heat"],
               "review": [], "upload": []}

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERROR_ELEMENTS = '[data-testid="stException"], [data-testid="stAlertContentError"]'

#: Streamlit's frontend, opened at /<page>, first probes /<page>/_stcore/health and
#: /<page>/_stcore/host-config (in case the app is served under that base path), gets 404,
#: then finds the server at /. Known and open upstream (streamlit/streamlit#7074); the
#: request is made by Streamlit's own JavaScript before any of our code runs, so it is the
#: one console error we accept, and only for those two paths.
_BASE_PATH_PROBE = re.compile(
    r"^console: Failed to load resource: the server responded with a status of 404 \(Not Found\) "
    r"@ http://127\.0\.0\.1:\d+/[a-z_]+/_stcore/(health|host-config)$")

# JavaScript: how many marks a Plotly chart has drawn (bars, points, lines, heat-map
# images, sunburst slices, map canvas), read from the DOM Plotly produced, not from the figure.
_MARKS_JS = """(root) => {
  const gd = root.querySelector('.js-plotly-plot');
  if (!gd || !gd.querySelector('.main-svg')) return -1;
  const sel = ['.bars .point path', '.scatterlayer .points path', '.scatterlayer path.js-line',
               '.heatmaplayer image', '.sunburstlayer path.surface', '.treemaplayer path.surface',
               '.choroplethlayer path', 'canvas.maplibregl-canvas', 'canvas.mapboxgl-canvas'];
  let n = 0;
  for (const s of sel) n += gd.querySelectorAll(s).length;
  return n;
}"""


def goto(page: Page, url: str, timeout: float = 90_000) -> None:
    """Open a URL and wait until the script has run and the page title is drawn."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    wait_idle(page, timeout)


def wait_idle(page: Page, timeout: float = 60_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def chart(page: Page, key: str):
    return page.locator(f".st-key-{key}")


def marks(page: Page, key: str) -> int:
    """Marks drawn by the chart with widget key `key` (-1 when no Plotly SVG is there)."""
    loc = chart(page, key)
    if loc.count() == 0:
        return -1
    return loc.evaluate(_MARKS_JS)


def wait_marks(page: Page, key: str, timeout: float = 60_000) -> int:
    page.wait_for_function(f"() => {{ const r = document.querySelector('.st-key-{key}');"
                           f" return r && ({_MARKS_JS})(r) > 0; }}", timeout=timeout)
    return marks(page, key)


def figure(page: Page, key: str) -> dict:
    """The figure as Plotly holds it in the page: trace x/y/customdata and the title text."""
    return chart(page, key).evaluate("""(root) => {
      const gd = root.querySelector('.js-plotly-plot');
      const title = gd.layout.title && (gd.layout.title.text ?? gd.layout.title);
      return {title: title || '', traces: gd.data.map(t => ({x: t.x || null, y: t.y || null,
              customdata: t.customdata || null, name: t.name || ''}))};
    }""")


def nav_labels(page: Page) -> list[str]:
    """Titles in the sidebar menu (each link's text is its icon's ligature name, then the title)."""
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    return [[ln for ln in t.split("\n") if ln.strip()][-1].strip() for t in links.all_inner_texts()]


def error_elements(page: Page) -> list[str]:
    loc = page.locator(ERROR_ELEMENTS)
    return [loc.nth(i).inner_text()[:300] for i in range(loc.count())]


def unexpected_console_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not _BASE_PATH_PROBE.match(e)]


def grid_cells(page: Page, index: int | None = None) -> list[str]:
    """Cell texts of the data grids (the accessible table the grid keeps beside its canvas)."""
    scope = page.locator('[data-testid="stDataFrame"]')
    if index is not None:
        scope = scope.nth(index)
    cells = scope.locator('td[role="gridcell"]')
    return [c or "" for c in cells.all_text_contents()]


def pick_multiselect(page: Page, key: str, option: str) -> None:
    page.locator(f".st-key-{key} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def click_plotly_point(page: Page, key: str, index: int = 0) -> None:
    """A real mouse click in the middle of a bar: Plotly listens on its drag layer, not the bar."""
    bar = chart(page, key).locator(".bars .point path").nth(index)
    bar.scroll_into_view_if_needed()     # a mouse click lands only inside the viewport
    page.wait_for_timeout(300)
    box = bar.bounding_box()
    assert box, f"chart {key}: bar {index} has no box"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def expect_title(page: Page, text: str, timeout: float = 60_000) -> None:
    expect(page.locator("h1").first).to_have_text(text, timeout=timeout)
