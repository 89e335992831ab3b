"""Read-only access to the warehouse snapshot in service, with query results cached.

Why keyed by snapshot name: ingest never changes a snapshot, it writes a new file and
switches <wh>/CURRENT. Reading CURRENT on every rerun (a tiny file) and using its name as
part of every cache key means a new snapshot is picked up on the next interaction,
without a restart and without ever serving stale cached rows for it. The corrections
store's version is the other part of the key, for the same reason: a correction is
visible on the next interaction of every session.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl import config
from etl import corrections as etl_corrections
from etl import warehouse as etl_warehouse


@dataclass(frozen=True)
class Snapshot:
    """The snapshot a page reads: its file and its name (the cache key)."""
    warehouse: Path
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def warehouse_dir() -> Path:
    """PINGAN_WAREHOUSE, else data/warehouse/ in the project (same rule as the ETL)."""
    return config.warehouse_dir()


def current(wh: Path | None = None) -> Snapshot | None:
    """The snapshot in service now, or None for an empty warehouse."""
    wh = Path(wh) if wh else warehouse_dir()
    path = etl_warehouse.current_snapshot(wh)
    return Snapshot(wh, path) if path else None


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One connection per snapshot file, shared by sessions; each query takes its own
    # cursor (DuckDB cursors are safe to use from the thread that made them).
    return etl_warehouse.connect_read_only(Path(path).parent.parent, snapshot=Path(path),
                                           corrections=False)


def corrections_version(snap: Snapshot) -> int:
    """The corrections store's last record number: part of every cache key (a tiny read)."""
    return etl_corrections.version(snap.warehouse)


#: installed cursors ready for use, per (snapshot file, corrections version); a cursor is
#: taken out while it runs one query, so no two threads ever share one
_POOL: dict[tuple[str, int], list] = {}
_POOL_LOCK = threading.Lock()
_POOL_MAX = 8


def _checkout(snapshot_path: str, version: int):
    key = (snapshot_path, version)
    with _POOL_LOCK:
        for old in [k for k in _POOL if k[0] == snapshot_path and k[1] != version]:
            for cur in _POOL.pop(old):
                cur.close()
        free = _POOL.get(key)
        if free:
            return free.pop()
    # A cursor is a connection of its own, and TEMP tables belong to one connection: the
    # corrections are installed into each new cursor (two small Arrow tables, built once
    # per version of the store), so figures_effective reads the corrections of `version`.
    cur = _connection(snapshot_path).cursor()
    etl_corrections.install(cur, Path(snapshot_path).parent.parent)
    return cur


def _checkin(snapshot_path: str, version: int, cur) -> None:
    with _POOL_LOCK:
        free = _POOL.setdefault((snapshot_path, version), [])
        if len(free) < _POOL_MAX and etl_corrections.version(Path(snapshot_path).parent.parent) == version:
            free.append(cur)
            return
    cur.close()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_query(snapshot_path: str, corrections: int, sql: str, params: tuple) -> pd.DataFrame:
    cur = _checkout(snapshot_path, corrections)
    ok = False
    try:
        df = cur.execute(sql, list(params)).df()
        ok = True
        return df
    finally:
        if ok:
            _checkin(snapshot_path, corrections, cur)
        else:
            cur.close()


def query(snap: Snapshot, sql: str, params=()) -> pd.DataFrame:
    """Run a parameterised SELECT on the snapshot; cached by (snapshot, corrections, sql, params).

    Every figure read goes through `figures_effective` (or the views on it), never the
    `figures` table: that is how a correction shows on every page at once.
    """
    return _cached_query(str(snap.path), corrections_version(snap), sql, tuple(params))
