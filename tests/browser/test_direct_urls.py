"""Every page opened by a direct link as the FIRST request of a freshly started server.

Why a new server per page: Streamlit decides at a server's first session whether the app
uses its legacy `pages/` folder mode, which runs the linked page file alone with a menu of
file names. Only a cold server shows it; a warm one has already seen app.py call
st.navigation. The dashboard must look the same either way (dashboard.layout.
leave_legacy_pages_mode).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import streamlit_ui as ui


@pytest.mark.parametrize("page_key", list(ui.ZH_TITLES))
def test_direct_link_on_fresh_server_shows_our_app(page_key, fresh_server, browser_page):
    server = fresh_server()
    page = browser_page.page
    ui.goto(page, f"{server.url}/{ui.PATHS[page_key]}")

    # our app, not Streamlit's file-name menu: Chinese titles, in our order, no "app" entry
    ui.expect_title(page, ui.ZH_TITLES[page_key])
    assert ui.nav_labels(page) == ui.NAV_ZH
    assert page.title() == f"{ui.ZH_TITLES[page_key]} · {ui.APP_TITLE_ZH}"
    assert page.url.split("?")[0] == f"{server.url}/{ui.PATHS[page_key]}"
    # the sidebar filters are there: the page went through page_setup
    expect(page.locator(".st-key-f_categories input")).to_have_count(1)

    for key in ui.PAGE_CHARTS[page_key]:
        assert ui.wait_marks(page, key) > 0, f"{page_key}: chart {key} drew nothing"
    if not ui.PAGE_CHARTS[page_key]:  # table pages: the grid holds rows
        page.wait_for_selector('[data-testid="stDataFrame"] td[role="gridcell"]', state="attached")
        assert len(ui.grid_cells(page, 0)) > 0
    ui.wait_idle(page)

    shot = browser_page.shot()
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
    assert ui.error_elements(page) == []
    assert ui.unexpected_console_errors(browser_page.errors) == []
    assert browser_page.dialogs == []
    log = server.log_text()
    assert "Traceback" not in log and "Error" not in log, log[-2000:]
