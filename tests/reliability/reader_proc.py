"""A dashboard-like reader in its own process, for the reliability tests.

    python reader_proc.py poll WH OUT STOP   query the snapshot in service until STOP exists;
                                             write {"reads", "errors", "states"} to OUT
    python reader_proc.py hold WH            open the snapshot in service, print its name and
                                             counts, wait for a line on stdin, query the same
                                             connection again, print the counts, exit

It opens snapshots the way dashboard/store.py does: read CURRENT, then
etl.warehouse.connect_read_only(wh, snapshot=path).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from etl import warehouse  # noqa: E402


def counts(con) -> list[int]:
    n = con.execute("SELECT count(*) FROM bulletins").fetchall()[0][0]
    runs = con.execute("SELECT count(*) FROM ingest_runs").fetchall()[0][0]
    dups = con.execute("SELECT count(*) - count(DISTINCT figure_id) FROM figures").fetchall()[0][0]
    dup_b = con.execute("SELECT count(*) - count(DISTINCT path) FROM bulletins").fetchall()[0][0]
    # the corrections as every dashboard read sees them (connect_read_only installs them)
    fixed = con.execute("SELECT count(*) FROM figures_effective WHERE corrected").fetchall()[0][0]
    return [n, runs, dups + dup_b, fixed]


def poll(wh: Path, out: Path, stop: Path) -> None:
    reads, errors, states = 0, [], []
    while not stop.exists():
        path = warehouse.current_snapshot(wh)
        if path is None:
            time.sleep(0.05)
            continue
        try:
            con = warehouse.connect_read_only(wh, snapshot=path)
            try:
                state = counts(con)
            finally:
                con.close()
                del con
        except Exception as exc:  # any failure is what the test is looking for
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
        else:
            reads += 1
            if not states or states[-1] != state:
                states.append(state)
        time.sleep(0.03)  # a busy dashboard, not a busy loop: the machine is shared
    out.write_text(json.dumps({"reads": reads, "errors": errors, "states": states}))


def hold(wh: Path) -> None:
    path = warehouse.current_snapshot(wh)
    con = warehouse.connect_read_only(wh, snapshot=path)
    print(json.dumps({"snapshot": path.name, "counts": counts(con)}), flush=True)
    sys.stdin.readline()
    print(json.dumps({"snapshot": path.name, "counts": counts(con)}), flush=True)
    con.close()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "poll":
        poll(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    elif mode == "hold":
        hold(Path(sys.argv[2]))
    else:
        sys.exit(f"unknown mode {mode}")
    os._exit(0)
