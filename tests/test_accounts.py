"""Local accounts (python -m dashboard.accounts) and sign-in through the real pages (AppTest)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import accounts

ROOT = Path(__file__).resolve().parent.parent


def accounts_cli(path: Path, *args, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PINGAN_ACCOUNTS": str(path), "PYTHONPATH": str(ROOT)}
    extra = ["--password-stdin"] if password is not None else []
    return subprocess.run([sys.executable, "-m", "dashboard.accounts", *args, *extra], cwd=ROOT, env=env,
                          input=(password + "\n") if password is not None else None,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def acc(tmp_path, monkeypatch, warehouse_copy):
    path = tmp_path / "accounts.sqlite"
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(path))
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_copy))
    return path


def test_cli_add_list_role_passwd_remove(acc):
    assert accounts_cli(acc, "add", "zhang", "--role", "editor", password="correct horse").returncode == 0
    assert accounts_cli(acc, "add", "li", password="battery staple").returncode == 0
    out = accounts_cli(acc, "list").stdout
    assert "zhang\teditor" in out and "li\tviewer" in out
    # only hashes are stored
    raw = acc.read_bytes()
    assert b"correct horse" not in raw and b"$argon2id$" in raw
    assert accounts_cli(acc, "role", "li", "admin").returncode == 0
    assert accounts.authenticate(acc, "li", "battery staple").role == "admin"
    assert accounts_cli(acc, "passwd", "li", password="new password 1").returncode == 0
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(acc, "li", "battery staple")
    assert accounts.authenticate(acc, "li", "new password 1").name == "li"
    assert accounts_cli(acc, "remove", "li").returncode == 0
    assert [a.name for a in accounts.list_accounts(acc)] == ["zhang"]
    bad = accounts_cli(acc, "add", "x", password="short")
    assert bad.returncode == 2 and "at least 8 characters" in bad.stderr
    dup = accounts_cli(acc, "add", "zhang", password="whatever123")
    assert dup.returncode == 2 and "exists" in dup.stderr


def test_five_wrong_passwords_lock_the_account_for_a_minute(acc):
    accounts.add(acc, "wang", "right password", "viewer")
    for _ in range(4):
        with pytest.raises(accounts.AccountError) as e:
            accounts.authenticate(acc, "wang", "wrong")
        assert not isinstance(e.value, accounts.Locked)
    with pytest.raises(accounts.Locked):
        accounts.authenticate(acc, "wang", "wrong")
    # now even the right password is refused until the minute is over
    with pytest.raises(accounts.Locked) as e:
        accounts.authenticate(acc, "wang", "right password")
    assert 50 <= e.value.seconds <= 60
    # a minute later (simulated by moving the lock into the past) it works again
    import sqlite3
    con = sqlite3.connect(acc)
    con.execute("UPDATE accounts SET locked_until = 1 WHERE name = 'wang'")
    con.commit()
    con.close()
    assert accounts.authenticate(acc, "wang", "right password").name == "wang"


def page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    [b for b in at.button if b.label == "登录"][0].click().run()
    return at


@pytest.mark.parametrize("path", ["pages/overview.py", "pages/review.py", "pages/upload.py"])
def test_without_sign_in_a_page_shows_only_the_login(acc, path):
    accounts.add(acc, "zhang", "correct horse", "editor")
    at = page(path)
    assert [t.key for t in at.text_input] == ["auth_name", "auth_password"]
    assert len(at.dataframe) == 0 and len(at.get("plotly_chart")) == 0 and len(at.metric) == 0
    assert len(at.sidebar.multiselect) == 0 and len(at.get("download_button")) == 0  # no filters, no packs


def test_local_sign_in_sign_out_and_lock_on_the_page(acc):
    accounts.add(acc, "zhang", "correct horse", "editor")
    at = page("pages/overview.py")
    sign_in(at, "zhang", "wrong")
    assert any("用户名或密码错误" in e.value for e in at.error)
    sign_in(at, "zhang", "correct horse")
    assert at.title[0].value == "总览"
    assert any("zhang" in c.value for c in at.sidebar.caption)
    [b for b in at.sidebar.button if b.label == "退出登录"][0].click().run()
    assert [t.key for t in at.text_input] == ["auth_name", "auth_password"]
    for _ in range(5):
        sign_in(at, "zhang", "wrong")
    assert any("已锁定" in e.value for e in at.error)
    sign_in(at, "zhang", "correct horse")
    assert any("已锁定" in e.value for e in at.error)
    assert [t.key for t in at.text_input] == ["auth_name", "auth_password"]


@pytest.mark.parametrize("path", ["pages/review.py", "pages/upload.py"])
def test_viewer_cannot_review_or_upload(acc, path):
    accounts.add(acc, "li", "battery staple", "viewer")
    at = sign_in(page(path), "li", "battery staple")
    assert any("需要“编辑”角色" in e.value for e in at.error)
    assert len(at.dataframe) == 0 and not [b for b in at.button if b.label in ("保存更正", "确认无误")]
    assert len(at.get("file_uploader")) == 0


def test_editor_review_records_the_signed_in_name(acc, warehouse_copy):
    from support import query
    accounts.add(acc, "zhang", "correct horse", "editor")
    at = sign_in(page("pages/review.py"), "zhang", "correct horse")
    assert at.title[0].value == "审核"
    fid = at.selectbox(key="rv_pick").value
    [t for t in at.text_input if t.key and t.key.startswith(f"rv_v_reason_{fid}")][0].input("核对无误")
    [b for b in at.button if b.label == "确认无误"][0].click().run()
    assert query(warehouse_copy, 'SELECT "by", action FROM corrections') == [("zhang", "confirm")]


@pytest.mark.parametrize("path", ["pages/overview.py", "pages/counties.py", "pages/initiatives.py",
                                  "pages/figures.py", "pages/quality.py", "pages/review.py", "pages/upload.py"])
def test_open_mode_says_so_on_every_page(acc, path):
    """No accounts on localhost: everyone is the one admin, and every page says so (zh, then en)."""
    assert not acc.exists() or not accounts.list_accounts(acc)
    at = page(path)
    assert at.title and [t.key for t in at.text_input if t.key in ("auth_name", "auth_password")] == []
    assert any("未配置账户" in i.value and "python -m dashboard.accounts add" in i.value for i in at.info)
    at.sidebar.radio(key="f_lang").set_value("en").run()
    assert any("No accounts configured" in i.value for i in at.info)
