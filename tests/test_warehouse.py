"""Snapshots, reference tables and the dashboard's views, on real DuckDB files.

Rows are written straight through SnapshotBuilder here so that the views' rules (never
sum across bulletins, one fact with several sources, latest per place × metric) are
checked on figures whose every field the test controls.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pytest

from etl import warehouse
from support import query  # noqa: E402


def _bid(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def bulletin(bid, path, published=None, synthetic=False, run_id=1):
    return dict(bulletin_id=bid, path=path, file_name=path.rsplit("/", 1)[-1], format="txt",
                encoding="utf-8", size_bytes=100, mtime=1.0, n_chars=50,
                title="缙云公安化解纠纷", published_on=published,
                date_source="manifest" if published else "unknown",
                date_precision="day" if published else None, synthetic=synthetic,
                n_articles=1, n_figures=1, run_id=run_id, abs_path="/x/" + path,
                extractor="test")


def figure(bid, value, start=10, county_code="331122", county="缙云", metric="disputes_resolved",
           published=None, unit="起", measure="count", direction=None, period="今年以来",
           qualifier="余", synthetic=False, city_code="331100", city="丽水", province="浙江"):
    raw = f"{value:g}{qualifier or ''}{unit}"
    return dict(figure_id=hashlib.sha1(f"{bid}|{start}|{raw}".encode()).hexdigest()[:16],
                bulletin_id=bid, source=f"{bid}.txt", article=1, start=start,
                end=start + len(raw), sentence=f"缙云县公安局牵头化解矛盾纠纷{raw}。", raw=raw,
                value=value, unit=unit, qualifier=qualifier, measure=measure,
                direction=direction, metric=metric, category="disputes",
                county_code=county_code, county=county, city_code=city_code, city=city,
                province=province, agency="缙云县公安局", place_level=None,
                initiative=None, mechanism=None, period=period, period_start=None,
                period_end=None, published_on=published, synthetic=synthetic)


def build(wh, run_id, bulletins=(), figures=(), drop=()):
    previous = warehouse.current_snapshot(wh)
    with warehouse.writer_lock(wh):
        with warehouse.SnapshotBuilder(wh, run_id, previous) as b:
            b.carry_over(set(drop))
            b.insert("bulletins", list(bulletins))
            b.insert("figures", list(figures))
            b.insert("ingest_runs", [dict(run_id=run_id, started_at=dt.datetime.now(),
                                          finished_at=dt.datetime.now(), snapshot=b.name,
                                          extractor="test", n_read=len(bulletins),
                                          n_unchanged=0, n_duplicate=0, n_failed=0,
                                          n_figures_added=len(figures))])
            return b.commit()


def test_empty_warehouse_has_no_snapshot_and_says_so(tmp_path):
    assert warehouse.current_snapshot(tmp_path) is None
    with pytest.raises(warehouse.NoSnapshot, match="no warehouse snapshot"):
        warehouse.connect_read_only(tmp_path)


def test_snapshot_switch_and_read_only_connection(tmp_path):
    wh = tmp_path / "wh"
    a = _bid("a")
    snap = build(wh, 1, [bulletin(a, "a.txt")], [figure(a, 6300)])
    assert warehouse.current_snapshot(wh) == snap
    assert (wh / "CURRENT").read_text().strip() == snap.name
    assert snap.parent == wh / "snapshots"
    assert not list((wh / "snapshots").glob(".*building*"))
    assert query(wh, "SELECT value FROM figures") == [(6300.0,)]

    con = warehouse.connect_read_only(wh)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM figures")
        target = tmp_path / "leak.csv"
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY (SELECT 1) TO '{target}'")
        assert not target.exists()
        with pytest.raises(duckdb.Error):
            con.execute("SELECT * FROM read_csv('/etc/passwd')")
    finally:
        con.close()


def test_reference_tables_loaded_from_data_reference(tmp_path):
    wh = tmp_path / "wh"
    build(wh, 1)
    n_metrics = query(wh, "SELECT count(*) FROM metrics")[0][0]
    assert n_metrics > 10
    name = query(wh, "SELECT name_zh FROM metrics WHERE code = ?", ["disputes_resolved"])
    assert name and name[0][0]
    assert query(wh, "SELECT count(*) FROM initiatives")[0][0] > 0


def test_reference_tables_match_what_the_extractor_produces(tmp_path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute(warehouse.SCHEMA_SQL.read_text(encoding="utf-8"))
    counts = warehouse.load_reference(con)
    assert counts["counties"] > 3000 and counts["initiatives"] > 5
    zj = con.execute("SELECT count(*) FROM counties WHERE level = 'county' AND code LIKE '33%'").fetchone()[0]
    assert zj == 90
    # a place without a GB code is listed under its name, never under its city's code
    row = con.execute("SELECT code, level, city_code FROM counties WHERE name = '丽水经济技术开发区'").fetchone()
    assert row == ("alias:丽水经济技术开发区", "alias", "331100")
    # derived metric codes the extractor writes have names too
    names = dict(con.execute("SELECT code, name_zh FROM metrics").fetchall())
    assert names["criminal_incidents_change"].startswith("刑事警情") and "fraud_cases_share" in names
    con.close()


def test_facts_fold_repeats_and_never_sum(tmp_path):
    wh = tmp_path / "wh"
    a, b, c = _bid("a"), _bid("b"), _bid("c")
    jan, feb = dt.date(2025, 1, 8), dt.date(2025, 2, 3)
    build(wh, 1,
          [bulletin(a, "a.txt", jan), bulletin(b, "b.txt", feb), bulletin(c, "c.txt")],
          [figure(a, 6300, published=jan), figure(b, 6300, published=feb),  # a reprint
           figure(c, 6300, county_code="331123", county="遂昌")])            # another county
    facts = query(wh, "SELECT place_key, value, n_sources, first_published, last_published, "
                      "len(figure_ids) FROM v_facts ORDER BY place_key")
    assert facts == [("331122", 6300.0, 2, jan, feb, 2), ("331123", 6300.0, 1, None, None, 1)]
    # figure_ids list the latest source first
    ids = query(wh, "SELECT figure_ids FROM v_facts WHERE place_key = '331122'")[0][0]
    fb = query(wh, "SELECT figure_id FROM figures WHERE bulletin_id = ?", [b])[0][0]
    assert ids[0] == fb


def test_facts_keep_direction_and_unplaced_figures_apart(tmp_path):
    wh = tmp_path / "wh"
    a, b = _bid("a"), _bid("b")
    build(wh, 1, [bulletin(a, "a.txt"), bulletin(b, "b.txt")],
          [figure(a, 12.5, unit="%", measure="change", direction="down", qualifier=None),
           figure(b, 12.5, unit="%", measure="change", direction="up", qualifier=None),
           figure(a, 30, start=40, county_code=None, county=None, city_code=None, city=None,
                  province=None),
           figure(b, 30, start=40, county_code=None, county=None, city_code=None, city=None,
                  province=None)])
    assert query(wh, "SELECT count(*) FROM v_facts WHERE unit = '%'")[0][0] == 2
    # an unknown place cannot be told apart from another: each figure stays its own fact
    assert query(wh, "SELECT count(*), max(n_sources) FROM v_facts WHERE place_key IS NULL") == [(2, 1)]
    assert query(wh, "SELECT count(*) FROM v_latest WHERE place_key IS NULL")[0][0] == 0


def test_latest_prefers_dated_and_newest(tmp_path):
    wh = tmp_path / "wh"
    a, b, c = _bid("a"), _bid("b"), _bid("c")
    build(wh, 1,
          [bulletin(a, "a.txt", dt.date(2024, 12, 1)), bulletin(b, "b.txt", dt.date(2025, 3, 1)),
           bulletin(c, "c.txt")],
          [figure(a, 5000, published=dt.date(2024, 12, 1)),
           figure(b, 6300, published=dt.date(2025, 3, 1)),
           figure(c, 9999)])  # unknown date: ranks after every dated figure
    rows = query(wh, "SELECT value, n_reports, place_name, metric_zh FROM v_latest "
                     "WHERE place_key = '331122' AND metric = 'disputes_resolved'")
    assert len(rows) == 1
    value, n_reports, place_name, metric_zh = rows[0]
    assert (value, n_reports, place_name) == (6300.0, 3, "缙云")
    assert metric_zh  # joined from data/reference/metrics.csv


def test_latest_ranks_synthetic_apart(tmp_path):
    wh = tmp_path / "wh"
    a, b = _bid("a"), _bid("b")
    build(wh, 1, [bulletin(a, "a.txt", dt.date(2024, 1, 1)),
                  bulletin(b, "b.txt", dt.date(2025, 1, 1), synthetic=True)],
          [figure(a, 100, published=dt.date(2024, 1, 1)),
           figure(b, 200, published=dt.date(2025, 1, 1), synthetic=True)])
    rows = query(wh, "SELECT value FROM v_latest WHERE NOT synthetic AND place_key = '331122'")
    assert rows == [(100.0,)]


def test_carry_over_keeps_rows_and_drops_replaced(tmp_path):
    wh = tmp_path / "wh"
    a, b = _bid("a"), _bid("b")
    build(wh, 1, [bulletin(a, "a.txt"), bulletin(b, "b.txt")], [figure(a, 1), figure(b, 2)])
    a2 = _bid("a2")
    build(wh, 2, [bulletin(a2, "a.txt", run_id=2)], [figure(a2, 3)], drop={a})
    assert query(wh, "SELECT bulletin_id, value FROM figures ORDER BY value") == [(b, 2.0), (a2, 3.0)]
    assert query(wh, "SELECT count(*) FROM bulletins")[0][0] == 2
    assert query(wh, "SELECT list(run_id ORDER BY run_id) FROM ingest_runs")[0][0] == [1, 2]


def test_carry_over_from_an_older_schema(tmp_path):
    """A snapshot written before a column was added still carries its rows forward."""
    wh = tmp_path / "wh"
    sdir = wh / "snapshots"
    sdir.mkdir(parents=True)
    old = sdir / "000001-old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(warehouse.SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute("ALTER TABLE bulletins DROP COLUMN extractor")
    a = _bid("a")
    row = bulletin(a, "a.txt")
    row.pop("extractor")
    warehouse.insert_frame(con, "bulletins", [row])
    con.close()
    warehouse.switch_current(wh, old.name)
    state, next_run = warehouse.stored_state(old)
    assert next_run == 1 and state["extractor"].isna().all()
    build(wh, 2)
    assert query(wh, "SELECT bulletin_id, extractor FROM bulletins") == [(a, None)]


def test_prune_keeps_last_three_and_current(tmp_path):
    wh = tmp_path / "wh"
    names = [build(wh, i).name for i in range(1, 6)]
    left = sorted(p.name for p in (wh / "snapshots").glob("*.duckdb"))
    assert left == names[-3:]
    assert warehouse.current_snapshot(wh).name == names[-1]


def test_orphans_from_a_crashed_build_are_removed(tmp_path):
    wh = tmp_path / "wh"
    served = build(wh, 1)
    orphan = wh / "snapshots" / "000002-99999999T000000000000-1.duckdb"
    orphan.write_bytes(b"half")
    partial = wh / "snapshots" / ".000002-x.duckdb.building"
    partial.write_bytes(b"half")
    spill = wh / "snapshots" / ".000002-x.duckdb.building.tmp"   # DuckDB's spill folder
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled")
    with warehouse.writer_lock(wh):
        removed = warehouse.cleanup_orphans(wh)
    assert set(removed) == {orphan, partial, spill} and not spill.exists()
    assert served.exists() and warehouse.current_snapshot(wh) == served


def test_second_writer_is_refused(tmp_path):
    wh = tmp_path / "wh"
    with warehouse.writer_lock(wh):
        with pytest.raises(warehouse.WarehouseBusy, match="another ingest"):
            with warehouse.writer_lock(wh):
                pass
    with warehouse.writer_lock(wh):  # released after the first block
        pass


def test_failed_build_leaves_no_file_and_keeps_current(tmp_path):
    wh = tmp_path / "wh"
    served = build(wh, 1, [bulletin(_bid("a"), "a.txt")])
    with pytest.raises(duckdb.Error):
        # the same primary key twice: the build fails before commit
        build(wh, 2, [bulletin(_bid("b"), "b.txt"), bulletin(_bid("b"), "b.txt")])
    assert warehouse.current_snapshot(wh) == served
    assert sorted(p.name for p in (wh / "snapshots").iterdir()) == [served.name]


def _groups(wh, rebuild: bool = False):
    """figure_groups of the current snapshot, or what build_groups would make of its figures."""
    con = warehouse.connect_read_only(wh)
    try:
        sql = warehouse._groups_of("figures") if rebuild else "SELECT * FROM figure_groups"
        cols = ", ".join(c for c in (*warehouse.GROUP_KEYS, "n", "lkey", "figure_id", *warehouse.GROUP_REPORT))
        return con.execute(f"SELECT {cols} FROM ({sql}) ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_groups_patched_in_a_copy_equal_a_rebuild(tmp_path):
    """A snapshot that starts as a copy patches figure_groups (groups that only gained fold the
    new figures in; groups that lost one are recomputed): the same rows a rebuild gives."""
    wh = tmp_path / "wh"
    a, b, c, d = _bid("a"), _bid("b"), _bid("c"), _bid("d")
    jan, feb, mar = dt.date(2025, 1, 5), dt.date(2025, 2, 9), dt.date(2025, 3, 1)
    build(wh, 1, [bulletin(a, "a.txt", jan), bulletin(b, "b.txt", feb), bulletin(d, "d.txt")],
          [figure(a, 10, published=jan), figure(a, 11, start=40, published=jan, metric="arrests"),
           figure(b, 20, published=feb), figure(b, 21, start=40, published=feb, county_code="331121",
                                                county="青田"),
           figure(d, 5)])
    assert _groups(wh) == _groups(wh, rebuild=True)
    # b replaced by b2 (a group loses its latest report), c new in a group that exists and a new one
    b2 = _bid("b2")
    build(wh, 2, [bulletin(b2, "b.txt", jan), bulletin(c, "c.txt", feb)],
          [figure(b2, 7, published=jan), figure(c, 30, published=feb, start=70),
           figure(c, 31, start=90, published=mar, metric="patrols")], drop=[b])
    con = warehouse.connect_read_only(wh)
    assert con.execute("SELECT count(*) FROM figures WHERE bulletin_id = ?", [b]).fetchall() == [(0,)]
    con.close()
    got = _groups(wh)
    assert got == _groups(wh, rebuild=True)
    assert sum(r[10] for r in got) == 6
    # and a run that only adds
    e = _bid("e")
    build(wh, 3, [bulletin(e, "e.txt", feb)], [figure(e, 40, published=feb, start=3)])
    assert _groups(wh) == _groups(wh, rebuild=True)
