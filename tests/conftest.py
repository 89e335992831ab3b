"""Shared fixtures: real warehouses built by the real ingest, for every test that reads one.

Why through the command line: the dashboard, the briefing packs and the browser suite must
see exactly what a user's `python -m etl ingest` produces, so the fixtures run it (and
`python -m etl demo` for the synthetic corpus) in a subprocess, as a user would. Built
once per test session; tests must treat the result as read-only (copy it to change it,
see `warehouse_copy`).

Fixtures
- `corpus_dir`: a folder of bulletins: the sample page data/bulletins/, a small demo corpus
  (`etl demo --bulletins 12 --seed 7`), a hostile bulletin whose text holds HTML and
  script tags (`HOSTILE_FILE`), and a file ingest must refuse (`REFUSED_FILE`).
- `warehouse_dir`: a warehouse built from `corpus_dir`.
- `empty_warehouse_dir`: a folder with no snapshot in it.
- `warehouse_copy`: a private copy of `warehouse_dir` a test may ingest more into.
- `app_env`: sets PINGAN_WAREHOUSE to `warehouse_dir` for the test (AppTest reads it).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# the blind corpora's shared checks keep pytest's detailed assertion messages
pytest.register_assert_rewrite("blind_corpus")

from support import HOSTILE_FILE, HOSTILE_TEXT, REFUSED_FILE, ROOT, ingest, run_etl  # noqa: F401


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    real = corpus / "real"
    real.mkdir()
    for p in (ROOT / "data" / "bulletins").iterdir():
        if p.is_file():
            shutil.copy2(p, real / p.name)
    (real / HOSTILE_FILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    (real / REFUSED_FILE).write_bytes(b"PK\x03\x04 not really a zip archive")
    demo = corpus / "demo"
    proc = run_etl("demo", "--bulletins", "12", "--out", str(demo), "--seed", "7")
    if proc.returncode != 0:
        raise RuntimeError(f"etl demo failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return corpus


@pytest.fixture(scope="session")
def warehouse_dir(tmp_path_factory, corpus_dir) -> Path:
    wh = tmp_path_factory.mktemp("warehouse")
    ingest([corpus_dir / "real", corpus_dir / "demo"], wh)
    if not (wh / "CURRENT").is_file():
        raise RuntimeError(f"{wh}: ingest made no snapshot")
    return wh


@pytest.fixture
def warehouse_copy(tmp_path, warehouse_dir) -> Path:
    dst = tmp_path / "warehouse"
    shutil.copytree(warehouse_dir, dst, ignore=shutil.ignore_patterns("ingest.lock"))
    return dst


@pytest.fixture
def empty_warehouse_dir(tmp_path) -> Path:
    wh = tmp_path / "empty_warehouse"
    wh.mkdir()
    return wh


@pytest.fixture
def app_env(monkeypatch, warehouse_dir) -> Path:
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_dir))
    return warehouse_dir


#: the worker's own main module, before any AppTest page replaced it
_REAL_MAIN = sys.modules.get("__main__")


def _restore_main() -> None:
    if _REAL_MAIN is not None:
        sys.modules["__main__"] = _REAL_MAIN


def pytest_runtest_setup(item):
    """Streamlit's AppTest leaves the page it ran as ``sys.modules['__main__']``; a later
    test in the same worker that starts processes (Dask's nanny, a pool) would have them
    import that page (spawn re-runs the main script). Put the real one back before each
    test's fixtures are set up, module-scoped ones included (a module-scoped AppTest page
    fixture runs before any function-scoped fixture could save the real one), and after
    each test. etl.parallel guards its own pools as well (tests/test_pool_main_script.py)."""
    _restore_main()


def pytest_runtest_teardown(item, nextitem):
    _restore_main()
