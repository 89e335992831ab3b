"""Ingest on several processes: the same snapshot whatever the number of workers, a worker
that dies on one file fails that file only, and a new snapshot built from a copy of the
previous file holds exactly what a build from scratch holds.

Real demo bulletins (etl.demo), the real pool of processes, real DuckDB files. The chunk
size is made small so that a few dozen files make several chunks.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from etl import demo, parallel, warehouse
from etl.ingest import ingest

TABLES = ("bulletins", "articles", "figures", "counties", "metrics", "initiatives")
#: columns that differ between two warehouses for reasons that are not the data
RUN_COLUMNS = ("run_id", "mtime")


def rows(wh: Path, table: str) -> list[tuple]:
    """A table in stored order (no ORDER BY: the order itself is checked)."""
    con = warehouse.connect_read_only(wh)
    try:
        cols = [c for c, in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall() if c not in RUN_COLUMNS]
        quoted = ", ".join(f'"{c}"' for c in cols)
        return con.execute(f"SELECT {quoted} FROM {table}").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("par") / "demo"
    demo.generate(24, out, seed=21)
    return out


def test_one_and_two_workers_give_the_same_snapshot(tmp_path, corpus):
    one = ingest([corpus], tmp_path / "w1", progress=False, workers=1, chunk_files=3)
    two = ingest([corpus], tmp_path / "w2", progress=False, workers=2, chunk_files=3)
    assert one.counts == two.counts and one.counts["read"] == 24
    assert one.figures_added == two.figures_added > 120
    for table in TABLES:
        assert rows(tmp_path / "w1", table) == rows(tmp_path / "w2", table), table
    assert [(f.path, f.outcome, f.bulletin_id, f.n_figures) for f in one.files] == \
           [(f.path, f.outcome, f.bulletin_id, f.n_figures) for f in two.files]
    # and the same as the chunk size the command line uses
    big = ingest([corpus], tmp_path / "w3", progress=False, workers=2)
    assert rows(tmp_path / "w3", "figures") == rows(tmp_path / "w1", "figures")
    assert big.figures_added == one.figures_added


def test_worker_dying_on_one_file_fails_that_file_the_rest_load(tmp_path, corpus, monkeypatch):
    victim = sorted(p.name for p in corpus.glob("*.txt"))[7]
    reference = ingest([corpus], tmp_path / "ok", progress=False, workers=1)
    monkeypatch.setenv(parallel.CRASH_ON_ENV, victim)
    report = ingest([corpus], tmp_path / "crash", progress=False, workers=2, chunk_files=3)
    failed = [f for f in report.files if f.outcome == "failed"]
    assert [Path(f.path).name for f in failed] == [victim]
    assert "worker process died" in failed[0].reason
    assert report.counts["read"] == reference.counts["read"] - 1
    # every other file's figures are there, in the same order as without the crash
    victim_bid = next(f.bulletin_id for f in reference.files if Path(f.path).name == victim)
    expected = [r for r in rows(tmp_path / "ok", "figures") if r[1] != victim_bid]
    assert rows(tmp_path / "crash", "figures") == expected
    # the next run (no crash) picks the file up
    monkeypatch.delenv(parallel.CRASH_ON_ENV)
    again = ingest([corpus], tmp_path / "crash", progress=False, workers=2, chunk_files=3)
    assert again.counts["read"] == 1 and again.counts["unchanged"] == 23


def test_snapshot_from_a_copy_equals_one_built_from_scratch(tmp_path, corpus):
    first = sorted(corpus.glob("*.txt"))[:15]
    later = sorted(corpus.glob("*"))
    ingest(first, tmp_path / "a", progress=False)
    # change one stored file: its rows must be replaced, in place, in the copy
    changed = tmp_path / "changed.txt"
    changed.write_text(first[0].read_text(encoding="utf-8"), encoding="utf-8")
    ingest([*first[1:], changed], tmp_path / "a", progress=False)
    changed.write_text(changed.read_text(encoding="utf-8") + "\n本报讯 云和县公安局今年破获刑事案件88起。\n",
                       encoding="utf-8")
    copied = ingest([*later, changed], tmp_path / "a", progress=False, workers=2, chunk_files=4)
    assert copied.new_snapshot
    # the same three runs, every snapshot built from scratch
    os.environ[warehouse.FRESH_ENV] = "1"
    try:
        b = tmp_path / "b"
        changed.write_text(first[0].read_text(encoding="utf-8"), encoding="utf-8")
        ingest(first, b, progress=False)
        ingest([*first[1:], changed], b, progress=False)
        changed.write_text(changed.read_text(encoding="utf-8") + "\n本报讯 云和县公安局今年破获刑事案件88起。\n",
                           encoding="utf-8")
        fresh = ingest([*later, changed], b, progress=False)
    finally:
        del os.environ[warehouse.FRESH_ENV]
    assert fresh.counts == copied.counts
    for table in TABLES:
        assert rows(tmp_path / "a", table) == rows(b, table), table
    assert q_count(tmp_path / "a", "v_latest") == q_count(b, "v_latest") > 0


def q_count(wh, view):
    con = warehouse.connect_read_only(wh)
    try:
        return con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    finally:
        con.close()


def test_changed_schema_means_a_fresh_build(tmp_path, corpus):
    wh = tmp_path / "wh"
    files = sorted(corpus.glob("*.txt"))
    ingest(files[:5], wh, progress=False)
    snap = warehouse.current_snapshot(wh)
    assert warehouse.copyable(snap)
    # an older snapshot without a column schema.sql has now: it cannot be the copy's start
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(f"ATTACH '{snap}' AS s (READ_ONLY)")
    con.execute("COPY FROM DATABASE s TO old")
    con.execute("ALTER TABLE figures DROP COLUMN synthetic")
    con.execute("DETACH s")
    con.close()
    assert not warehouse.copyable(old)


def test_a_value_no_column_holds_fails_its_file_not_its_chunk(corpus):
    """A chunk's rows are made into Arrow tables once; when one file's value does not fit
    its column, that file is failed and the chunk's other files keep their rows."""
    files = sorted(corpus.glob("*.txt"))[:3]
    assert all(f.stat().st_size < 2**15 for f in files)
    columns = warehouse.row_columns()
    columns["bulletins"] = [(c, "SMALLINT" if c == "size_bytes" else t, d)  # int16
                            for c, t, d in columns["bulletins"]]

    def chunk(sizes):
        items = [parallel.Item(str(f), s, 0.0, None, None) for f, s in zip(files, sizes)]
        return parallel.extract_chunk(parallel.Chunk(0, items, 10**7, "x", 1, columns, os.getpid()))

    sizes = [f.stat().st_size for f in files]
    good = chunk(sizes)
    bad = chunk([sizes[0], 70_000, sizes[2]])      # 70,000 does not fit in a SMALLINT
    assert [r.kind for r in good.results] == ["extracted"] * 3
    assert [r.kind for r in bad.results] == ["extracted", "failed", "extracted"]
    assert "could not be stored" in bad.results[1].reason
    for table in parallel.ROW_TABLES:
        kept = good.tables[table].filter(pc.is_in(
            good.tables[table][parallel.ITEM], value_set=pa.array([0, 2], pa.int32())))
        assert bad.tables[table].to_pylist() == kept.to_pylist(), table
        assert set(bad.tables[table][parallel.ITEM].to_pylist()) == {0, 2}
