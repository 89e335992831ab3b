"""Editor processes SIGKILLed in the middle of saving corrections: every acknowledged
correction is there afterwards, every save whole (issue 12, the process-level half).

tests/reliability/test_kill_server_saving.py kills the real server while two editors save
through the review page in Chromium; a browser saves about once a second, so its kills seldom
land inside SQLite's write. This test is the other half: two editor processes (this file run
as a script, `editor` mode) save as fast as they can through `dashboard.review.correct`, the
function the review page calls (it writes `<wh>/corrections.sqlite` via etl.corrections), so
a kill lands inside a transaction or a commit most of the time. An editor prints one
acknowledgement line (JSON: the save, figure and correction ids) only after the call
returned. At a random moment both editors get SIGKILL. Then the store is reopened, as a
restarted server would, and must: pass SQLite's integrity check; hold every acknowledged
correction exactly once, with the figure, field and value acknowledged; hold every save
whole (a save of two fields is one transaction: both records or neither); and apply through
figures_effective (the last live value of each corrected figure). The next trial's editors
write on the same store after the crash; at the end a fresh `python -m etl corrections
--json` lists the same log.
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
from collections import Counter, defaultdict
from pathlib import Path

import pytest

if __name__ != "__main__":  # run by pytest (as a script: an editor process, see the end)
    from support import PYTHON, ROOT, query, run_cli

pytestmark = pytest.mark.reliability

TRIALS = 6
UNITS = ("起", "人", "个", "支", "次")


# ------------------------------------------------------------------ the editor process

def editor(wh: str, name: str, seed: int, figures_file: str) -> None:
    """Save corrections in a loop, as the review page does; one ACK line after each save."""
    from dashboard import review, store
    from dashboard.auth import User

    figs = json.loads(Path(figures_file).read_text())
    rng = random.Random(seed)
    user = User(name, "editor", "local")
    snap = store.current(Path(wh))
    n = 0
    while True:
        n += 1
        fid = rng.choice(figs)
        changes = {"value": str(rng.randint(1, 10**6))}
        if rng.random() < 0.4:
            changes["unit"] = rng.choice(UNITS)
        reason = f"save {name}-{seed}-{n} fields={len(changes)}"
        recs = review.correct(snap, user, fid, changes, reason)
        print(json.dumps({"save": reason, "figure_id": fid,
                          "records": [[r.correction_id, r.field, r.after] for r in recs]}),
              flush=True)


# ------------------------------------------------------------------ the test

def env(wh=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("PINGAN_")}
    e["PYTHONPATH"] = str(ROOT)
    if wh is not None:
        e["PINGAN_WAREHOUSE"] = str(wh)
        e["PINGAN_ACCOUNTS"] = str(Path(wh).parent / "no-accounts.sqlite")
    return e


def acks(path: Path) -> list[dict]:
    """Complete acknowledgement lines (a line cut by the kill was never acknowledged)."""
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]


def kill(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("kill_corrections")
    demo, wh = base / "demo", base / "wh"
    r = run_cli("demo", "--bulletins", "30", "--out", demo, "--seed", "3", "--workers", "1",
                timeout=300)
    assert r.returncode == 0, r.stderr
    r = run_cli("ingest", demo, "--warehouse", wh, "--no-progress", "--workers", "1", timeout=300)
    assert r.returncode == 0, r.stderr
    from support import query
    figs = [f for (f,) in query(wh, "SELECT figure_id FROM figures ORDER BY figure_id LIMIT 60")]
    assert len(figs) >= 20
    figures_file = base / "figures.json"
    figures_file.write_text(json.dumps(figs))
    return wh, figures_file


def check_store(wh: Path, acked: list[dict]) -> list:
    """The store after the crash, reopened: whole, every acknowledged correction once."""
    from etl import corrections

    path = corrections.store_path(wh)
    con = sqlite3.connect(str(path))
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (n, seqs, ids), = con.execute(
            "SELECT count(*), count(DISTINCT seq), count(DISTINCT correction_id) FROM corrections"
        ).fetchall()
    finally:
        con.close()
    assert n == seqs == ids, (n, seqs, ids)

    recs = corrections.records(wh)          # what every reader of the store uses
    assert len(recs) == n
    by_id = {r.correction_id: r for r in recs}
    counts = Counter(r.correction_id for r in recs)
    for ack in acked:
        for cid, field, after in ack["records"]:
            assert counts[cid] == 1, (cid, counts[cid], ack)
            r = by_id[cid]
            assert (r.figure_id, r.action, r.field, r.after, r.reason) == \
                (ack["figure_id"], "correct", field, after, ack["save"]), (r, ack)
    # nothing half-written: each save (acknowledged or not) is there whole or not at all
    saves = defaultdict(list)
    for r in recs:
        saves[r.reason].append(r)
    for reason, rs in saves.items():
        want = int(reason.rsplit("fields=", 1)[1])
        assert len(rs) == want and len({r.figure_id for r in rs}) == 1, (reason, rs)
        assert sorted(r.field for r in rs) == sorted(["value", "unit"][:want]), (reason, rs)
    # and the corrections apply: figures_effective shows the last live value of each figure
    last: dict[str, float] = {}
    for r in recs:
        if r.action == "correct" and r.field == "value":
            last[r.figure_id] = r.after
    got = dict(query(wh, "SELECT figure_id, value FROM figures_effective WHERE figure_id IN "
                         "(SELECT unnest(?))", [sorted(last)]))
    assert got == last
    return recs


def test_kill_editor_processes_while_saving(warehouse, tmp_path):
    wh, figures_file = warehouse
    rng = random.Random(20261202)
    all_acked: list[dict] = []
    per_trial = []
    for trial in range(TRIALS):
        outs = [tmp_path / f"editor{trial}{who}.jsonl" for who in "AB"]
        eds = []
        try:
            for who, out in zip("AB", outs):
                with open(out, "wb") as fh:
                    eds.append(subprocess.Popen(
                        [PYTHON, __file__, "editor", str(wh), who, str(1000 * trial + ord(who)),
                         str(figures_file)], cwd=ROOT, env=env(wh), stdout=fh,
                        stderr=subprocess.DEVNULL, start_new_session=True))
            t0 = time.monotonic()
            while time.monotonic() - t0 < 60 and not all(o.stat().st_size for o in outs):
                assert all(e.poll() is None for e in eds), "an editor died on its own"
                time.sleep(0.02)
            assert all(o.stat().st_size for o in outs), "the editors never saved"
            time.sleep(rng.uniform(0.1, 2.0))
            assert all(e.poll() is None for e in eds), "an editor died before the kill"
            # SIGKILL, both at once: neither gets to finish what it was doing
            for p in eds:
                os.kill(p.pid, signal.SIGKILL)
        finally:
            for p in eds:
                kill(p)
        acked = [a for o in outs for a in acks(o)]
        assert {a["save"].split()[1][0] for a in acked} == {"A", "B"}  # both editors saved
        all_acked.extend(acked)
        recs = check_store(wh, all_acked)   # all trials' acknowledgements, not only this one's
        per_trial.append((len(acked), len(recs)))

    # a fresh process lists the same log
    r = run_cli("corrections", "--json", "--warehouse", wh, timeout=120)
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    assert len(listed) == len(recs)
    listed_ids = Counter(row["correction_id"] for row in listed)
    assert all(listed_ids[cid] == 1 for a in all_acked for cid, _, _ in a["records"])
    print(f"\n{TRIALS} kills: (acknowledged saves, records in store) per trial: {per_trial}")


def test_store_syncs_each_commit_to_disk(tmp_path):
    """A SIGKILL cannot tell whether a commit reached the disk or only the OS's cache (the
    kernel writes it out either way); a power cut can. The store's writers use
    `synchronous = FULL`, with which SQLite fsyncs the WAL at every commit before it returns
    (NORMAL, the setting before, only at checkpoints: an acknowledged save could be lost)."""
    from etl import corrections

    con = corrections._connect(tmp_path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2    # FULL
    finally:
        con.close()


if __name__ == "__main__":
    if sys.argv[1] == "editor":
        editor(*sys.argv[2:4], int(sys.argv[4]), sys.argv[5])
