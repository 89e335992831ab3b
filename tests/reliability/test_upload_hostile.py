"""Hostile uploads through dashboard.upload's real functions, on a real warehouse (issue 12).

Already proved in tests/test_upload.py: `../../etc/passwd`, `..\\..\\boot.ini`, a leading
dot and shell characters are reduced to a plain name inside the inbox
(`test_names_are_sanitised_and_stay_inside_the_inbox`); an oversize file and an unknown
type are refused with a reason (`test_oversize_and_unknown_types_are_refused_with_a_reason`).

Added here: absolute paths, Windows paths, NUL, newline and bidi controls in names, every
one of them at once; nothing is ever written outside `<warehouse>/inbox/` (the whole tmp
tree is listed before and after); an oversize file never reaches the disk; more files
than `PINGAN_MAX_UPLOAD_FILES` refused as a whole with a Chinese-first message and
nothing staged; a manifest whose rows point outside its folder has those rows refused by
line, and the import still puts nothing outside the inbox; the staging area keeps
nothing after a commit, a discard, or an abandoned upload (swept by the next one).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dashboard import upload
from support import query

pytestmark = pytest.mark.reliability

BULLETIN = "云和公安\n\n本报讯 今年以来，云和县公安局劝阻电信诈骗群众1260人，破获刑事案件87起。\n"
HOSTILE_NAMES = [
    "../../etc/passwd.txt", "..\\x.txt", "/etc/passwd.txt", "/tmp/../../root/.bashrc.txt",
    "C:\\Windows\\System32\\drivers\\etc\\hosts.txt", "\\\\server\\share\\a.txt",
    "a\x00b.txt", "line\nbreak.txt", "cr\rname.txt", "rtl\u202etxt.exe.txt", "....txt", "..", ".",
    "./../inbox/../../x.txt", "%2e%2e%2fescape.txt", "名字/../../../逃逸.txt",
]


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def only_in_inbox(root: Path, before: set[str], wh: Path) -> None:
    """Every new path under `root` is in the inbox, or is the ingest's own (a new snapshot,
    the writer lock, CURRENT) once an import ran."""
    new = tree(root) - before
    w = wh.relative_to(root)
    allowed = [w / "inbox", w / "snapshots"]
    outside = [p for p in new if not any(Path(p) == a or Path(p).is_relative_to(a) for a in allowed)
               and Path(p) not in (w / "ingest.lock", w / "CURRENT")
               and not (Path(p).parent == w and Path(p).name.startswith("CURRENT"))]
    assert outside == [], outside


@pytest.fixture
def wh(warehouse_copy):
    return warehouse_copy


def test_hostile_names_stay_inside_the_staging_folder(wh, tmp_path):
    before = tree(tmp_path)
    folder, files = upload.stage(wh, [(n, (BULLETIN + f"第{i}号\n").encode()) for i, n in enumerate(HOSTILE_NAMES)])
    assert folder.parent == wh / "inbox" / ".staging"
    assert len(files) == len(HOSTILE_NAMES)
    names = [f.name for f in files]
    assert len(set(n.lower() for n in names)) == len(names)            # none overwrote another
    for fp, given in zip(files, HOSTILE_NAMES):
        assert fp.given == given                                     # shown by the name as uploaded
        assert "/" not in fp.name and "\\" not in fp.name and not fp.name.startswith(".")
        assert not any(ord(c) < 32 or c == "\u202e" for c in fp.name), repr(fp.name)
        assert (folder / fp.name).resolve().parent == folder.resolve()
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    only_in_inbox(tmp_path, before, wh)
    assert not Path("/etc/passwd.txt").exists() and not (wh.parent / "x.txt").exists()

    files = upload.preview(folder, files)
    dest, report = upload.commit(wh, folder, files, "../../zhang\n")
    assert dest.parent == wh / "inbox" and "/" not in dest.name and "\n" not in dest.name
    assert report is not None and report.ok, [(f.path, f.reason) for f in report.files if f.reason]
    assert sorted(p.name for p in dest.iterdir()) == sorted(f.name for f in files if not f.refused)
    only_in_inbox(tmp_path, before, wh)
    assert not (wh / "inbox" / ".staging" / folder.name).exists()


def test_oversize_file_is_refused_and_never_written(wh, monkeypatch):
    monkeypatch.setenv("PINGAN_MAX_BYTES", "1000")
    folder, files = upload.stage(wh, [("big.txt", b"x" * 1001), ("ok.txt", BULLETIN.encode())])
    assert files[0].refused.startswith("larger than the size cap (1,001 > 1,000 bytes)")
    assert not (folder / "big.txt").exists()                          # refused before writing
    assert files[1].refused is None and (folder / "ok.txt").is_file()
    upload.discard(folder)
    assert not folder.exists()


def test_too_many_files_refused_as_a_whole_nothing_staged(wh, monkeypatch):
    monkeypatch.setenv("PINGAN_MAX_UPLOAD_FILES", "3")
    with pytest.raises(upload.UploadError) as exc:
        upload.stage(wh, [(f"{i}.txt", BULLETIN.encode()) for i in range(4)])
    msg = str(exc.value)
    assert msg.startswith("一次最多导入 3 个文件，本次选择了 4 个") and "at most 3 files per upload" in msg
    staging = wh / "inbox" / ".staging"
    assert not staging.exists() or list(staging.iterdir()) == []
    folder, files = upload.stage(wh, [(f"{i}.txt", BULLETIN.encode()) for i in range(3)])  # at the limit: fine
    assert len(files) == 3
    upload.discard(folder)


def test_default_upload_limit_is_fifty():
    from etl import config
    assert config.DEFAULT_MAX_UPLOAD_FILES == 50


def test_manifest_rows_pointing_outside_are_refused_by_line(wh, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("不应被读取", encoding="utf-8")
    manifest = ("file,published_on,publisher,region,url\n"
                "../outside.txt,2020-01-01,外部,丽水,\n"
                f"{outside},2020-01-02,外部,丽水,\n"
                "C:\\evil.txt,2020-01-03,外部,丽水,\n"
                "2024-07-01_云和公安.txt,2024-07-01,云和公安,丽水,\n").encode("utf-8")
    before = tree(tmp_path)
    before_outside = outside.stat().st_atime_ns, outside.read_bytes()
    folder, files = upload.stage(wh, [("manifest.csv", manifest), ("2024-07-01_云和公安.txt", BULLETIN.encode()),
                                      ("outside.txt", BULLETIN.replace("1260", "1261").encode())])
    files = upload.preview(folder, files)
    man = next(f for f in files if f.is_manifest)
    assert man.refused is None and man.manifest_rows == 1
    notes = "\n".join(man.notes)
    for line in (2, 3, 4):
        assert f":{line}" in notes or f"line {line}" in notes, notes
    assert notes.count("points outside the manifest's folder") == 3
    dest, report = upload.commit(wh, folder, files, "zhang")
    assert report is not None
    only_in_inbox(tmp_path, before, wh)
    assert outside.read_bytes() == before_outside[1]
    # the uploaded outside.txt did not take the outside row's date (2020-01-01)
    dates = dict(query(wh, "SELECT file_name, published_on::VARCHAR FROM bulletins WHERE path LIKE ?",
                       [f"%{dest.name}%"]))
    assert dates.get("outside.txt") != "2020-01-01"
    assert dates.get("2024-07-01_云和公安.txt") == "2024-07-01"


def test_staging_keeps_nothing_after_commit_discard_or_abandon(wh):
    staging = wh / "inbox" / ".staging"
    # refused only: nothing to commit, the page discards when the files are removed
    folder, files = upload.stage(wh, [("a.xls", b"x"), ("b.docx", b"PK\x03\x04 broken")])
    files = upload.preview(folder, files)
    assert all(f.refused for f in files)
    with pytest.raises(upload.UploadError):
        upload.commit(wh, folder, files, "zhang")
    upload.discard(folder)
    assert not folder.exists()
    # committed: the folder is gone, refused files with it
    folder, files = upload.stage(wh, [("c.xls", b"x"), ("2024-07-02_云和.txt", BULLETIN.encode())])
    upload.commit(wh, folder, upload.preview(folder, files), "zhang")
    assert not folder.exists()
    # abandoned (a closed tab): swept by the next upload once stale
    old, _ = upload.stage(wh, [("d.txt", BULLETIN.encode())])
    stale = time.time() - upload.STALE_STAGING_SECONDS - 60
    os.utime(old, (stale, stale))
    fresh, _ = upload.stage(wh, [("e.txt", BULLETIN.encode())])
    assert not old.exists() and fresh.exists()
    upload.discard(fresh)
    assert list(staging.iterdir()) == []
    # discard refuses anything that is not a staging folder
    with pytest.raises(upload.UploadError):
        upload.discard(wh)
    with pytest.raises(upload.UploadError):
        upload.stage(wh, [("f.txt", b"x")], token="../../x")
    assert (wh / "CURRENT").is_file()


def test_upload_page_discards_staging_when_files_are_removed(warehouse_copy, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(warehouse_copy))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "none.sqlite"))   # open: one admin
    at = AppTest.from_file(str(root / "pages" / "upload.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("file_uploader")) == 1
    # a staged folder in the session whose files were removed from the uploader is discarded
    folder, files = upload.stage(warehouse_copy, [("a.txt", BULLETIN.encode())])
    at.session_state["up_staged"] = {"sig": (), "folder": folder, "previews": files}
    at.run()
    assert not at.exception
    assert not folder.exists()


@pytest.mark.parametrize("given, stored", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\张三\\桌面\\2024-05-06_缙云公安.txt", "2024-05-06_缙云公安.txt"),  # old IE sent this
    ("/tmp/../../root/.bashrc.txt", "bashrc.txt"),
    ("名字/../../../逃逸.txt", "逃逸.txt"),
    ("\\\\server\\share\\a.txt", "a.txt"),
])
def test_a_name_with_a_path_is_stored_under_its_last_part(given, stored):
    """Decided: a name holding a path is not refused; its last part is kept, made safe.
    A browser sends a file's name without its folder (some old ones sent the whole client
    path), so a path in the name is either that or a hand-made request; keeping the last
    part serves the first and gives the second nothing outside the inbox (the test above),
    as Werkzeug's secure_filename and Django's uploads do."""
    assert upload.sanitise(given) == stored
