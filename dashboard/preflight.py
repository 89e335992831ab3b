"""Refuse to start a dashboard that would be open to the network with nobody signed in.

Why a separate check before `streamlit run`: Streamlit runs app code only when a browser
first asks for a page, so dashboard.auth can only refuse (and stop the server) at the first
request. `scripts/run.sh` calls this first, so that a server bound to another address with
no accounts and no OIDC never starts at all, with one clear line and exit status 2.

The bind address is worked out the way Streamlit does: `--server.address` on the command
line, else `STREAMLIT_SERVER_ADDRESS`, else `[server] address` in `.streamlit/config.toml`,
else Streamlit's default (all interfaces).

    python -m dashboard.preflight [streamlit run arguments…]
"""
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from dashboard import accounts

LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
ROOT = Path(__file__).resolve().parent.parent


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def bind_address(argv: list[str], env: dict | None = None, root: Path = ROOT) -> str:
    env = os.environ if env is None else env
    for i, arg in enumerate(argv):
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
        if arg == "--server.address" and i + 1 < len(argv):
            return argv[i + 1]
    if env.get("STREAMLIT_SERVER_ADDRESS") is not None:
        return env["STREAMLIT_SERVER_ADDRESS"]
    server = _toml(root / ".streamlit" / "config.toml").get("server", {})
    return str(server.get("address", "") or "")


def oidc_configured(root: Path = ROOT) -> bool:
    return bool(_toml(root / ".streamlit" / "secrets.toml").get("auth"))


def problem(argv: list[str], env: dict | None = None, root: Path = ROOT) -> str | None:
    """The one line to refuse with, or None when the server may start."""
    address = bind_address(argv, env, root)
    if address in LOCAL_ADDRESSES or oidc_configured(root):
        return None
    if accounts.any_accounts(accounts.accounts_path()):
        return None
    # the same sentence as dashboard.auth.refuse_line (not imported: that module needs a
    # running Streamlit for its secrets and options)
    return (f"pingan: refusing to serve on {address or 'all interfaces'} with no accounts: add one "
            "(python -m dashboard.accounts add NAME --role admin) or configure [auth] in "
            ".streamlit/secrets.toml, or bind to 127.0.0.1")


def main(argv: list[str] | None = None) -> int:
    line = problem(sys.argv[1:] if argv is None else argv)
    if line:
        print(line, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
