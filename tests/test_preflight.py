"""scripts/run.sh refuses, before Streamlit starts, to serve the network with nobody to sign in."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _preflight(args, env_extra, tmp_path):
    env = {**os.environ, "PINGAN_ACCOUNTS": str(tmp_path / "accounts.sqlite"), **env_extra}
    env.pop("STREAMLIT_SERVER_ADDRESS", None) if "STREAMLIT_SERVER_ADDRESS" not in env_extra else None
    return subprocess.run([sys.executable, "-m", "dashboard.preflight", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args,env", [
    (["--server.address", "0.0.0.0"], {}),
    (["--server.address=10.1.2.3"], {}),
    ([], {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"}),
    ([], {"STREAMLIT_SERVER_ADDRESS": ""}),  # empty: all interfaces
])
def test_public_address_without_accounts_is_refused_with_one_line(args, env, tmp_path):
    r = _preflight(args, env, tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pingan: refusing to serve on ")
    assert "python -m dashboard.accounts add" in lines[0]


def test_localhost_starts_open(tmp_path):
    # the bundled .streamlit/config.toml binds 127.0.0.1: the newcomer's command stays open
    r = _preflight([], {}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert _preflight(["--server.address", "::1"], {}, tmp_path).returncode == 0


def test_public_address_with_an_account_starts(tmp_path):
    env = {**os.environ, "PINGAN_ACCOUNTS": str(tmp_path / "accounts.sqlite")}
    subprocess.run([sys.executable, "-m", "dashboard.accounts", "add", "chief", "--role", "admin",
                    "--password-stdin"], cwd=ROOT, env=env, input="a-long-pass-phrase-42\n",
                   capture_output=True, text=True, check=True, timeout=60)
    assert _preflight(["--server.address", "0.0.0.0"], {}, tmp_path).returncode == 0


def test_run_script_checks_before_it_ingests():
    text = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "-m dashboard.preflight" in text
    assert text.index("-m dashboard.preflight") < text.index("-m etl ingest")
