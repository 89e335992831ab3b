"""A reader sees the old snapshot or the new one, never a half-built file.

Ingests run in a subprocess (as in production, where the dashboard and the ETL are
separate processes); the reader is this test process.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from etl import warehouse
from support import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def page(county: str, n: int) -> str:
    return (
        "丽水:\n"
        f"{county}公安：山区共治显成效\n"
        "通讯员 叶青\n"
        f"本报讯 今年以来，{county}县公安局联合乡镇开展矛盾纠纷排查，化解纠纷{500 + n}余起，"
        f"组建山区巡防队{2 + n % 9}支，开展安全宣讲{30 + n}场。\n"
    )


def add_files(folder: Path, start: int, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    counties = ["缙云", "遂昌", "松阳", "庆元", "云和", "青田"]
    for i in range(start, start + count):
        (folder / f"b{i:03d}.txt").write_text(page(counties[i % 6], i), encoding="utf-8")


def n_bulletins(con) -> int:
    return con.execute("SELECT count(*) FROM bulletins").fetchall()[0][0]


def test_open_reader_keeps_old_snapshot_new_reader_sees_new(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    add_files(src, 0, 2)
    assert run_cli("ingest", src, "--warehouse", wh).returncode == 0
    old = warehouse.connect_read_only(wh)
    try:
        assert n_bulletins(old) == 2
        # four more runs: the new snapshots switch in and the old file is pruned
        for k in range(4):
            add_files(src, 2 + k, 1)
            r = run_cli("ingest", src, "--warehouse", wh)
            assert r.returncode == 0, r.stderr
        assert n_bulletins(old) == 2  # still the snapshot it opened, still readable
        new = warehouse.connect_read_only(wh)
        try:
            assert n_bulletins(new) == 6
        finally:
            new.close()
    finally:
        old.close()
    # the snapshot the old reader held was not deleted under it: the newest three and it
    assert len(list((wh / "snapshots").glob("*.duckdb"))) == warehouse.KEEP_SNAPSHOTS + 1
    del old  # its lease goes with the connection object: the next cleanup removes the file
    add_files(src, 6, 1)
    assert run_cli("ingest", src, "--warehouse", wh).returncode == 0
    assert len(list((wh / "snapshots").glob("*.duckdb"))) == warehouse.KEEP_SNAPSHOTS


def test_crash_before_switch_leaves_previous_serving(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    add_files(src, 0, 3)
    assert run_cli("ingest", src, "--warehouse", wh).returncode == 0
    served = warehouse.current_snapshot(wh)
    status_before = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)

    add_files(src, 3, 2)
    r = run_cli("ingest", src, "--warehouse", wh, env_extra={warehouse.CRASH_ENV: "1"})
    assert r.returncode != 0
    assert "SimulatedCrash" in r.stderr
    # the new file was complete but never switched in: readers still get the old one
    assert warehouse.current_snapshot(wh) == served
    status_after = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)
    assert status_after == status_before

    # the next normal run cleans the orphan and loads the new files
    r = run_cli("ingest", src, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    con = warehouse.connect_read_only(wh)
    try:
        assert n_bulletins(con) == 5
    finally:
        con.close()
    snaps = sorted(p.name for p in (wh / "snapshots").iterdir())
    assert snaps == sorted([served.name, warehouse.current_snapshot(wh).name])


def test_polling_reader_never_sees_a_partial_snapshot(tmp_path):
    """While ingests run in another process, every open sees a whole snapshot."""
    wh, src = tmp_path / "wh", tmp_path / "in"
    add_files(src, 0, 2)
    assert run_cli("ingest", src, "--warehouse", wh).returncode == 0
    seen: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            try:
                con = warehouse.connect_read_only(wh)
            except Exception as exc:  # a pruned file between reading CURRENT and opening it
                errors.append(repr(exc))
                continue
            try:
                n = n_bulletins(con)
                # the run table and the data agree: a snapshot is never half written
                runs = con.execute("SELECT count(*) FROM ingest_runs").fetchall()[0][0]
                seen.append(n * 100 + runs)
            finally:
                con.close()

    t = threading.Thread(target=poll)
    t.start()
    try:
        for k in range(3):
            add_files(src, 2 + 2 * k, 2)
            r = run_cli("ingest", src, "--warehouse", wh)
            assert r.returncode == 0, r.stderr
    finally:
        stop.set()
        t.join()
    assert not errors, errors[:3]
    # (bulletins, runs) pairs of whole snapshots only
    assert set(seen) <= {201, 402, 603, 804}
    assert seen[0] == 201 and len(seen) > 3


def test_second_writer_gets_busy(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    add_files(src, 0, 1)
    with warehouse.writer_lock(wh):
        r = run_cli("ingest", src, "--warehouse", wh)
    assert r.returncode == 3
    assert "another ingest" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert warehouse.current_snapshot(wh) is None
