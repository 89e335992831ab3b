"""SIGKILL of `python -m etl ingest` at random moments (issue 12, item 1c).

A demo corpus is loaded in steps of BATCH files. Editors' records are made on the first
snapshot (value and unit corrections, a confirmation, a rejection, an undone correction),
and every step touches the files of those figures, so each run reads them again. Each trial
starts an ingest of the next step and kills it (SIGKILL, no chance to clean up) after a
random delay measured from the moment the run holds the writer lock, spread over the run's
own working time and a little past it, so kills land in extraction, in loading and around
the switch. After each kill: the snapshot in service is the old state or the new one, whole
(its run table and rows agree, no duplicate ids) and opens read-only; the lock is free; the
correction store passes SQLite's integrity check and holds exactly the records made (none
lost, added or changed). A reader process (reader_proc.py, reading as the dashboard does,
corrections installed) queries all along and must never fail, and every read sees the
corrected figures. At the end one more run completes; the warehouse holds exactly what a
clean ingest of the same folder holds, with no half-built file left, and the corrections
apply through figures_effective with none orphaned.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from etl import corrections, warehouse
from support import PYTHON, ROOT, query, run_cli, wait_for_lock_owner

pytestmark = pytest.mark.reliability

READER = Path(__file__).with_name("reader_proc.py")
TRIALS = 20
BATCH = 40
BASE = 60


def ingest_cmd(src, wh, workers=1):
    return [PYTHON, "-m", "etl", "ingest", str(src), "--warehouse", str(wh), "--no-progress",
            "--workers", str(workers)]


def env():
    e = {k: v for k, v in os.environ.items() if not k.startswith("PINGAN_")}
    e["PYTHONPATH"] = str(ROOT)
    return e


def state(wh) -> tuple[int, int]:
    """(bulletins, runs) of the snapshot in service, after checking it is whole."""
    con = warehouse.connect_read_only(wh)
    try:
        (n, paths), = con.execute("SELECT count(*), count(DISTINCT path) FROM bulletins").fetchall()
        (nf, ids), = con.execute("SELECT count(*), count(DISTINCT figure_id) FROM figures").fetchall()
        (runs, last_snap), = con.execute(
            "SELECT count(*), max_by(snapshot, run_id) FROM ingest_runs").fetchall()
        (orphans,), = con.execute("SELECT count(*) FROM figures f ANTI JOIN bulletins b "
                                  "USING (bulletin_id)").fetchall()
    finally:
        con.close()
    assert n == paths and nf == ids and orphans == 0, (n, paths, nf, ids, orphans)
    assert last_snap == warehouse.current_snapshot(wh).name  # the file is the run it claims
    return n, runs


def leftovers(wh) -> list[str]:
    """Half-built or never-served files: none may stay after a completed run."""
    current = warehouse.current_snapshot(wh).name
    sdir = warehouse.snapshots_dir(wh)
    bad = [p.name for p in sdir.iterdir()
           if p.name.endswith((".building", ".wal")) or (p.suffix == ".duckdb" and p.name > current)]
    bad += [p.name for p in Path(wh).glob(".CURRENT.*")]
    return bad


def phase(wh, before: tuple[int, int], after: tuple[int, int]) -> str:
    if after != before:
        return "after the switch"
    names = [p.name for p in warehouse.snapshots_dir(wh).iterdir()]
    current = warehouse.current_snapshot(wh).name
    if any(n.endswith(".building") for n in names):
        return "loading (snapshot being built)"
    if any(n.endswith(".duckdb") and n > current for n in names):
        return "between rename and switch"
    return "extraction (lock held, build not opened yet)"


def store_rows(wh) -> list[tuple]:
    """The whole correction log, read afresh, after checking the file is sound."""
    con = sqlite3.connect(str(corrections.store_path(wh)))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return con.execute("SELECT * FROM corrections ORDER BY seq").fetchall()
    finally:
        con.close()


def make_corrections(wh, rng) -> dict:
    """Editors' records on the current snapshot, through etl.corrections (what `etl correct`
    and the review page call): five value corrections (two with a unit), a confirmation, a
    rejection, a correction then undone. Returns what figures_effective must show."""
    figs = query(wh, "SELECT f.figure_id, f.value, b.path FROM figures f JOIN bulletins b "
                     "USING (bulletin_id) WHERE f.unit IS NOT NULL ORDER BY f.figure_id")
    chosen = rng.sample(figs, 8)
    fixed, confirmed, rejected, undone = chosen[:5], chosen[5], chosen[6], chosen[7]
    con = warehouse.connect_read_only(wh, corrections=False)
    try:
        want = {}
        for k, (fid, value, _) in enumerate(fixed):
            changes = {"value": str(int(value or 0) + 1000 + k)}
            if k % 2:
                changes["unit"] = "支"
            corrections.correct(wh, con, fid, changes, "审核员甲", "核对原文")
            want[fid] = (float(changes["value"]), changes.get("unit"))
        corrections.verdict(wh, con, [confirmed[0]], "confirm", "审核员乙", "无误")
        corrections.verdict(wh, con, [rejected[0]], "reject", "审核员乙", "非工作成效")
        cid = corrections.correct(wh, con, undone[0], {"value": "987654"}, "审核员甲", "试改")[0].correction_id
        corrections.undo(wh, cid, "审核员甲", "改错了")
    finally:
        con.close()
    return {"fixed": want, "confirmed": confirmed[0], "rejected": rejected[0],
            "undone": (undone[0], undone[1]), "sources": {Path(p).name for _, _, p in chosen}}


def check_applied(wh, made: dict) -> None:
    """After the last run: the corrections apply through figures_effective, none orphaned."""
    ids = sorted([*made["fixed"], made["confirmed"], made["rejected"], made["undone"][0]])
    rows = {r[0]: r[1:] for r in query(
        wh, "SELECT figure_id, value, unit, review_status, corrected FROM figures_effective "
            "WHERE figure_id IN (SELECT unnest(?))", [ids])}
    for fid, (value, unit) in made["fixed"].items():
        assert rows[fid][0] == value and rows[fid][2] == "corrected", (fid, rows[fid])
        if unit:
            assert rows[fid][1] == unit
    assert made["rejected"] not in rows
    assert rows[made["confirmed"]][2] == "confirmed"
    fid, value = made["undone"]
    assert rows[fid][0] == value and not rows[fid][3]
    assert len(query(wh, "SELECT figure_id FROM figures WHERE figure_id IN (SELECT unnest(?))",
                     [ids])) == len(ids)            # every corrected figure still extracted
    con = warehouse.connect_read_only(wh, corrections=False)
    try:
        assert corrections.orphans(wh, con) == []
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kill_corpus") / "demo"
    r = run_cli("demo", "--bulletins", str(BASE + 8 * BATCH), "--out", out, "--seed", "11",
                "--workers", "1", timeout=300)
    assert r.returncode == 0, r.stderr
    return out


def test_sigkill_at_random_moments(corpus, tmp_path):
    pool = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    src, wh = tmp_path / "in", tmp_path / "wh"
    src.mkdir()
    (src / "manifest.csv").write_bytes((corpus / "manifest.csv").read_bytes())
    taken = 0

    def next_step(k: int) -> None:
        """Add the next BATCH files of the corpus; when it runs out, BATCH new pages of our
        own (demo files come in several encodings: appending to them would spoil them)."""
        nonlocal taken
        now = time.time()
        for name in made["sources"]:       # the corrected figures' files are read again
            os.utime(src / name, (now, now))
        if taken + BATCH <= len(pool):
            for p in pool[taken:taken + BATCH]:
                os.link(p, src / p.name)
            taken += BATCH
        else:
            for i in range(BATCH):
                (src / f"extra_{k:02d}_{i:03d}.txt").write_text(
                    f"缙云公安：平安护航{k}-{i}\n本报讯 今年以来，缙云县公安局化解矛盾纠纷"
                    f"{100 * k + i}余起，新增巡防队{k + 3}支。\n", encoding="utf-8")

    for p in pool[:BASE]:
        os.link(p, src / p.name)
    taken = BASE
    assert subprocess.run(ingest_cmd(src, wh), env=env(), capture_output=True).returncode == 0
    valid = {state(wh)}
    rng = random.Random(20261201)
    made = make_corrections(wh, rng)
    log = store_rows(wh)
    assert len(log) == 5 + 2 + 1 + 1 + 1 + 1   # 5 values, 2 units, confirm, reject, set, undo

    # how long a step's work takes once the lock is held (measured, not guessed)
    next_step(0)
    proc = subprocess.Popen(ingest_cmd(src, wh), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert wait_for_lock_owner(wh / warehouse.LOCK, proc)
    t0 = time.monotonic()
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    work = time.monotonic() - t0
    current = state(wh)
    valid.add(current)
    next_step(1)

    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, str(READER), "poll", str(wh), str(out), str(stop)],
                              env=env())
    phases: Counter = Counter()
    groups: list[int] = []
    try:
        for trial in range(TRIALS):
            workers = 2 if trial % 5 == 4 else 1
            errlog = open(tmp_path / f"stderr{trial}.txt", "w+")
            proc = subprocess.Popen(ingest_cmd(src, wh, workers), env=env(),
                                    stdout=subprocess.DEVNULL, stderr=errlog,
                                    start_new_session=True)
            groups.append(proc.pid)
            started = wait_for_lock_owner(wh / warehouse.LOCK, proc)
            # a third of the kills aimed at the end of the run (the switch), the rest anywhere
            delay = (rng.uniform(0.8, 1.15) if trial % 3 == 2 else rng.uniform(0.0, 1.1)) * work
            time.sleep(delay if started else 0)
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            rc = proc.wait(timeout=60)
            # the lock died with the process: the pool's forkserver and workers (which now die
            # with it too, test_pool_orphans.py) never hold it, even in the moments they linger
            with warehouse.writer_lock(wh):
                pass
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # as a supervisor would: any process still dying
            except (ProcessLookupError, PermissionError):
                pass
            errlog.seek(0)
            err = errlog.read()
            errlog.close()
            assert rc in (0, -signal.SIGKILL), (rc, err)
            assert store_rows(wh) == log, f"trial {trial}: the correction log changed"
            after = state(wh)
            assert after in (current, (current[0] + BATCH, current[1] + 1),
                             (current[0], current[1] + 1)), (trial, current, after)
            where = phase(wh, current, after)
            phases[where] += 1
            print(f"trial {trial:2d}: workers {workers}, kill after {delay:5.2f}s -> {where}",
                  file=sys.stderr, flush=True)
            if after != current:
                assert not leftovers(wh), leftovers(wh)
                current = after
                valid.add(current)
                next_step(trial + 2)
        # the next run completes: nothing duplicated, nothing half-built left
        r = subprocess.run(ingest_cmd(src, wh), env=env(), capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        final = state(wh)
        valid.add(final)
    finally:
        stop.touch()
        reader.wait(timeout=60)
        for g in groups:  # never leave a pool behind, even when an assertion failed
            try:
                os.killpg(g, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    assert not leftovers(wh), leftovers(wh)
    n_files = len(list(src.glob("*.txt")))
    assert final[0] == n_files
    assert store_rows(wh) == log            # no lost corrections
    check_applied(wh, made)

    seen = json.loads(out.read_text())
    assert seen["errors"] == [], seen["errors"][:5]
    assert seen["reads"] > TRIALS
    assert {tuple(s[:2]) for s in seen["states"]} <= valid, (seen["states"], valid)
    assert all(s[2] == 0 for s in seen["states"])
    assert all(s[3] == len(made["fixed"]) for s in seen["states"])  # corrections in every read

    # what a clean ingest of the same folder holds, figure for figure
    clean = tmp_path / "clean"
    assert subprocess.run(ingest_cmd(src, clean), env=env(), capture_output=True).returncode == 0

    def ids(w):
        con = warehouse.connect_read_only(w)
        try:
            return sorted(con.execute("SELECT figure_id, value, metric FROM figures").fetchall())
        finally:
            con.close()
    assert ids(wh) == ids(clean)
    print(f"\nkill phases over {TRIALS} trials (work {work:.2f}s): {dict(phases)}")
    assert len(phases) >= 2, phases  # kills landed in more than one phase
