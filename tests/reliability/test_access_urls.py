"""Every page's address typed into a real browser, without a sign-in and with a viewer's
(issue 12, item 1h: "direct URLs to every page without a login and with a viewer's login").

tests/reliability/test_access.py runs each page file through AppTest; this is the address a
person types: `streamlit run app.py` with local accounts, Chromium, each of the seven paths
in a browser context of its own (a new session, as a pasted link is). What decides here is
app.py and st.navigation, which AppTest does not run: the gate before any page, and the
viewer's menu without the review and import pages. The first request the server ever gets
is the import page's address with no sign-in: a cold server is where Streamlit's legacy
`pages/` mode would run a page file alone (tests/browser/test_direct_urls.py).

- No sign-in: the login form and nothing else (no menu, table, chart, metric, filter,
  download or uploader), and the page's own content never drawn.
- A viewer signing in at the address: a read page opens as itself, with the viewer's menu
  (the five read pages); the review and import addresses open the overview instead, with
  nothing of the editor pages (no queue, review field, uploader).
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dashboard import accounts

pytestmark = [pytest.mark.reliability, pytest.mark.browser]

LOGIN = ".st-key-auth_name input"
PATHS = {"upload": "upload", "overview": "", "counties": "counties", "initiatives": "initiatives",
         "figures": "figures", "quality": "quality", "review": "review"}
TITLES = {"overview": "总览", "counties": "区县对比", "initiatives": "专项工作", "figures": "数据明细",
          "quality": "数据质量"}
DATA = ('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stMetric"], '
        '[data-testid="stFileUploader"], [data-testid="stDownloadButton"], '
        '[data-testid="stSidebarNav"], .st-key-f_categories, .st-key-rv_goto')
EDITOR_ONLY = ('[data-testid="stFileUploader"], .st-key-rv_goto, .st-key-rv_pick, '
               '.st-key-up_commit, .st-key-rv_batch_pick')


def test_every_address_without_and_with_a_viewer_sign_in(warehouse_dir, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from browser import streamlit_ui as ui
    from browser.conftest import CHROMIUM_ARGS, start_server

    acc = tmp_path / "accounts.sqlite"
    accounts.add(acc, "li", "viewer password", "viewer")
    accounts.add(acc, "zhang", "editor password", "editor")
    exe = os.environ.get("PINGAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        pytest.fail(f"{exe}: Chromium not found", pytrace=False)
    srv = start_server(warehouse_dir, tmp_path / "server.log", env_extra={"PINGAN_ACCOUNTS": str(acc)})
    seen: dict[str, dict] = {}

    def in_browser() -> None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)

            def fresh(path: str):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
                ctx.set_default_timeout(90_000)
                page = ctx.new_page()
                page.goto(f"{srv.url}/{path}", wait_until="domcontentloaded")
                page.wait_for_selector(LOGIN)
                ui.wait_idle(page)
                return ctx, page

            for name, path in PATHS.items():           # no sign-in; upload is the first request
                ctx, page = fresh(path)
                page.wait_for_timeout(500)              # anything a late delta would draw
                seen[name] = {"login": page.locator(LOGIN).count(),
                              "data": page.locator(DATA).count(), "nav": ui.nav_labels(page),
                              "errors": ui.error_elements(page)}
                ctx.close()
            for name, path in PATHS.items():           # a viewer signs in at the address
                ctx, page = fresh(path)
                page.locator(LOGIN).fill("li")
                page.locator(".st-key-auth_password input").fill("viewer password")
                page.get_by_role("button", name="登录").click()
                expect(page.get_by_text("当前用户：li（查看者）")).to_be_visible()
                expect(page.locator("h1").first).to_have_text(TITLES.get(name, "总览"))
                ui.wait_idle(page)
                seen[name].update({"title": page.locator("h1").first.inner_text(),
                                   "viewer_nav": ui.nav_labels(page),
                                   "editor_only": page.locator(EDITOR_ONLY).count(),
                                   "queue_text": page.get_by_text("审核队列").count(),
                                   "viewer_errors": ui.error_elements(page)})
                ctx.close()
            browser.close()

    try:
        with ThreadPoolExecutor(1) as ex:  # the browser suite's sync Playwright may hold this thread
            ex.submit(in_browser).result()
    finally:
        srv.stop()
    assert "Traceback" not in srv.log_text(), srv.log_text()[-2000:]
    for name, got in seen.items():
        assert got["login"] == 1 and got["data"] == 0 and got["nav"] == [], (name, got)
        assert got["errors"] == [] and got["viewer_errors"] == [], (name, got)
        assert got["viewer_nav"] == list(TITLES.values()), (name, got)
        assert got["editor_only"] == 0 and got["queue_text"] == 0, (name, got)
        assert got["title"] == TITLES.get(name, "总览"), (name, got)
