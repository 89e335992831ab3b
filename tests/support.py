"""Helpers the tests import by name (a conftest.py cannot be imported reliably: there is
one per test folder, all called `conftest`)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

HOSTILE_FILE = "2024-06-18_龙泉公安工作动态.txt"
#: written for the test in the genre: a county bureau's lead with markup in the text
HOSTILE_TEXT = (
    "丽水:\n\n"
    "龙泉公安深化“枫桥式”派出所建设\n\n"
    "通讯员 李明\n\n"
    "本报讯 龙泉公安<b>坚持</b>源头治理，<script>alert('pingan')</script>今年以来化解矛盾纠纷120起。\n\n"
    "该局组建巡逻队伍12支，**每日**开展巡逻防控。\n"
)
REFUSED_FILE = "损坏的通报.docx"


def run_etl(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m etl ARGS` in the project; fail the test with its stderr if it fails."""
    proc = subprocess.run([PYTHON, "-m", "etl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc


def ingest(paths, warehouse: Path) -> subprocess.CompletedProcess:
    """Real ingest; exit status 1 (some files refused) is expected when a corpus holds bad files."""
    proc = run_etl("ingest", *[str(p) for p in paths], "--warehouse", str(warehouse))
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"etl ingest failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc


