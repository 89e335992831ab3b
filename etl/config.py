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
