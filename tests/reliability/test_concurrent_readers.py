"""Ingest while dashboard readers query from other processes (issue 12, item 1d).

Two reader processes (tests/reliability/reader_proc.py, opening snapshots as
dashboard/store.py does) query the snapshot in service without pause while three ingests
switch new snapshots in. No reader ever fails, every state a reader sees is a whole
committed snapshot, the states it sees only move forward, and after the last switch the
readers see the new data.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl import warehouse
from etl.ingest import ingest
from support import query as q

pytestmark = pytest.mark.reliability

READER = Path(__file__).with_name("reader_proc.py")


def page(county: str, n: int) -> str:
    return ("丽水:\n"
            f"{county}公安：平安护航{n}\n"
            f"本报讯 今年以来，{county}县公安局化解矛盾纠纷{500 + n}余起，组建巡防队{2 + n}支。\n")


def add(folder: Path, start: int, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"b{n:03d}.txt").write_text(page(["缙云", "遂昌", "松阳", "庆元"][n % 4], n),
                                              encoding="utf-8")


def test_readers_never_fail_and_see_the_switch(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    add(src, 0, 10)
    assert ingest([src], wh, progress=False).ok
    committed = [(10, 1)]
    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader{i}.json" for i in range(2)]
    readers = [subprocess.Popen([sys.executable, str(READER), "poll", str(wh), str(o), str(stop)])
               for o in outs]
    try:
        time.sleep(1.0)  # both readers are querying before the first switch
        for k in range(3):
            add(src, 10 + 10 * k, 10)
            report = ingest([src], wh, progress=False)  # the real ingest, in this process
            assert report.ok and report.new_snapshot
            committed.append((20 + 10 * k, 2 + k))
        final = warehouse.current_snapshot(wh)
        time.sleep(1.5)  # the readers pick up the last switch on their next query
        assert all(r.poll() is None for r in readers)  # no reader died
    finally:
        stop.touch()
        for r in readers:
            r.wait(timeout=60)
    assert q(wh, "SELECT count(*) FROM bulletins") == [(40,)]
    assert warehouse.current_snapshot(wh) == final
    for out in outs:
        seen = json.loads(out.read_text())
        assert seen["errors"] == [], seen["errors"][:5]
        states = [tuple(s[:2]) for s in seen["states"]]
        assert set(states) <= set(committed), (states, committed)
        assert states == sorted(states)          # only forward: never an older snapshot again
        assert states[-1] == committed[-1]       # the new data is seen after the switch
        assert all(s[2] == 0 for s in seen["states"])
        assert seen["reads"] >= 10
