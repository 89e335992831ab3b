"""Access: forged roles, expired sign-ins, every page by its address (issue 12).

Already proved elsewhere, not repeated here:
- without a sign-in, overview/review/upload show only the login (tests/test_accounts.py::
  test_without_sign_in_a_page_shows_only_the_login); review/upload/counties by a direct
  link on a fresh server in a real browser (tests/browser/test_auth.py::
  test_direct_link_on_fresh_server_without_login_shows_only_the_login);
- a viewer on review/upload gets a refusal and no controls (tests/test_accounts.py::
  test_viewer_cannot_review_or_upload), a viewer's menu has neither and a review link
  lands on the overview (tests/browser/test_auth.py::test_viewer_signed_in_from_a_review_
  link_gets_no_review), an OIDC viewer by address (::test_oidc_sign_in_roles_and_sign_out).

Added here, through the real page files (AppTest) with a real accounts file:
- every one of the seven pages without a sign-in: only the login form, no data;
- every page with a viewer's sign-in: the five read pages open, review and upload refused
  with nothing of theirs (no queue, no buttons, no uploader) and no write possible;
- a session whose state claims another role (`{"name": viewer, "role": "admin"}`) or a
  name that has no account, or a name with no sign-in time: the role comes from the
  accounts file only, the others get the login;
- a sign-in older than PINGAN_SESSION_HOURS (default 12 h): the login form is back and
  says the sign-in expired; a fresh one works; an account demoted after sign-in loses
  the editor pages on the next run;
- URL parameters cannot sign anyone in.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import accounts, auth
from etl import config
from support import query

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
READ_PAGES = ["overview", "counties", "initiatives", "figures", "quality"]
EDIT_PAGES = ["review", "upload"]
LOGIN_KEYS = ["auth_name", "auth_password"]


@pytest.fixture
def acc(tmp_path, monkeypatch, warehouse_copy):
    path = tmp_path / "accounts.sqlite"
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(path))
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_copy))
    monkeypatch.delenv("PINGAN_SESSION_HOURS", raising=False)
    accounts.add(path, "li", "viewer password", "viewer")
    accounts.add(path, "zhang", "editor password", "editor")
    return path


def page(name: str, state: dict | None = None, qp: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    for k, v in (state or {}).items():
        at.session_state[k] = v
    for k, v in (qp or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def login_only(at: AppTest) -> None:
    assert [t.key for t in at.text_input] == LOGIN_KEYS
    assert len(at.dataframe) == 0 and len(at.get("plotly_chart")) == 0 and len(at.metric) == 0
    assert len(at.sidebar.multiselect) == 0 and len(at.get("download_button")) == 0
    assert len(at.get("file_uploader")) == 0


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    [b for b in at.button if b.label == "登录"][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def no_editor_content(at: AppTest) -> None:
    assert any("需要“编辑”角色" in e.value for e in at.error)
    assert len(at.dataframe) == 0 and len(at.get("file_uploader")) == 0
    assert not [b for b in at.button if b.label in ("保存更正", "确认无误", "剔除（非工作成效数字）")]
    assert not [t for t in at.text_input if t.key and t.key.startswith("rv_")]


def session(name: str, **extra) -> dict:
    return {auth.SESSION: {"name": name, "at": time.time(), **extra}}


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES)
def test_every_page_without_sign_in_shows_only_the_login(acc, name):
    login_only(page(name))


@pytest.mark.parametrize("name", READ_PAGES + EDIT_PAGES)
def test_every_page_with_a_viewer(acc, name):
    at = page(name, session("li"))
    assert any("li" in c.value for c in at.sidebar.caption)
    if name in EDIT_PAGES:
        no_editor_content(at)
    else:
        assert not at.error and at.title[-1].value


def test_a_forged_role_in_the_session_is_ignored(acc, warehouse_copy):
    before = query(warehouse_copy, "SELECT count(*) FROM corrections")
    for name in EDIT_PAGES:
        no_editor_content(page(name, session("li", role="admin", via="open")))
    # the forged role does not reach a write either
    at = page("review", session("li", role="admin"))
    assert not [b for b in at.button if b.label == "确认无误"]
    assert query(warehouse_copy, "SELECT count(*) FROM corrections") == before


@pytest.mark.parametrize("forged", [
    {"name": "admin", "at": None},                  # no such account
    {"name": "zhang"},                              # no sign-in time: never signed in here
    {"name": "zhang", "at": "0"},                   # a time that is not a number
    {"name": "zhang", "at": float("nan")},
    {"name": "zhang", "at": time.time() + 3600},    # a sign-in from the future
    {"name": ["zhang"], "at": time.time()},         # not a name
    "zhang",                                        # not a session record at all
])
def test_forged_session_records_get_the_login(acc, forged):
    if isinstance(forged, dict) and forged.get("at") is None and "at" in forged:
        forged = {**forged, "at": time.time()}
    login_only(page("review", {auth.SESSION: forged}))


def test_query_parameters_sign_nobody_in(acc):
    login_only(page("review", qp={"_auth_user": "zhang", "role": "admin", "user": "zhang", "name": "zhang"}))


def test_sign_in_expires_after_the_configured_hours(acc, monkeypatch):
    assert config.DEFAULT_SESSION_HOURS == 12 and config.session_seconds() == 12 * 3600
    # signed in 13 hours ago: expired under the default
    old = {auth.SESSION: {"name": "zhang", "at": time.time() - 13 * 3600}}
    at = page("review", old)
    login_only(at)
    assert any("登录已过期" in i.value and "12" in i.value for i in at.info)
    # 11 hours ago: still signed in
    at = page("review", {auth.SESSION: {"name": "zhang", "at": time.time() - 11 * 3600}})
    assert at.title[-1].value == "审核"
    # a short expiry, and time moving on within one session
    monkeypatch.setenv("PINGAN_SESSION_HOURS", str(2 / 3600))   # two seconds
    at = sign_in(page("review"), "zhang", "editor password")
    assert at.title[-1].value == "审核"
    signed = at.session_state[auth.SESSION]["at"]
    assert abs(signed - time.time()) < 60
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5)
    at.run()
    login_only(at)
    assert any("登录已过期" in i.value for i in at.info)
    monkeypatch.setattr(time, "time", real)
    at = sign_in(at, "zhang", "editor password")       # signing in again works
    assert at.title[-1].value == "审核"
    assert not any("登录已过期" in i.value for i in at.info)


def test_a_demoted_account_loses_the_editor_pages_on_the_next_run(acc):
    at = sign_in(page("review"), "zhang", "editor password")
    assert at.title[-1].value == "审核"
    accounts.set_role(acc, "zhang", "viewer")
    at.run()
    no_editor_content(at)
    accounts.remove(acc, "zhang")
    at.run()
    login_only(at)
