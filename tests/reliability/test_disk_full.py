"""The disk fills during an ingest (issue 12, item 1e).

The warehouse lives on a small tmpfs mounted for the test (`mount -t tmpfs -o size=…`,
root in this sandbox), sized so that the snapshot in service fits and the next one does
not. Where mounting is not permitted, the ingest child runs under RLIMIT_FSIZE instead
(the same failure seen as EFBIG). Either way: the ingest fails with one line saying the
disk is full and naming the file, the old snapshot keeps serving, no partial file is left.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest

from etl import warehouse
from support import ROOT, query as q, run_cli

pytestmark = pytest.mark.reliability


def page(county: str, n: int) -> str:
    return ("丽水:\n"
            f"{county}公安：平安护航{n}\n"
            f"本报讯 今年以来，{county}县公安局化解矛盾纠纷{500 + n}余起，组建巡防队{2 + n}支。\n")


def add(folder: Path, start: int, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"b{n:03d}.txt").write_text(page(["缙云", "遂昌", "松阳"][n % 3], n), encoding="utf-8")


def _mount_tmpfs(where: Path, size: int) -> bool:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       capture_output=True)
    return r.returncode == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse holding one snapshot of three bulletins, and their folder."""
    root = tmp_path_factory.mktemp("disk_full")
    src = root / "in"
    add(src, 0, 3)
    wh = root / "built"
    r = run_cli("ingest", src, "--warehouse", wh, "--no-progress", "--workers", "1")
    assert r.returncode == 0, r.stderr
    return src, wh


@pytest.fixture
def small_disk(tmp_path, request, built):
    """(folder, warehouse on a disk with room for one snapshot, method, snapshot size)."""
    src0, wh0 = built
    src = tmp_path / "in"
    shutil.copytree(src0, src)
    size = warehouse.current_snapshot(wh0).stat().st_size
    mnt = tmp_path / "small"
    mounted = False
    method = request.param
    if method == "tmpfs":
        mounted = _mount_tmpfs(mnt, size + size // 2)  # the old snapshot and half a copy
        if not mounted:
            pytest.skip("mounting a tmpfs is not permitted here; the rlimit case covers disk full")
    else:
        mnt.mkdir()
    wh = mnt / "wh"
    shutil.copytree(wh0, wh)
    try:
        yield src, wh, method, size
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.mark.parametrize("small_disk,build", [("tmpfs", "copy"), ("tmpfs", "fresh"),
                                              ("rlimit", "fresh")], indirect=["small_disk"])
def test_disk_full_keeps_old_snapshot_serving(small_disk, build):
    """copy: the new snapshot starts as a copy of the old one (the copy fails); fresh:
    built from scratch by DuckDB (DuckDB's write fails)."""
    src, wh, method, size = small_disk
    served = warehouse.current_snapshot(wh)
    before = q(wh, "SELECT count(*) FROM bulletins")
    add(src, 3, 40)
    cmd = [str(ROOT / ".venv/bin/python") if (ROOT / ".venv/bin/python").exists() else "python3",
           "-m", "etl", "ingest", str(src), "--warehouse", str(wh), "--no-progress", "--workers", "1"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PINGAN_")}
    env["PYTHONPATH"] = str(ROOT)
    if build == "fresh":
        env[warehouse.FRESH_ENV] = "1"
    limit = None
    if method == "rlimit":
        limit = size // 2  # per file: any new snapshot is bigger than half the old one

        def limit_files():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                       preexec_fn=limit_files if limit else None)
    print(f"\ndisk-full method: {method}, {build}; stderr: {r.stderr.strip()}")
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert "disk full" in lines[0] and str(wh) in lines[0], lines[0]
    assert served.name in lines[0]                    # says what is still in service
    assert "Traceback" not in r.stderr
    # the old snapshot keeps serving, whole
    assert warehouse.current_snapshot(wh) == served
    assert q(wh, "SELECT count(*) FROM bulletins") == before
    # the partial build was removed, so the disk has its room back
    assert sorted(p.name for p in warehouse.snapshots_dir(wh).iterdir()) == [served.name]
