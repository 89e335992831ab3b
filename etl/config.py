"""Paths and limits in one place, so the CLI, tests and dashboard agree on them."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "data" / "reference"
DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse"
#: files larger than this are refused (a bulletin page is a few hundred KB at most);
#: PINGAN_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: files one browser upload may hold (dashboard.upload); PINGAN_MAX_UPLOAD_FILES overrides it
DEFAULT_MAX_UPLOAD_FILES = 50
#: hours a dashboard sign-in (local accounts) lasts; PINGAN_SESSION_HOURS overrides it
DEFAULT_SESSION_HOURS = 12.0


def warehouse_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """--warehouse wins, then PINGAN_WAREHOUSE, then data/warehouse/ in the project."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("PINGAN_WAREHOUSE")
    return Path(env) if env else DEFAULT_WAREHOUSE


def max_bytes(cli_value: int | None = None) -> int:
    if cli_value:
        return int(cli_value)
    env = os.environ.get("PINGAN_MAX_BYTES")
    return int(env) if env else DEFAULT_MAX_BYTES


def max_upload_files() -> int:
    env = os.environ.get("PINGAN_MAX_UPLOAD_FILES")
    return int(env) if env else DEFAULT_MAX_UPLOAD_FILES


def session_seconds() -> float:
    """How long a sign-in lasts, in seconds (PINGAN_SESSION_HOURS, else 12 h)."""
    env = os.environ.get("PINGAN_SESSION_HOURS")
    return float(env) * 3600 if env else DEFAULT_SESSION_HOURS * 3600
