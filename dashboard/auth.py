"""Who is using the dashboard, and what they may do: viewer < editor < admin.

Three ways in, decided on every run (nothing is remembered from the first one):
- OIDC through Streamlit's `st.login` when `.streamlit/secrets.toml` has an `[auth]`
  section; the role comes from a claim or from allow-lists in `[pingan_roles]`;
- else local accounts (dashboard.accounts: Argon2 hashes, five failures lock a minute); a
  sign-in lasts PINGAN_SESSION_HOURS (default 12) from the password check, then the login
  form is back and says why; the session holds only the name and that time, the role is
  read from the accounts file on every run (a role in the session is ignored);
- else, with no accounts and the server bound to localhost, the app runs open as one
  admin and says so on every page. Bound to any other address with no accounts it
  refuses to serve: one line in the log and on the page, and the server stops.

Why every page calls `gate()` itself (through layout.page_setup) and app.py calls it too:
Streamlit's legacy `pages/` mode can run a page file alone on a fresh server; a page that
checks for itself is safe whichever way it was reached. Pages that change data call
`require(ROLE)` as well, and app.py leaves them out of a viewer's menu.

The audit trail takes `User.name` from here, never a name typed into a form.
"""
from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass

import streamlit as st

from dashboard import accounts
from dashboard.i18n import t
from etl import config

ROLES = accounts.ROLES
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
SESSION = "_auth_user"
#: set when a sign-in ran out, so the login form can say why it is back
EXPIRED = "_auth_expired"
ROLE_SECRETS = "pingan_roles"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    via: str  # local | oidc | open

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


# ------------------------------------------------------------------ configuration

def _secrets_section(name: str) -> dict:
    try:
        sec = st.secrets.get(name)
    except Exception:  # no secrets.toml at all, or a broken one
        return {}
    return dict(sec) if sec else {}


def oidc_configured() -> bool:
    return bool(_secrets_section("auth"))


def server_address() -> str:
    try:
        return str(st.get_option("server.address") or "")
    except Exception:  # pragma: no cover
        return ""


def is_local_address(address: str) -> bool:
    return address in LOCAL_ADDRESSES


def mode() -> str:
    """oidc | local | open | refuse."""
    if oidc_configured():
        return "oidc"
    if accounts.any_accounts(accounts.accounts_path()):
        return "local"
    return "open" if is_local_address(server_address()) else "refuse"


def refuse_line(address: str) -> str:
    return (f"pingan: refusing to serve on {address or 'all interfaces'} with no accounts: add one "
            "(python -m dashboard.accounts add NAME --role admin) or configure [auth] in "
            ".streamlit/secrets.toml, or bind to 127.0.0.1")


def _role_from_claims(claims: dict) -> str | None:
    """The role of an OIDC user: a claim (`claim = "roles"`), else the allow-lists, else default."""
    conf = _secrets_section(ROLE_SECRETS)
    claim = conf.get("claim")
    if claim:
        value = claims.get(claim)
        values = value if isinstance(value, (list, tuple)) else [value]
        found = [v for v in values if v in ROLES]
        if found:
            return max(found, key=ROLES.index)
    ident = {str(claims.get(k)).lower() for k in ("email", "preferred_username", "sub") if claims.get(k)}
    for role, key in (("admin", "admins"), ("editor", "editors"), ("viewer", "viewers")):
        if ident & {str(x).lower() for x in conf.get(key, [])}:
            return role
    default = conf.get("default", "viewer")
    return default if default in ROLES else None


# ------------------------------------------------------------------ who is here

