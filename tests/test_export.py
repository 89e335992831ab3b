"""`python -m etl export --format parquet`: Parquet partitioned by year and city that DuckDB
reads back with the same rows and values as the snapshot."""
from __future__ import annotations

import json

import duckdb

from etl import warehouse
from support import run_cli

TABLES = {"figures": "figure_id", "bulletins": "bulletin_id", "articles": "bulletin_id, article"}


def test_export_reads_back_with_the_same_rows_and_values(tmp_path, warehouse_dir):
    out = tmp_path / "lake"
    r = run_cli("export", "--format", "parquet", "--out", out, "--warehouse", warehouse_dir)
    assert r.returncode == 0, r.stderr
    info = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert info["snapshot"] == warehouse.current_snapshot(warehouse_dir).name
    snap = warehouse.current_snapshot(warehouse_dir)
    con = duckdb.connect()
    con.execute(f"ATTACH '{snap}' AS s (READ_ONLY)")
    for table, key in TABLES.items():
        cols = [c for c, in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = 's' "
            "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
        sel = ", ".join(f'"{c}"' for c in cols)
        stored = con.execute(f"SELECT {sel} FROM s.{table} ORDER BY {key}").fetchall()
        files = f"'{out}/{table}/**/*.parquet'"
        back = con.execute(f"SELECT {sel} FROM read_parquet({files}, hive_partitioning = false) "
                           f"ORDER BY {key}").fetchall()
        assert len(stored) == info["rows"][table] > 0, table
        assert back == stored, table
    # partition folders: a figure's year and city are its folder; unknown ones are Hive's null
    rows = con.execute(
        f"SELECT filename, year, city_code, published_on FROM read_parquet("
        f"'{out}/figures/**/*.parquet', filename = true, hive_partitioning = false)").fetchall()
    assert len(rows) == info["rows"]["figures"]
    for filename, year, city, published in rows:
        assert f"/year={year if year is not None else '__HIVE_DEFAULT_PARTITION__'}/" in filename
        assert f"/city_code={city if city is not None else '__HIVE_DEFAULT_PARTITION__'}/" in filename
        assert year == (published.year if published else None)
    # a reader that prunes by partition gets the same answer as a full scan
    city = con.execute("SELECT city_code FROM s.figures WHERE city_code IS NOT NULL "
                       "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    pruned = con.execute(
        f"SELECT count(*) FROM read_parquet('{out}/figures/**/*.parquet', hive_partitioning = true, "
        "hive_types = {'year': INTEGER, 'city_code': VARCHAR}) WHERE city_code = ?", [city]).fetchone()[0]
    assert pruned == con.execute("SELECT count(*) FROM s.figures WHERE city_code = ?", [city]).fetchone()[0] > 0


def test_export_without_snapshot_is_a_clear_error(tmp_path, empty_warehouse_dir):
    r = run_cli("export", "--out", tmp_path / "lake", "--warehouse", empty_warehouse_dir)
    assert r.returncode == 1 and "no warehouse snapshot" in r.stderr
