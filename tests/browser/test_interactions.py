"""What a user does in the real browser, on one shared server: filters, language, clicks.

Each test starts a new browser context (a new Streamlit session), so they do not share
widget state; they share only the server, which is already warm.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from . import streamlit_ui as ui

# written for this suite (tests/conftest.py HOSTILE_TEXT): markup in a bulletin's sentence
SCRIPT_TEXT = "<script>alert('pingan')</script>"
BOLD_TEXT = "<b>坚持</b>"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_category_filter_changes_url_and_chart_and_link_round_trips(server, browser_page, chromium):
    page = browser_page.page
    ui.goto(page, f"{server.url}/counties")
    ui.wait_marks(page, "co_ranking")
    before = ui.figure(page, "co_ranking")
    assert "categories" not in query(page.url)

    ui.pick_multiselect(page, "f_categories", "矛盾纠纷")
    expect(page).to_have_url(re.compile(r"[?&]categories=disputes(&|$)"))
    # the metric picker now offers disputes metrics only, and the ranking shows one of them
    expect(page.locator(".st-key-co_metric input")).to_have_value(re.compile("纠纷"), timeout=30_000)
    page.wait_for_function("(old) => { const gd = document.querySelector('.st-key-co_ranking .js-plotly-plot');"
                           " return gd && JSON.stringify(gd.data.map(t => t.x)) !== old; }",
                           arg=json.dumps([t["x"] for t in before["traces"]]), timeout=30_000)
    ui.wait_idle(page)
    after = ui.figure(page, "co_ranking")
    assert after != before
    assert ui.marks(page, "co_ranking") > 0
    browser_page.shot("filtered")
    link = page.url
    assert ui.unexpected_console_errors(browser_page.errors) == []

    # the copied link, pasted into a new session, opens the same view
    other = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        page2 = other.new_page()
        ui.goto(page2, link)
        ui.wait_marks(page2, "co_ranking")
        assert ui.figure(page2, "co_ranking") == after
        expect(page2.locator(".st-key-f_categories")).to_contain_text("矛盾纠纷")
        assert query(page2.url) == query(link)
    finally:
        other.close()


def test_language_switch_shows_english_labels_and_link_keeps_it(server, browser_page, chromium):
    page = browser_page.page
    ui.goto(page, f"{server.url}/counties")
    ui.wait_marks(page, "co_ranking")
    page.locator(".st-key-f_lang").get_by_text("English", exact=True).click()

    ui.expect_title(page, ui.EN_TITLES["counties"])
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("Data quality")
    assert ui.nav_labels(page) == ui.NAV_EN
    expect(page.get_by_text("County ranking (latest reported value)")).to_be_visible()
    ui.wait_idle(page)
    fig = ui.figure(page, "co_ranking")
    # the chart speaks English too: no Han characters in its title
    assert fig["title"] and not re.search(r"[\u4e00-\u9fff]", fig["title"]), fig["title"]
    assert page.title() == "Counties · Ping'an Metrics"
    browser_page.shot("english")
    assert ui.unexpected_console_errors(browser_page.errors) == []

    other = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page2 = other.new_page()
        ui.goto(page2, page.url)
        ui.expect_title(page2, ui.EN_TITLES["counties"])
        assert ui.nav_labels(page2) == ui.NAV_EN
        ui.wait_marks(page2, "co_ranking")
        metric = page2.locator(".st-key-co_metric input").input_value()
        assert metric and not re.search(r"[\u4e00-\u9fff]", metric), metric
    finally:
        other.close()


def test_clicking_a_ranking_bar_shows_its_source_sentences(server, browser_page):
    page = browser_page.page
    ui.goto(page, f"{server.url}/counties")
    ui.wait_marks(page, "co_ranking")
    ui.wait_idle(page)
    fig = ui.figure(page, "co_ranking")
    county_name = fig["traces"][0]["y"][0]          # horizontal bars: names beside them
    grids_before = page.locator('[data-testid="stDataFrame"]').count()

    ui.click_plotly_point(page, "co_ranking", 0)

    heading = page.get_by_text(re.compile(r"^来源："))
    expect(heading).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(grids_before + 1)
    # the new grid sits right under the heading (the scorecard above the ranking is a table, not
    # a grid): grids on the page: this one under the ranking (0), then the profile's
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame]')][0]"
                           "?.querySelectorAll('td[role=gridcell]').length > 0", timeout=30_000)
    ui.wait_idle(page)
    cells = ui.grid_cells(page, 0)
    assert county_name in cells, (county_name, cells[:12])
    sentences = [c for c in cells if "【" in c and "】" in c]  # the figure is marked in its sentence
    assert sentences, cells[:16]
    # exactly the bar's figures: one place, one figure as written (repeats of the same report)
    marked = {c.split("【", 1)[1].split("】", 1)[0] for c in sentences}
    assert len(marked) == 1, marked
    # the profile follows the clicked county
    expect(page.locator(".st-key-co_county input")).to_have_value(county_name, timeout=30_000)
    browser_page.shot("sources")
    assert ui.error_elements(page) == []
    assert ui.unexpected_console_errors(browser_page.errors) == []


def test_bulletin_markup_is_shown_as_text_and_never_runs(server, browser_page):
    page = browser_page.page
    ui.goto(page, f"{server.url}/figures")
    box = page.locator(".st-key-fi_search input")
    box.fill("alert")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=alert(&|$)"))
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] td[role=gridcell]')]"
                           ".some(td => td.textContent.includes('</script>今年以来'))", timeout=30_000)
    ui.wait_idle(page)
    cells = ui.grid_cells(page, 0)
    # the grid's excerpt around the figure holds the characters as written, tags included
    # (the whole sentence is the chosen row's detail below)
    assert any("</script>今年以来化解矛盾纠纷【120起】" in c for c in cells), cells[:16]

    # pick the row (the grid's row-selection column, left of the first cell): its sentence is
    # shown as markdown below, where markup would be most dangerous
    grid = page.locator('[data-testid="stDataFrame"]').first.locator('[data-testid="stDataFrameResizable"]')
    gb = grid.bounding_box()
    page.mouse.click(gb["x"] + 14, gb["y"] + 35 + 17)
    detail = page.locator('[data-testid="stMarkdownContainer"]', has_text="pingan")
    expect(detail.first).to_be_visible(timeout=30_000)
    ui.wait_idle(page)
    text = detail.first.inner_text()
    assert SCRIPT_TEXT in text and BOLD_TEXT in text, text
    # as text, not as elements: no script or b element came from the bulletin
    assert page.locator("script", has_text="pingan").count() == 0
    assert detail.first.locator("b, script").count() == 0
    page.wait_for_timeout(500)
    browser_page.shot("hostile")
    assert browser_page.dialogs == []
    assert ui.error_elements(page) == []
    assert ui.unexpected_console_errors(browser_page.errors) == []


def test_no_deploy_button(server, browser_page):
    page = browser_page.page
    ui.goto(page, f"{server.url}/")
    ui.wait_marks(page, "ov_trend")
    expect(page.locator('[data-testid="stToolbar"]')).to_have_count(1)
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_role("button", name=re.compile("deploy", re.I)).count() == 0
    # nor in the main menu
    menu = page.locator('[data-testid="stMainMenu"]')
    if menu.count():
        menu.click()
        expect(page.locator('[data-testid="stMainMenuPopover"], [role="menu"], ul[role="listbox"]').first).to_be_visible()
        assert page.get_by_text(re.compile("^Deploy", re.I)).count() == 0
        page.keyboard.press("Escape")
    browser_page.shot()


def test_language_switch_relabels_the_pages_own_pickers(server, browser_page):
    page = browser_page.page
    ui.goto(page, f"{server.url}/counties")
    ui.wait_marks(page, "co_ranking")
    page.locator(".st-key-f_lang").get_by_text("English", exact=True).click()
    ui.expect_title(page, ui.EN_TITLES["counties"])
    ui.wait_idle(page)
    shown = {k: page.locator(f".st-key-{k} input").input_value() for k in ("co_metric", "co_scope")}
    assert not any(re.search(r"[\u4e00-\u9fff]", v) for v in shown.values()), shown


def test_briefing_button_downloads_the_pack_of_the_current_view(server, browser_page, tmp_path):
    """The sidebar's PowerPoint button, clicked in the browser, hands over a real deck built
    from the filters on screen (here: the disputes category), with 缙云's 6300余起 in it (on a
    slide or in its notes: dashboard.comparable may list it as another period's report)."""
    import io

    from pptx import Presentation

    page = browser_page.page
    ui.goto(page, f"{server.url}/counties?categories=disputes")
    ui.wait_marks(page, "co_ranking")
    with page.expect_download(timeout=120_000) as info:
        page.locator(".st-key-dl_pptx button").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pptx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    deck = Presentation(io.BytesIO(path.read_bytes()))
    text = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    # 缙云's undated 6300余起 is on a slide, or cited in one's notes when another period is compared
    assert "6300余" in text + notes and "矛盾纠纷" in text
    charts = [sh for s in deck.slides for sh in s.shapes if sh.has_chart]
    assert charts, "native charts expected"
    assert ui.error_elements(page) == []
    assert ui.unexpected_console_errors(browser_page.errors) == []


def test_map_follows_the_city_filter(server, browser_page):
    page = browser_page.page
    ui.goto(page, f"{server.url}/counties?cities=331100")
    ui.wait_marks(page, "co_map")
    ui.wait_idle(page)
    expect(page.locator(".st-key-co_scope input")).to_have_value("丽水市", timeout=30_000)
    names = page.locator(".st-key-co_map").evaluate(
        "(root) => { const gd = root.querySelector('.js-plotly-plot');"
        " return gd.data.filter(t => (t.mode || '').includes('text')).flatMap(t => t.text); }")
    assert "缙云" in names and "杭州" not in " ".join(names) and "西湖" not in names, names
    legend = page.locator(".st-key-co_map .legendtext").all_text_contents()
    assert any("无数据" in x for x in legend) or len(names) > 0
    browser_page.shot("lishui")
    assert ui.error_elements(page) == []
