"""`python -m etl export --format parquet --out DIR`: the current snapshot as Parquet files.

Why: a provincial deployment wants the figures where its other data already lives (Spark,
Trino, a lake), and one DuckDB file is not something those engines open. Parquet
partitioned Hive-style by year and city is what all of them read, and prunes by the two
filters every dashboard query has.

Layout (`year` from `published_on`, `city_code` the figure's city; a bulletin and its
articles go under the city most of the bulletin's figures are in; unknown values are
`__HIVE_DEFAULT_PARTITION__`, Hive's own spelling of null):

    DIR/figures/year=2025/city_code=331100/data_0.parquet
    DIR/bulletins/year=2025/city_code=331100/…
    DIR/articles/year=…/city_code=…/…
    DIR/export.json      snapshot name, extractor, row counts

The partition columns are also written inside the files, with their stored types (city
codes stay text): read them with the files' own columns (DuckDB `hive_partitioning=false`)
or tell the reader the key types (DuckDB `hive_types={'year': INTEGER, 'city_code': VARCHAR}`;
Spark `spark.sql.sources.partitionColumnTypeInference.enabled=false`).

The snapshot is opened read-only through ATTACH; the files are written to a temporary
folder beside DIR and moved into place table by table, so a failed export leaves what was
there before.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from etl import warehouse

TABLES = ("figures", "bulletins", "articles")

_BULLETIN_CITY = """
    CREATE TEMP TABLE bulletin_city AS
    SELECT bulletin_id, city_code FROM (
        SELECT bulletin_id, city_code, row_number() OVER (
                 PARTITION BY bulletin_id ORDER BY count(*) DESC, city_code) AS r
        FROM s.figures WHERE city_code IS NOT NULL GROUP BY bulletin_id, city_code)
    WHERE r = 1
"""

_ORDER = {"figures": "figure_id", "bulletins": "bulletin_id", "articles": "bulletin_id, article"}

_SELECT = {
    "figures": "SELECT f.*, CAST(year(f.published_on) AS INTEGER) AS year FROM s.figures f",
    "bulletins": "SELECT b.*, CAST(year(b.published_on) AS INTEGER) AS year, c.city_code "
                 "FROM s.bulletins b LEFT JOIN bulletin_city c USING (bulletin_id)",
    "articles": "SELECT a.*, CAST(year(b.published_on) AS INTEGER) AS year, c.city_code "
                "FROM s.articles a JOIN s.bulletins b USING (bulletin_id) "
                "LEFT JOIN bulletin_city c USING (bulletin_id)",
}


class ExportError(warehouse.WarehouseError):
    pass


def _literal(path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(wh, out_dir) -> dict:
    """Write the current snapshot's figures, bulletins and articles under out_dir."""
    snap = warehouse.current_snapshot(wh)
    if snap is None:
        raise warehouse.NoSnapshot(f"{wh}: no warehouse snapshot yet (run `python -m etl ingest PATH` first)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".export-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    con = duckdb.connect(":memory:")
    counts: dict[str, int] = {}
    try:
        con.execute(f"ATTACH {_literal(snap)} AS s (READ_ONLY)")
        con.execute(_BULLETIN_CITY)
        for table in TABLES:
            counts[table] = con.execute(f"SELECT count(*) FROM s.{table}").fetchone()[0]
            con.execute(f"COPY ({_SELECT[table]} ORDER BY {_ORDER[table]}) TO {_literal(tmp / table)} "
                        "(FORMAT parquet, PARTITION_BY (year, city_code), "
                        "WRITE_PARTITION_COLUMNS true, OVERWRITE)")
            if counts[table] == 0:
                (tmp / table).mkdir(exist_ok=True)
        extractor = con.execute("SELECT max(extractor) FROM s.bulletins").fetchone()[0]
        con.execute("DETACH s")
    except duckdb.Error as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ExportError(f"{out}: export failed ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
    info = {"snapshot": snap.name, "extractor": extractor, "rows": counts,
            "partitioned_by": ["year", "city_code"], "format": "parquet"}
    (tmp / "export.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    for name in (*TABLES, "export.json"):
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        os.replace(tmp / name, target)
    tmp.rmdir()
    return info
