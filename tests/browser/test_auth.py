"""Access control in a real browser against real servers: local accounts, OIDC through a
real provider process (oidc-provider-mock), direct links on fresh servers, refusal to
serve on a public address with no accounts."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import query

from dashboard import accounts

from . import streamlit_ui as ui
from .conftest import ARTIFACTS, ROOT, start_server

LOGIN = ".st-key-auth_name input"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "accounts.sqlite"
    accounts.add(path, "zhang", "editor password", "editor")
    accounts.add(path, "li", "viewer password", "viewer")
    accounts.add(path, "locked", "locked password", "viewer")
    return path


@pytest.fixture(scope="module")
def auth_server(warehouse_dir, accounts_file):
    srv = start_server(warehouse_dir, ARTIFACTS / "server-auth.log",
                       env_extra={"PINGAN_ACCOUNTS": str(accounts_file)})
    yield srv
    srv.stop()


def wait_login(page) -> None:
    page.wait_for_selector(LOGIN, timeout=90_000)
    ui.wait_idle(page)


def sign_in(page, name: str, password: str) -> None:
    page.locator(".st-key-auth_name input").fill(name)
    page.locator(".st-key-auth_password input").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(1000)  # the run the click starts, not the idle page before it
    ui.wait_idle(page)


def only_login_shown(page) -> None:
    expect(page.locator(LOGIN)).to_have_count(1)
    assert ui.nav_labels(page) == []
    assert page.locator('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], '
                        '[data-testid="stFileUploader"], [data-testid="stDownloadButton"]').count() == 0
    assert page.locator(".st-key-f_categories").count() == 0


@pytest.mark.parametrize("path", ["review", "upload", "counties"])
def test_direct_link_on_fresh_server_without_login_shows_only_the_login(
        path, warehouse_dir, accounts_file, browser_page):
    srv = start_server(warehouse_dir, ARTIFACTS / f"server-auth-direct-{path}.log",
                       env_extra={"PINGAN_ACCOUNTS": str(accounts_file)})
    try:
        page = browser_page.page
        page.goto(f"{srv.url}/{path}", wait_until="domcontentloaded")
        wait_login(page)
        only_login_shown(page)
        browser_page.shot()
        assert "Traceback" not in srv.log_text()
    finally:
        srv.stop()


def test_local_sign_in_and_sign_out(auth_server, browser_page):
    page = browser_page.page
    page.goto(auth_server.url, wait_until="domcontentloaded")
    wait_login(page)
    sign_in(page, "zhang", "wrong password")
    expect(page.get_by_text("用户名或密码错误。")).to_be_visible()
    sign_in(page, "zhang", "editor password")
    ui.expect_title(page, "总览")
    assert ui.nav_labels(page) == ui.NAV_ZH
    expect(page.get_by_text("当前用户：zhang（编辑）")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()
    wait_login(page)
    only_login_shown(page)


def no_editor_content(page) -> None:
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_text("审核队列").count() == 0
    assert page.locator(".st-key-rv_pick, .st-key-rv_goto, .st-key-up_commit").count() == 0


def test_viewer_signed_in_from_a_review_link_gets_no_review(auth_server, browser_page):
    page = browser_page.page
    page.goto(f"{auth_server.url}/review", wait_until="domcontentloaded")
    wait_login(page)
    sign_in(page, "li", "viewer password")
    ui.expect_title(page, "总览")  # not the review page: a viewer has none
    ui.wait_idle(page)
    assert ui.nav_labels(page) == list(ui.ZH_TITLES.values())
    no_editor_content(page)
    expect(page.get_by_text("当前用户：li（查看者）")).to_be_visible()
    browser_page.shot("viewer")


def test_five_wrong_passwords_lock_the_account(auth_server, browser_page):
    page = browser_page.page
    page.goto(auth_server.url, wait_until="domcontentloaded")
    wait_login(page)
    for _ in range(5):
        sign_in(page, "locked", "not the password")
    expect(page.get_by_text("账户已锁定", exact=False)).to_be_visible()
    sign_in(page, "locked", "locked password")
    expect(page.get_by_text("账户已锁定", exact=False)).to_be_visible()
    only_login_shown(page)


def test_public_address_without_accounts_refuses_to_serve(warehouse_dir, tmp_path, browser_page):
    srv = start_server(warehouse_dir, ARTIFACTS / "server-auth-public.log", address="0.0.0.0",
                       env_extra={"PINGAN_ACCOUNTS": str(tmp_path / "none.sqlite")})
    try:
        page = browser_page.page
        page.goto(srv.url, wait_until="domcontentloaded")
        expect(page.get_by_text("refusing to serve on 0.0.0.0 with no accounts", exact=False)).to_be_visible(
            timeout=90_000)
        assert page.locator('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]').count() == 0
        srv.proc.wait(timeout=60)  # and the server stops
        lines = [ln for ln in srv.log_text().splitlines() if "refusing to serve" in ln]
        assert len(lines) >= 1 and lines[0].startswith("pingan: refusing to serve on 0.0.0.0")
    finally:
        srv.stop()


# ------------------------------------------------------------------ OIDC

@pytest.fixture
def oidc_provider(tmp_path):
    port = _free_port()
    users = [{"sub": "ed", "email": "ed@example.org", "roles": ["editor"]},
             {"sub": "vi", "email": "vi@example.org"}]
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for u in users:
        args += ["--user-claims", json.dumps(u)]
    log = open(ARTIFACTS / "oidc-provider.log", "wb")
    proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("oidc-provider-mock did not start")
        time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


def test_oidc_sign_in_roles_and_sign_out(warehouse_copy, tmp_path, oidc_provider, browser_page):
    port = _free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-0123456789abcdef"
client_id = "pingan-dashboard"
client_secret = "pingan-test-secret"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"

[pingan_roles]
claim = "roles"
default = "viewer"
""", encoding="utf-8")
    srv = start_server(warehouse_copy, ARTIFACTS / "server-auth-oidc.log", port=port,
                       args=["--secrets.files", str(secrets)],
                       env_extra={"PINGAN_ACCOUNTS": str(tmp_path / "none.sqlite")})
    try:
        page = browser_page.page
        for sub, menu in (("ed", ui.NAV_ZH), ("vi", list(ui.ZH_TITLES.values()))):
            page.goto(f"{srv.url}/review", wait_until="domcontentloaded")
            button = page.get_by_role("button", name="通过单点登录（OIDC）登录")
            expect(button).to_be_visible(timeout=90_000)
            assert ui.nav_labels(page) == []
            button.click()
            page.wait_for_url(f"{oidc_provider}/**", timeout=30_000)
            page.locator("input[name=sub]").fill(sub)
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(f"{srv.url}/**", timeout=30_000)
            page.wait_for_selector("h1", timeout=90_000)
            ui.wait_idle(page)
            assert ui.nav_labels(page) == menu, sub
            expect(page.get_by_text(f"当前用户：{sub}@example.org", exact=False)).to_be_visible()
            browser_page.shot(f"oidc-{sub}")
            if sub == "vi":  # signed in (a cookie): the editor pages by address show nothing of them
                for path in ("review", "upload"):
                    page.goto(f"{srv.url}/{path}", wait_until="domcontentloaded")
                    page.wait_for_selector("h1", timeout=90_000)
                    page.wait_for_timeout(1000)
                    ui.wait_idle(page)
                    no_editor_content(page)
                    assert ui.nav_labels(page) == menu
                    browser_page.shot(f"oidc-viewer-{path}")
                    # Streamlit says the page does not exist for this user, and shows the overview
                    expect(page.get_by_role("dialog")).to_contain_text("Page not found")
                    page.keyboard.press("Escape")
                    expect(page.get_by_role("dialog")).to_have_count(0)
            else:
                page.goto(f"{srv.url}/review", wait_until="domcontentloaded")
                ui.expect_title(page, "审核")
                ui.wait_idle(page)
                # the audit trail names the signed-in user (the provider's), never a typed name
                verdict = page.locator('[data-testid="stForm"]').filter(has_text="确认无误")
                verdict.get_by_label("理由（必填）").fill("核对原文无误")
                verdict.get_by_role("button", name="确认无误").click()
                expect(page.get_by_text("已记录 1 条审核记录。")).to_be_visible(timeout=60_000)
                ui.wait_idle(page)
                assert query(warehouse_copy, 'SELECT "by", action FROM corrections') == [
                    (f"{sub}@example.org", "confirm")]
            page.get_by_role("button", name="退出登录").click()
            # st.logout ends the provider's session too (RP-initiated logout), then returns
            page.wait_for_url(f"{oidc_provider}/oauth2/end_session**", timeout=30_000)
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(f"{srv.url}/**", timeout=30_000)
            expect(page.get_by_role("button", name="通过单点登录（OIDC）登录")).to_be_visible(timeout=60_000)
            assert ui.nav_labels(page) == []
        assert "Traceback" not in srv.log_text()
    finally:
        srv.stop()
