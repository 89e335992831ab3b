"""The Import page on a warehouse with no snapshot yet: how a bureau loads its first bulletins."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import upload
from etl import warehouse as etl_warehouse
from support import query

ROOT = Path(__file__).resolve().parent.parent
TEXT = "松阳公安\n\n本报讯 今年以来，松阳县公安局化解矛盾纠纷512起，破获刑事案件64起。\n"


def test_import_page_runs_on_an_empty_warehouse(tmp_path, monkeypatch):
    wh = tmp_path / "empty_wh"
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "accounts.sqlite"))  # open, one admin
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("file_uploader")) == 1           # the uploader is there, not a dead end
    infos = " ".join(i.value for i in at.info)
    assert "数据仓库还是空的" in infos and str(wh) not in infos and str(tmp_path) not in infos  # no server path
    # the other pages still say plainly that there is nothing to show
    at2 = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    at2.run()
    assert not at2.exception and "还没有数据仓库" in " ".join(i.value for i in at2.info)


def test_first_upload_builds_the_first_snapshot(tmp_path):
    wh = tmp_path / "empty_wh"
    assert etl_warehouse.current_snapshot(wh) is None
    folder, files = upload.stage(wh, [("2024-06-01_松阳公安.txt", TEXT.encode("utf-8"))])
    files = upload.preview(folder, files)
    assert {"512起", "64起"} <= {f["raw"] for f in files[0].figures}
    dest, report = upload.commit(wh, folder, files, "li")
    assert report is not None and report.new_snapshot
    assert etl_warehouse.current_snapshot(wh) is not None
    assert {r[0] for r in query(wh, "SELECT raw FROM figures_effective")} >= {"512起", "64起"}
    assert dest.parent == wh / "inbox"
