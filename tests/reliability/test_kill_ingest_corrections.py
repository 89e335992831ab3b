"""No lost corrections after a killed ingest (issue 12).

A warehouse is loaded from a demo corpus, then editors' records are made with the command
line (`python -m etl correct`): value and unit corrections, a confirmation, a rejection and
an undone correction. Each trial adds bulletins and touches the files the corrected
figures come from (so the ingest reads them again), starts `python -m etl ingest` and
SIGKILLs it at a random moment of its run (one process or a pool of two workers). After
every kill and after a final run to completion: the correction store passes SQLite's
integrity check and holds exactly the records made (none lost, none added, none changed),
and `python -m etl sql` on the new snapshot shows them applied through figures_effective:
corrected values and units, the rejected figure left out, the undone correction no longer
applied, the confirmed figure confirmed; no correction is an orphan.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from etl import corrections, warehouse
from support import PYTHON, ROOT, query, run_cli, wait_for_lock_owner

pytestmark = pytest.mark.reliability

TRIALS = 5
BASE = 80
STEP = 25


def env():
    e = {k: v for k, v in os.environ.items() if not k.startswith("PINGAN_")}
    e["PYTHONPATH"] = str(ROOT)
    return e


def ingest_cmd(src, wh, workers):
    return [PYTHON, "-m", "etl", "ingest", str(src), "--warehouse", str(wh), "--no-progress",
            "--workers", str(workers)]


def correct(wh, *args) -> list[dict]:
    r = run_cli("correct", *args, "--by", "审核员甲", "--reason", "核对原文", "--json",
                "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def store_rows(wh) -> list[tuple]:
    """The whole log, read afresh, after checking the file is sound."""
    con = sqlite3.connect(str(corrections.store_path(wh)))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return con.execute("SELECT * FROM corrections ORDER BY seq").fetchall()
    finally:
        con.close()


def sql(wh, text) -> list[dict]:
    r = run_cli("sql", text, "--json", "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kill_corr_corpus") / "demo"
    r = run_cli("demo", "--bulletins", str(BASE + (TRIALS + 1) * STEP), "--out", out, "--seed", "17",
                "--workers", "1", timeout=300)
    assert r.returncode == 0, r.stderr
    return out


def test_corrections_survive_killed_ingests(corpus, tmp_path):
    pool = sorted(p for p in corpus.iterdir() if p.name != "manifest.csv")
    src, wh = tmp_path / "in", tmp_path / "wh"
    src.mkdir()
    (src / "manifest.csv").write_bytes((corpus / "manifest.csv").read_bytes())
    for p in pool[:BASE]:
        os.link(p, src / p.name)
    taken = BASE
    r = subprocess.run(ingest_cmd(src, wh, 1), env=env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

    # editors' records, through the command line
    figs = query(wh, "SELECT f.figure_id, f.value, b.path FROM figures f JOIN bulletins b "
                     "USING (bulletin_id) WHERE f.unit IS NOT NULL ORDER BY f.figure_id")
    rng = random.Random(1203)
    chosen = rng.sample(figs, 8)
    fixed, confirmed, rejected, undone = chosen[:5], chosen[5], chosen[6], chosen[7]
    want_value = {}
    for k, (fid, value, _) in enumerate(fixed):
        want_value[fid] = float(int(value or 0) + 1000 + k)
        sets = [f"value={int(want_value[fid])}"] + (["unit=支"] if k % 2 else [])
        correct(wh, fid, "--set", *sets)
    correct(wh, confirmed[0], "--confirm")
    correct(wh, rejected[0], "--reject")
    cid = correct(wh, undone[0], "--set", "value=987654")[0]["correction_id"]
    correct(wh, "--undo", cid)
    made = store_rows(wh)
    assert len(made) == 5 + 2 + 1 + 1 + 1 + 1  # 5 values, 2 units, confirm, reject, set, undo
    sources = {Path(p) for _, _, p in chosen}

    # how long a run's work takes once it holds the lock (measured, not guessed)
    def next_step():
        nonlocal taken
        for p in pool[taken:taken + STEP]:
            os.link(p, src / p.name)
        taken += STEP
        now = time.time()
        for p in sources:               # the corrected figures' files are read again
            os.utime(src / p.name, (now, now))

    next_step()
    proc = subprocess.Popen(ingest_cmd(src, wh, 1), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    assert wait_for_lock_owner(wh / warehouse.LOCK, proc)
    t0 = time.monotonic()
    assert proc.wait(timeout=300) == 0
    work = time.monotonic() - t0
    assert store_rows(wh) == made

    kills = []
    for trial in range(TRIALS - 1):
        next_step()
        workers = 2 if trial % 2 else 1
        before = warehouse.current_snapshot(wh).name
        proc = subprocess.Popen(ingest_cmd(src, wh, workers), env=env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            started = wait_for_lock_owner(wh / warehouse.LOCK, proc)
            delay = rng.uniform(0.0, 1.1) * work
            time.sleep(delay if started else 0)
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            rc = proc.wait(timeout=60)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        assert rc in (0, -signal.SIGKILL), rc
        kills.append((workers, round(delay, 2), rc,
                      warehouse.current_snapshot(wh).name != before))
        assert store_rows(wh) == made, f"trial {trial}: the log changed after a killed ingest"

    # the next run completes
    next_step()
    r = subprocess.run(ingest_cmd(src, wh, 2), env=env(), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    (n,), = query(wh, "SELECT count(*) FROM bulletins")
    assert n == taken == len(list(src.iterdir())) - 1   # every file but the manifest
    assert store_rows(wh) == made
    assert sum(1 for r in corrections.records(wh)) == len(made)

    # still applied, read through figures_effective by a fresh process
    ids = "', '".join(fid for fid, _, _ in chosen)
    rows = {r["figure_id"]: r for r in sql(
        wh, "SELECT figure_id, value, unit, review_status, confirmed, corrected "
            f"FROM figures_effective WHERE figure_id IN ('{ids}')")}
    for k, (fid, _, _) in enumerate(fixed):
        assert rows[fid]["value"] == want_value[fid], (fid, rows[fid])
        assert rows[fid]["review_status"] == "corrected"
        if k % 2:
            assert rows[fid]["unit"] == "支"
    assert rejected[0] not in rows
    assert rows[confirmed[0]]["review_status"] == "confirmed"
    assert rows[undone[0]]["value"] == undone[1] and not rows[undone[0]]["corrected"]
    raw = {f: v for f, v in query(wh, f"SELECT figure_id, value FROM figures WHERE figure_id IN ('{ids}')")}
    assert set(raw) == {fid for fid, _, _ in chosen}   # every corrected figure still extracted
    r = run_cli("corrections", "--orphans", "--json", "--warehouse", wh)
    assert r.returncode == 0 and json.loads(r.stdout) == [], r.stdout + r.stderr
    print(f"\nkills (workers, delay s, rc, switched) with work {work:.2f}s: {kills}")
