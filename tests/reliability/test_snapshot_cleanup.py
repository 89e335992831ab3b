"""Old snapshots are cleaned up, keep N, never one a reader holds (issue 12, item 2).

The reader is a real other process (tests/reliability/reader_proc.py, opening snapshots as
the dashboard does); the ingests are real `python -m etl ingest` runs.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl import warehouse
from etl.ingest import ingest as etl_ingest
from support import run_cli

pytestmark = pytest.mark.reliability

READER = Path(__file__).with_name("reader_proc.py")


def page(county: str, n: int) -> str:
    return ("丽水:\n"
            f"{county}公安：平安护航{n}\n"
            f"本报讯 今年以来，{county}县公安局化解矛盾纠纷{500 + n}余起，组建巡防队{2 + n}支。\n")


def add(folder: Path, n: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"b{n:03d}.txt").write_text(page(["缙云", "遂昌", "松阳", "庆元"][n % 4], n),
                                          encoding="utf-8")


def snapshots(wh: Path) -> list[str]:
    return sorted(p.name for p in (wh / "snapshots").glob("*.duckdb"))


def ingest(src, wh, keep=None):
    """The real ingest, in this process (a CLI start costs seconds on a shared machine;
    the CLI's --keep and PINGAN_KEEP_SNAPSHOTS are checked once below)."""
    report = etl_ingest([src], wh, progress=False, keep=keep)
    assert report.ok, [f.line for f in report.refused]
    return report


def test_reader_process_keeps_its_snapshot_through_cleanup(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    add(src, 0)
    ingest(src, wh, keep=2)
    first = warehouse.current_snapshot(wh).name
    holder = subprocess.Popen([sys.executable, str(READER), "hold", str(wh)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        opened = json.loads(holder.stdout.readline())
        assert opened == {"snapshot": first, "counts": [1, 1, 0, 0]}
        assert warehouse.in_use(warehouse.snapshots_dir(wh) / first)
        for n in (1, 2, 3):
            add(src, n)
            ingest(src, wh, keep=2)
        names = snapshots(wh)
        # keep 2 (the current one and the one before), plus the one the reader holds
        assert len(names) == 3 and names[0] == first, names
        assert warehouse.current_snapshot(wh).name == names[-1]
        holder.stdin.write("again\n")
        holder.stdin.flush()
        again = json.loads(holder.stdout.readline())
        assert again == {"snapshot": first, "counts": [1, 1, 0, 0]}  # still reads, unchanged
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    assert not warehouse.in_use(warehouse.snapshots_dir(wh) / first)
    # the next run removes it, even one that finds nothing new and builds no snapshot
    report = ingest(src, wh, keep=2)
    assert not report.new_snapshot
    names = snapshots(wh)
    assert len(names) == 2 and first not in names, names


def test_keep_from_environment_and_flag(tmp_path, monkeypatch):
    wh, src = tmp_path / "wh", tmp_path / "in"
    monkeypatch.setenv(warehouse.KEEP_ENV, "1")
    for n in range(3):
        add(src, n)
        ingest(src, wh)
    assert snapshots(wh) == [warehouse.current_snapshot(wh).name]
    monkeypatch.delenv(warehouse.KEEP_ENV)
    for n in (3, 4, 5):
        add(src, n)
        ingest(src, wh)  # default: 3
    assert len(snapshots(wh)) == 3
    add(src, 6)
    r = run_cli("ingest", src, "--warehouse", wh, "--keep", "1", "--no-progress", "--workers", "1")
    assert r.returncode == 0, r.stderr
    assert snapshots(wh) == [warehouse.current_snapshot(wh).name]
    bad = run_cli("ingest", src, "--warehouse", wh, env_extra={warehouse.KEEP_ENV: "many"})
    assert bad.returncode == 2 and warehouse.KEEP_ENV in bad.stderr


def test_reader_in_the_same_process_counts_too(tmp_path):
    """flock leases belong to the open file, so a reader in the process that prunes (an
    upload page running ingest in the dashboard's process) is honoured as well."""
    wh, src = tmp_path / "wh", tmp_path / "in"
    add(src, 0)
    ingest(src, wh)
    first = warehouse.current_snapshot(wh)
    con = warehouse.connect_read_only(wh)
    try:
        for n in (1, 2):
            add(src, n)
            ingest(src, wh, keep=1)
        assert first.exists()
        assert warehouse.prune(wh, keep=1) == []
        assert con.execute("SELECT count(*) FROM bulletins").fetchall() == [(1,)]
    finally:
        con.close()
    del con
    assert first in warehouse.prune(wh, keep=1)
    assert not first.exists()


def test_next_run_removes_what_a_killed_run_left(tmp_path):
    """What a SIGKILL can leave at the worst moments (a build in progress, a CURRENT
    pointer written but not renamed, a finished file never switched in) is removed by the
    next run, and the snapshot in service is untouched."""
    wh, src = tmp_path / "wh", tmp_path / "in"
    add(src, 0)
    ingest(src, wh)
    served = warehouse.current_snapshot(wh)
    sdir = warehouse.snapshots_dir(wh)
    stale = [sdir / ".000002-20990101T000000000000-1.duckdb.building",
             sdir / ".000002-20990101T000000000000-1.duckdb.building.wal",
             sdir / "000002-20990101T000000000000-1.duckdb",
             wh / ".CURRENT.4242.tmp"]
    for p in stale:
        p.write_bytes(b"half")
    add(src, 1)
    report = ingest(src, wh)
    assert report.new_snapshot
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in sdir.iterdir()) == sorted([served.name, report.snapshot.name])