def current_user() -> User | None:
    """The signed-in user of this session, checked again on this run; None when nobody."""
    m = mode()
    if m == "open":
        return User("admin (local)", "admin", "open")
    if m == "oidc":
        u = st.user
        if not getattr(u, "is_logged_in", False):
            return None
        claims = u.to_dict()
        role = _role_from_claims(claims)
        if role is None:
            return None
        name = claims.get("email") or claims.get("preferred_username") or claims.get("sub")
        return User(str(name), role, "oidc")
    if m == "local":
        got = st.session_state.get(SESSION)
        if not isinstance(got, dict):
            return None
        # a sign-in lasts config.session_seconds() (PINGAN_SESSION_HOURS, default 12 h)
        # from the moment the password was checked; one with no valid time is not one
        at, name = got.get("at"), got.get("name")
        if not isinstance(name, str):
            st.session_state.pop(SESSION, None)
            return None
        if (not isinstance(at, (int, float)) or isinstance(at, bool) or not math.isfinite(at)
                or not 0 <= time.time() - at <= config.session_seconds()):
            st.session_state.pop(SESSION, None)
            st.session_state[EXPIRED] = True
            return None
        # the account may have been removed or its role changed since sign-in
        live = {a.name: a for a in accounts.list_accounts(accounts.accounts_path())}
        acc = live.get(name)
        if acc is None:
            st.session_state.pop(SESSION, None)
            return None
        return User(acc.name, acc.role, "local")
    return None


def _stop_server(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
    st.error(line)
    # SIGTERM is how Streamlit is asked to shut down cleanly; a moment later, so that the
    # line above reaches the browser first
    threading.Timer(10.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    st.stop()


def _login_form(lang: str) -> None:
    st.title(t("app_title", lang))
    st.subheader(t("auth_sign_in", lang))
    if st.session_state.get(EXPIRED):
        st.info(t("auth_expired", lang, h=f"{config.session_seconds() / 3600:g}"))
    with st.form("auth_login", clear_on_submit=False):
        name = st.text_input(t("auth_name", lang), key="auth_name")
        password = st.text_input(t("auth_password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth_sign_in", lang), type="primary")
    if submitted:
        try:
            acc = accounts.authenticate(accounts.accounts_path(), name, password)
        except accounts.Locked as exc:
            st.error(t("auth_locked", lang, s=exc.seconds))
        except accounts.AccountError:
            st.error(t("auth_failed", lang))
        else:
            # only the name and when: the role is read from the accounts file on every run
            st.session_state[SESSION] = {"name": acc.name, "at": time.time()}
            st.session_state.pop(EXPIRED, None)
            st.rerun()


def gate(lang: str, chrome: bool = True, hidden_pages=None) -> User:
    """Stop the run unless somebody allowed to read is signed in; returns the user.

    With `chrome`, the sidebar says who is signed in (or that the app runs open) and
    offers sign-out; the page title is left to the page. app.py passes `hidden_pages`
    (a callable giving the pages): shown to nobody, they replace the menu a session had
    before signing out, and keep the address's page for after signing in.
    """
    m = mode()
    if m == "refuse":
        _stop_server(refuse_line(server_address()))
    user = current_user()
    if user is None:
        if hidden_pages is not None:
            st.navigation(hidden_pages(), position="hidden")
        if m == "oidc":
            st.title(t("app_title", lang))
            if getattr(st.user, "is_logged_in", False):  # signed in, but no role for them
                st.error(t("auth_no_role", lang))
                st.button(t("auth_sign_out", lang), key="auth_logout", on_click=st.logout)
            else:
                st.button(t("auth_sign_in_oidc", lang), key="auth_oidc", type="primary",
                          on_click=st.login)
        else:
            _login_form(lang)
        st.stop()
    if chrome:
        _chrome(user, lang)
    return user


def _sign_out(user: User) -> None:
    st.session_state.pop(SESSION, None)
    if user.via == "oidc":
        st.logout()


def _chrome(user: User, lang: str) -> None:
    if user.via == "open":
        st.info(t("auth_open_note", lang), icon=":material/lock_open:")
        return
    sb = st.sidebar
    sb.caption(t("auth_signed_in_as", lang, name=user.name, role=t("role_" + user.role, lang)))
    sb.button(t("auth_sign_out", lang), key="auth_logout", on_click=_sign_out, args=(user,))


def require(role: str, lang: str, user: User | None = None) -> User:
    """Stop the run with a refusal unless the user has `role` (after gate())."""
    user = user or current_user()
    if user is None or not user.allows(role):
        st.error(t("auth_forbidden", lang, role=t("role_" + role, lang)))
        st.stop()
    return user
