"""Pool workers do not outlive a SIGKILLed ingest (issue 12).

`python -m etl ingest --workers 2` runs extraction in a forkserver process pool. A SIGKILLed
ingest cannot shut its pool down; before the fix its workers (children of the fork
server) finished their chunk and then waited forever on the task queue, holding the
ingest's stderr and memory. Each worker now arms prctl(PR_SET_PDEATHSIG, SIGKILL) in the
pool initializer (etl/parallel.py `die_with_parent`). The test starts real ingests, waits
until worker processes exist under the ingest process, SIGKILLs the ingest alone (not its
process group) and requires every process that descended from it to be gone within a few
seconds. Linux only (the fix is a no-op elsewhere).
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from support import PYTHON, ROOT, run_cli

pytestmark = [pytest.mark.reliability,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="PR_SET_PDEATHSIG is Linux only")]

TRIALS = 3
FILES = 400          # 13 chunks of 32: the pool is used and busy for a while
GRACE_S = 5.0        # the descendants must be gone within this after the kill


def env():
    e = {k: v for k, v in os.environ.items() if not k.startswith("PINGAN_")}
    e["PYTHONPATH"] = str(ROOT)
    return e


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("orphan_corpus") / "demo"
    r = run_cli("demo", "--bulletins", str(FILES), "--out", out, "--seed", "5", "--workers", "1",
                timeout=300)
    assert r.returncode == 0, r.stderr
    return out


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def workers_of(ingest_pid: int, kids: list[psutil.Process]) -> list[psutil.Process]:
    """Pool workers among the descendants: the fork server's children (grandchildren of the
    ingest; the fork server and resource tracker are its direct children)."""
    out = []
    for p in kids:
        try:
            if p.ppid() != ingest_pid:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    left = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(p)
        except psutil.NoSuchProcess:
            pass
    return left


def test_workers_die_with_a_killed_ingest(corpus, tmp_path):
    rng = random.Random(1212)
    survivors_seen = []
    for trial in range(TRIALS):
        wh = tmp_path / f"wh{trial}"
        proc = subprocess.Popen(
            [PYTHON, "-m", "etl", "ingest", str(corpus), "--warehouse", str(wh), "--no-progress",
             "--workers", "2"], env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            # wait until the pool's two workers exist (children of the fork server)
            t0 = time.monotonic()
            workers: list[psutil.Process] = []
            while time.monotonic() - t0 < 120 and proc.poll() is None:
                kids = descendants(proc.pid)
                workers = workers_of(proc.pid, kids)
                if len(workers) >= 2:
                    break
                time.sleep(0.01)
            assert proc.poll() is None, f"ingest ended (rc {proc.returncode}) before its pool started"
            assert len(workers) >= 2, [p.cmdline() for p in descendants(proc.pid)]
            time.sleep(rng.uniform(0.0, 0.5))   # somewhere in extraction
            tree = descendants(proc.pid)        # everything under the ingest at the kill
            assert proc.poll() is None, "ingest finished before the kill: make the corpus larger"
            os.kill(proc.pid, signal.SIGKILL)   # the ingest alone, as the OOM killer would
            assert proc.wait(timeout=30) == -signal.SIGKILL
            deadline = time.monotonic() + GRACE_S
            left = alive(tree)
            while left and time.monotonic() < deadline:
                time.sleep(0.05)
                left = alive(tree)
            survivors_seen.append([(p.pid, " ".join(p.cmdline())[:120]) for p in left])
            assert not left, (f"trial {trial}: {len(left)} of {len(tree)} descendants outlived the "
                              f"SIGKILLed ingest by {GRACE_S}s: {survivors_seen[-1]}")
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)   # never leave a pool behind
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait(timeout=30)


def test_pool_still_completes_an_ingest(corpus, tmp_path):
    """The initializer does not get in the way of a normal run: the pool ingest completes,
    loads every file, and its processes are gone with it."""
    wh = tmp_path / "wh"
    proc = subprocess.Popen(
        [PYTHON, "-m", "etl", "ingest", str(corpus), "--warehouse", str(wh), "--no-progress",
         "--workers", "2"], env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    seen: set[int] = set()
    while proc.poll() is None:
        seen.update(p.pid for p in workers_of(proc.pid, descendants(proc.pid)))
        time.sleep(0.02)
    err = proc.stderr.read().decode(errors="replace")
    assert proc.returncode == 0, err
    assert len(seen) >= 2, "the run did not use a pool of two workers"
    from support import query
    (n,), = query(wh, "SELECT count(*) FROM bulletins")
    assert n == FILES   # every bulletin of the demo corpus (txt, htm, docx…)
    left = [pid for pid in seen if psutil.pid_exists(pid)
            and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not left, left
