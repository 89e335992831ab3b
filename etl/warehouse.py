"""Warehouse snapshots: make a whole new DuckDB file, close it, then switch CURRENT.

DuckDB allows one read-write process and no readers beside it, so the dashboard never
opens the file the ETL writes. Each ingest writes a fresh file under a new name (in one
process, connecting to a path that is still open returns the *old* database), renames it
into ``snapshots/`` only once it is complete and closed, and then replaces ``CURRENT``
with ``os.replace``. A crash anywhere before that leaves the previous snapshot serving.

How a new snapshot is made: when the previous snapshot's tables are exactly what
schema.sql makes today, the new file starts as a copy of the previous one (a reflink where
the filesystem has them, else an in-kernel copy: about the file's size in writes), the rows
of replaced bulletins are deleted, new rows are appended in bulk from Arrow, reference
tables are reloaded and the views recreated. Otherwise (the schema changed, or a new
extractor is about to replace most rows) the file is built from scratch: schema, previous
rows copied in through ATTACH, new rows appended. Both give the same rows in the same
order; PINGAN_FRESH_SNAPSHOT=1 forces a fresh build (it also compacts the file).

Layout of a warehouse directory::

    <wh>/CURRENT                      file name of the snapshot in service
    <wh>/snapshots/<run>-<stamp>.duckdb
    <wh>/snapshots/.<name>.building   a build in progress (never served)
    <wh>/ingest.lock                  held by the single writer
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd


SCHEMA_SQL = Path(__file__).with_name("schema.sql")
VIEWS_SQL = Path(__file__).with_name("views.sql")
SNAPSHOTS = "snapshots"
CURRENT = "CURRENT"
LOCK = "ingest.lock"
#: snapshots kept after a switch (the current one always among them): a dashboard that
#: has not yet noticed the switch still finds the file it has open by name.
KEEP_SNAPSHOTS = 3
#: overrides KEEP_SNAPSHOTS (as does `ingest --keep N`)
KEEP_ENV = "PINGAN_KEEP_SNAPSHOTS"
#: test hook: raise right before CURRENT is replaced, to prove a crash leaves the old one.
CRASH_ENV = "PINGAN_TEST_CRASH_BEFORE_SWITCH"
#: DuckDB memory of the connection that builds a snapshot during ingest. Without a limit
#: DuckDB keeps every block it has written in its buffer pool (80 % of RAM by default), so
#: an ingest of 100,000 bulletins held its whole ~300 MB file in memory for nothing; with
#: one, written blocks are evicted (they are on disk) and the rest spills to a temporary
#: file beside the snapshot. PINGAN_INGEST_MEMORY overrides it (a DuckDB size: "1GB").
BUILD_MEMORY_LIMIT = "256MB"
BUILD_MEMORY_ENV = "PINGAN_INGEST_MEMORY"
#: set to 1 to build the next snapshot from scratch instead of from a copy of the previous
#: file (compacts a file that many replaced rows have left with free blocks)
FRESH_ENV = "PINGAN_FRESH_SNAPSHOT"

#: tables whose rows are carried from one snapshot to the next (reference tables are
#: reloaded from data/reference/ each time so that edits to the CSVs take effect).
CARRIED_TABLES = ("bulletins", "articles", "figures", "ingest_runs", "ingest_files")
#: tables keyed by bulletin, whose rows are dropped when that bulletin is re-read.
BULLETIN_TABLES = ("bulletins", "articles", "figures")


class WarehouseError(Exception):
    """A warehouse problem a person can act on; str() is one line."""


class NoSnapshot(WarehouseError):
    pass


class WarehouseBusy(WarehouseError):
    pass


class DiskFull(WarehouseError):
    """The disk (or quota) filled while a snapshot was being written; nothing was switched."""


#: errno values that mean "no room": ENOSPC, EDQUOT, EFBIG (a file-size limit)
_NO_ROOM = {28, 122, 27}


def disk_full(exc: BaseException) -> bool:
    """Is this OSError or DuckDB error a full disk / quota / file-size limit?"""
    if isinstance(exc, OSError) and exc.errno in _NO_ROOM:
        return True
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(
        w in text for w in ("no space left", "disk quota", "file too large", "disk is full"))


class SimulatedCrash(RuntimeError):
    """Raised by the test hook CRASH_ENV; never in normal use."""


# ---------------------------------------------------------------- reading side

def snapshots_dir(wh) -> Path:
    return Path(wh) / SNAPSHOTS


def current_snapshot(wh) -> Path | None:
    """The snapshot in service, or None when nothing was ever switched in."""
    pointer = Path(wh) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not name or "/" in name or "\\" in name:
        return None
    path = snapshots_dir(wh) / name
    return path if path.is_file() else None


def connect_read_only(wh, snapshot: Path | None = None,
                      corrections: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the current snapshot so that no statement can change it or touch other files.

    read_only stops writes to the database; enable_external_access=false stops COPY … TO,
    ATTACH, read_csv('/etc/…') and extension loading, so even a hostile SELECT typed into
    `python -m etl sql` cannot write or read files. In one process every connection to a
    snapshot must use this same configuration (DuckDB refuses a second, different one).
    With `corrections` (the default) the human corrections are installed, so that
    figures_effective and every view built on it read corrected figures.
    """
    for _ in range(5):
        path = Path(snapshot) if snapshot else current_snapshot(wh)
        if path is None:
            raise NoSnapshot(f"{wh}: no warehouse snapshot yet (run `python -m etl ingest PATH` first)")
        lease = _take_lease(path)
        if lease is None:  # pruned between reading CURRENT and opening it
            if snapshot:
                raise NoSnapshot(f"{path}: snapshot no longer exists (cleaned up)")
            continue
        try:
            con = duckdb.connect(str(path), read_only=True,
                                 config={"enable_external_access": False})
        except BaseException:
            os.close(lease)
            raise
        # the lease lives exactly as long as the connection object: released when it is
        # garbage (CPython: when the last reference goes), not at con.close()
        weakref.finalize(con, os.close, lease)
        if corrections:
            install_corrections(con, wh)
        return con
    raise NoSnapshot(f"{wh}: snapshots keep disappearing while opening the current one")


def _take_lease(path: Path) -> int | None:
    """A shared flock on the snapshot file, held while a reader has it open, so that
    `prune` (LOCK_EX|LOCK_NB) leaves it alone. None when the file is gone.

    flock (not fcntl) locks: they belong to the open file, so a reader in the ingest's own
    process counts too, and closing another descriptor of the file does not drop them.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX: no leases, prune as before
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink == 0:  # unlinked while we waited for the lock
            os.close(fd)
            return None
    except OSError:
        os.close(fd)
        raise
    return fd


def in_use(path: Path) -> bool:
    """Does a reader (any process, this one included) hold a lease on this snapshot?"""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return False
    try:
        import fcntl
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False
    finally:
        os.close(fd)


def install_corrections(con, wh) -> int:
    """Human corrections into this connection (TEMP tables read by figures_effective).

    The store is a SQLite file beside the snapshots (etl.corrections); a damaged one is
    named in a one-line error rather than silently ignored: the figures would be wrong.
    """
    from etl import corrections as corr
    try:
        return corr.install(con, wh)
    except (corr.CorrectionError, OSError, corr.sqlite3.Error) as exc:
        con.close()
        raise WarehouseError(f"{corr.store_path(wh)}: cannot read the corrections ({exc})") from None


# ---------------------------------------------------------------- writer lock

@contextmanager
def writer_lock(wh):
    """Hold <wh>/ingest.lock so that two ingests never build from the same snapshot."""
    wh = Path(wh)
    wh.mkdir(parents=True, exist_ok=True)
    lock_path = wh / LOCK
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - non-POSIX
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WarehouseBusy(f"{lock_path}: another ingest is writing this warehouse; "
                                    "wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock_path
    finally:
        os.close(fd)  # closing the descriptor releases the flock


# ---------------------------------------------------------------- reference data

def _schema_columns(con, table: str, schema: str = "main", catalog: str | None = None) -> list[str]:
    sql = ("SELECT column_name FROM information_schema.columns "
           "WHERE table_name = ? AND table_schema = ?")
    params = [table, schema]
    if catalog:
        sql += " AND table_catalog = ?"
        params.append(catalog)
    else:  # only the connection's own database, not an ATTACHed previous snapshot
        sql += " AND table_catalog = current_database()"
    sql += " ORDER BY ordinal_position"
    return [r[0] for r in con.execute(sql, params).fetchall()]


def reference_frames(counties: list[dict] | None = None) -> dict[str, pd.DataFrame]:
    """counties, metrics, initiatives from the same loaders the extractor uses.

    One source of truth: the warehouse lists exactly the places and metric codes the
    extractor can produce, derived variants (`<metric>_change`, `_share`) included, so
    every figure's code has a name. A county-level place without a GB code (丽水经济技术
    开发区) gets the key `alias:<name>`, matching how the views key such places by name.
    `counties`: etl.rows.county_rows() made elsewhere (an ingest's pool worker), else here.
    """
    from etl import reference
    from etl.rows import county_rows

    return {"counties": pd.DataFrame(counties if counties is not None else county_rows()),
            "metrics": reference.metrics_frame(), "initiatives": reference.initiatives_frame()}


def insert_frame(con, table: str, rows, catalog: str | None = None) -> int:
    """Bulk-insert rows (list of dicts or DataFrame) by column name through pandas.

    Keys the table lacks are ignored; columns the rows lack take their defaults. Never
    row-by-row: DuckDB's executemany is about a thousand times slower.
    """
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if df.empty:
        return 0
    cols = _schema_columns(con, table)
    keep = [c for c in df.columns if c in cols]
    if not keep:
        return 0
    frame = df[keep]  # noqa: F841 - read by DuckDB's replacement scan below
    quoted = ", ".join(f'"{c}"' for c in keep)
    con.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM frame')
    return len(df)


def load_reference(con, counties: list[dict] | None = None) -> dict[str, int]:
    counts = {}
    for table, df in reference_frames(counties).items():
        counts[table] = insert_frame(con, table, df)
    return counts


# ---------------------------------------------------------------- snapshot build

def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")


def snapshot_name(run_id: int) -> str:
    return f"{run_id:06d}-{_stamp()}-{os.getpid()}.duckdb"


def _sql_literal(text: str) -> str:
    """ATTACH takes no parameters; our own file path, quoted as a SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def cleanup_orphans(wh) -> list[Path]:
    """Remove builds that never became current (a crash before the switch).

    Only called while holding the writer lock, so nothing else can be building. A file
    sorting after the current one was never served, so no reader can have it open.
    """
    removed = []
    # a CURRENT pointer written but never renamed into place (killed inside switch_current)
    for p in Path(wh).glob(f".{CURRENT}.*.tmp"):
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    sdir = snapshots_dir(wh)
    if not sdir.is_dir():
        return removed
    current = current_snapshot(wh)
    for p in sorted(sdir.iterdir()):
        if p.name.endswith(".building.tmp") and p.is_dir():
            # DuckDB's spill folder of a build that never finished (BUILD_MEMORY_LIMIT)
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
            continue
        orphan = p.name.endswith(".building") or p.name.endswith(".building.wal")
        if not orphan and p.suffix == ".duckdb" and (current is None or p.name > current.name):
            orphan = True
        if orphan:
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


def keep_snapshots(value: int | None = None) -> int:
    """How many snapshots cleanup keeps: --keep, else PINGAN_KEEP_SNAPSHOTS, else 3 (at
    least 1: the current one)."""
    if value is None:
        env = os.environ.get(KEEP_ENV)
        if env:
            try:
                value = int(env)
            except ValueError:
                raise WarehouseError(f"{KEEP_ENV}={env!r}: not a whole number") from None
    return max(1, int(value)) if value is not None else KEEP_SNAPSHOTS


def prune(wh, keep: int | None = None) -> list[Path]:
    """Delete old snapshots, keeping the current one and the newest `keep - 1` before it,
    and never one a reader holds (its lease, see connect_read_only): that one is tried
    again at the next cleanup.

    Each file is unlinked while this process holds LOCK_EX on it, so a reader cannot take
    a lease on a file in the middle of being deleted (it finds it gone and opens CURRENT).
    """
    keep = keep_snapshots(keep)
    current = current_snapshot(wh)
    if current is None:
        return []
    older = sorted(p for p in snapshots_dir(wh).glob("*.duckdb") if p.name < current.name)
    removed = []
    for p in older[: max(0, len(older) - (keep - 1))]:
        try:
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            continue
        try:
            try:
                import fcntl
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader has it open: keep it for now
            except ImportError:  # pragma: no cover - non-POSIX
                pass
            for victim in (p, p.with_name(p.name + ".wal")):
                try:
                    victim.unlink()
                    removed.append(victim)
                except FileNotFoundError:
                    pass
                except OSError:  # pragma: no cover - e.g. open on Windows: try next time
                    pass
        finally:
            os.close(fd)
    return removed


#: a figure's place key and its "latest report" order, as the dashboard ranks reports
#: (dashboard.queries reads these two): a county-level place without a GB code is keyed by
#: its name; newest date, real before demo, then bulletin and offset, unknown dates last
PLACE_KEY_SQL = "coalesce(county_code, county, city_code, province)"
LATEST_KEY_SQL = ("{'d': coalesce(published_on, DATE '0001-01-01'), 'real': NOT synthetic, "
                  "'b': bulletin_id, 's': start}")
#: the columns of figure_groups that group (every column the dashboard filters by)
GROUP_KEYS = ("place_key", "metric", "measure", "category", "county_code", "county", "city_code",
              "initiative", "synthetic", "month")
#: the latest figure's columns a group row carries
GROUP_REPORT = ("bulletin_id", "value", "unit", "qualifier", "direction", "raw", "period", "period_start",
                "period_end", "period_kind", "published_on", "sentence", "city", "province", "place_level",
                "start")


#: a figure's group key columns, computed from a figures row
GROUP_KEY_SQL = (f"{PLACE_KEY_SQL} AS place_key, metric, measure, category, county_code, county, city_code, "
                 "initiative, synthetic, CAST(date_trunc('month', published_on) AS DATE) AS month")


def _groups_of(source: str) -> str:
    """SELECT of figure_groups rows for the figures `source` (a table or subquery) holds."""
    keys = ", ".join(GROUP_KEYS)
    return f"""
        WITH g AS (
            SELECT {keys}, count(*) AS n, max(lk) AS lkey, arg_max(figure_id, lk) AS figure_id
            FROM (SELECT figure_id, {GROUP_KEY_SQL}, {LATEST_KEY_SQL} AS lk FROM {source})
            GROUP BY {keys}
        )
        SELECT g.*, {", ".join("f." + c for c in GROUP_REPORT)}
        FROM g JOIN figures f USING (figure_id)"""


def build_groups(con) -> int:
    """Fill figure_groups from the snapshot's figures (schema.sql says what it is for).

    The pick is arg_max on the narrow key columns, then the picked figures' columns joined
    (a window ordering every row with all its columns cost 2.4x the CPU). Stored by month, so
    that a date filter skips the row groups of other months. ~1.3-1.7 s of CPU at a million
    figures on this machine: a snapshot that starts as a copy patches instead
    (update_groups).
    """
    con.execute("DELETE FROM figure_groups")
    con.execute(f"INSERT INTO figure_groups BY NAME {_groups_of('figures')} "
                f"ORDER BY month NULLS FIRST, {', '.join(GROUP_KEYS)}")
    return con.execute("SELECT count(*) FROM figure_groups").fetchall()[0][0]


def update_groups(con, new_bulletins, stale: str) -> int:
    """Patch the copied figure_groups after a run: `stale` (a table of group keys) holds the
    groups that lost figures (bulletins replaced), `new_bulletins` the bulletins whose
    figures were added.

    A group that lost a figure is recomputed from the figures (a maximum cannot give back
    its runner-up); a group that only gained is its old row and the new figures' own group
    row folded together (count added, the later latest report kept), so a run adding a
    thousand bulletins reads those bulletins' figures, not every figure.
    """
    keys = ", ".join(GROUP_KEYS)
    same = lambda a, b: " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in GROUP_KEYS)  # noqa: E731
    new_ids = pd.DataFrame({"bulletin_id": sorted(new_bulletins)}, dtype=object)
    con.register("__new_bulletins", new_ids)
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE __fresh AS {_groups_of(
                "figures WHERE bulletin_id IN (SELECT bulletin_id FROM __new_bulletins)")}""")
    finally:
        con.unregister("__new_bulletins")
    # lost a figure: recomputed whole (the new figures of those groups included)
    con.execute("CREATE OR REPLACE TEMP TABLE __redo AS SELECT * FROM figure_groups LIMIT 0")
    n_stale = con.execute(f"SELECT count(*) FROM {stale}").fetchall()[0][0]
    if n_stale:
        con.execute(f"""
            INSERT INTO __redo BY NAME
            WITH k AS (SELECT figure_id, {GROUP_KEY_SQL}, {LATEST_KEY_SQL} AS lk FROM figures),
            sel AS (SELECT k.* FROM k SEMI JOIN (SELECT DISTINCT * FROM {stale}) t ON {same('k', 't')}),
            g AS (SELECT {keys}, count(*) AS n, max(lk) AS lkey, arg_max(figure_id, lk) AS figure_id
                  FROM sel GROUP BY {keys})
            SELECT g.*, {", ".join("f." + c for c in GROUP_REPORT)} FROM g JOIN figures f USING (figure_id)""")
        con.execute(f"DELETE FROM __fresh x WHERE EXISTS (SELECT 1 FROM __redo r WHERE {same('x', 'r')})")
        con.execute(f"DELETE FROM figure_groups x WHERE EXISTS "
                    f"(SELECT 1 FROM (SELECT DISTINCT * FROM {stale}) r WHERE {same('x', 'r')})")
    # only gained: the old row and the new figures' row, the later report kept
    report = ["figure_id", *GROUP_REPORT]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE __merged AS
        SELECT {keys}, CAST(sum(n) AS BIGINT) AS n, max(lkey) AS lkey,
               arg_max({{{", ".join(f"'{c}': {c}" for c in report)}}}, lkey) AS r
        FROM (SELECT * FROM figure_groups x WHERE EXISTS (SELECT 1 FROM __fresh y WHERE {same('x', 'y')})
              UNION ALL BY NAME SELECT * FROM __fresh)
        GROUP BY {keys}""")
    con.execute(f"DELETE FROM figure_groups x WHERE EXISTS (SELECT 1 FROM __fresh y WHERE {same('x', 'y')})")
    con.execute(f"INSERT INTO figure_groups BY NAME SELECT {keys}, n, lkey, "
                f"{', '.join(f'r.{c} AS {c}' for c in report)} FROM __merged")
    con.execute("INSERT INTO figure_groups BY NAME SELECT * FROM __redo")
    for t in ("__fresh", "__redo", "__merged"):
        con.execute(f"DROP TABLE temp.main.{t}")
    return con.execute("SELECT count(*) FROM figure_groups").fetchall()[0][0]


class SnapshotBuilder:
    """One new snapshot: schema, reference tables, rows carried over, new rows, views.

    Use as a context manager; `commit()` closes the file, renames it into place and
    switches CURRENT. Leaving the block without commit() deletes the partial file.
    """

    def __init__(self, wh, run_id: int, previous: Path | None = None,
                 copy_previous: bool = True, memory_limit: str | None = None,
                 counties=None):
        """memory_limit: DuckDB's memory_limit for the build (None: DuckDB's default);
        ingest passes build_memory_limit(). counties: the counties rows
        (etl.rows.county_rows), or a callable giving them, or None to make them here."""
        self.counties = counties
        self.wh = Path(wh)
        self.memory_limit = memory_limit
        self.copy_previous = copy_previous
        self.copied = False
        self.copy_method: str | None = None
        self.copy_seconds = 0.0
        self.run_id = run_id
        self.previous = previous
        sdir = snapshots_dir(wh)
        sdir.mkdir(parents=True, exist_ok=True)
        self.name = snapshot_name(run_id)
        self.final_path = sdir / self.name
        self.build_path = sdir / f".{self.name}.building"
        self.con: duckdb.DuckDBPyConnection | None = None
        self.committed = False
        self.in_transaction = False
        #: figure_groups patched at commit (a copy: its groups are the previous snapshot's)
        #: rather than rebuilt; the bulletins whose figures were added, for the patch
        self.patch_groups = False
        self.new_figure_bulletins: set[str] = set()
        self.n_groups = 0
        self.groups_cpu_s = 0.0

    def __enter__(self):
        self.copied = False
        if (self.previous is not None and self.copy_previous and not os.environ.get(FRESH_ENV)
                and copyable(self.previous)):
            # the cheap way: the previous file, copied, then changed in place (see module doc)
            t0 = time.perf_counter()
            self.copy_method = clone_file(self.previous, self.build_path)
            self.copy_seconds = time.perf_counter() - t0
            self.con = self._connect()
            self._reset_copy()
            self.copied = True
            self.patch_groups = True
            # the groups of every figure deleted from the copy (update_groups recomputes them)
            self.con.execute(f"CREATE TEMP TABLE __stale_groups AS SELECT {GROUP_KEY_SQL} FROM figures LIMIT 0")
        else:
            self.con = self._connect()
            self.con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        counties = self.counties() if callable(self.counties) else self.counties
        load_reference(self.con, counties)
        return self

    def _connect(self) -> duckdb.DuckDBPyConnection:
        config = {"memory_limit": self.memory_limit} if self.memory_limit else {}
        return duckdb.connect(str(self.build_path), config=config)

    def _reset_copy(self) -> None:
        """Make the copied file what a fresh build would hold before rows are added: no
        views (views.sql recreates them), reference and other non-carried tables empty
        (figure_groups kept: commit patches it, see update_groups)."""
        con = self.con
        for (name,) in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal "
                "AND database_name = current_database() AND schema_name = 'main'").fetchall():
            con.execute(f'DROP VIEW IF EXISTS main."{name}"')
        for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND schema_name = 'main'").fetchall():
            if name not in CARRIED_TABLES and name != "figure_groups":   # patched at commit
                con.execute(f'DELETE FROM main."{name}"')

    def __exit__(self, exc_type, exc, tb):
        if self.con is not None:
            try:
                self.con.close()
            except Exception:
                pass
            self.con = None
        if not self.committed:
            for p in (self.build_path, self.build_path.with_name(self.build_path.name + ".wal")):
                try:
                    p.unlink()
                except OSError:
                    pass
        # DuckDB's spill folder beside the build (closing the connection removes it; a
        # connection that failed to close may leave it)
        shutil.rmtree(self.build_path.with_name(self.build_path.name + ".tmp"), ignore_errors=True)
        return False

    def carry_over(self, drop_bulletins: set[str] | frozenset = frozenset()) -> dict[str, int]:
        """Copy the previous snapshot's rows, except those of bulletins being replaced.

        Only columns both schemas share are copied, so a column added to schema.sql later
        does not break the first build after the upgrade.
        """
        if self.previous is None:
            return {}
        if self.copied:  # the rows are already here: only the replaced ones go
            self.delete_bulletins(drop_bulletins)
            return {}
        con = self.con
        con.execute(f"ATTACH {_sql_literal(self.previous)} AS prev (READ_ONLY)")
        try:
            dropped = pd.DataFrame({"bulletin_id": sorted(drop_bulletins)}, dtype=object)
            con.register("dropped_ids", dropped)
            counts = {}
            for table in CARRIED_TABLES:
                prev_cols = set(_schema_columns(con, table, catalog="prev"))
                if not prev_cols:
                    continue
                cols = [c for c in _schema_columns(con, table) if c in prev_cols]
                quoted = ", ".join(f'"{c}"' for c in cols)
                where = ""
                if table in BULLETIN_TABLES and len(dropped):
                    where = " WHERE bulletin_id NOT IN (SELECT bulletin_id FROM dropped_ids)"
                con.execute(f'INSERT INTO main."{table}" ({quoted}) '
                            f'SELECT {quoted} FROM prev."{table}"{where}')
                counts[table] = con.execute(f'SELECT count(*) FROM main."{table}"').fetchall()[0][0]
            con.unregister("dropped_ids")
        finally:
            con.execute("DETACH prev")
        return counts

    def insert(self, table: str, rows) -> int:
        if table == "figures" and self.patch_groups:
            if isinstance(rows, pd.DataFrame):
                self.new_figure_bulletins.update(rows["bulletin_id"].astype(str))
            else:
                rows = list(rows)
                self.new_figure_bulletins.update(str(r["bulletin_id"]) for r in rows)
        return insert_frame(self.con, table, rows)

    def delete_bulletins(self, bulletin_ids) -> None:
        """Remove every row of these bulletins (before their new rows are added)."""
        ids = sorted(set(bulletin_ids))
        if not ids:
            return
        gone = pd.DataFrame({"bulletin_id": ids}, dtype=object)  # noqa: F841 - read by DuckDB
        if self.patch_groups:
            self.con.execute(f"INSERT INTO temp.main.__stale_groups SELECT DISTINCT {GROUP_KEY_SQL} "
                             "FROM figures WHERE bulletin_id IN (SELECT bulletin_id FROM gone)")
        for table in BULLETIN_TABLES:
            self.con.execute(f'DELETE FROM main."{table}" WHERE bulletin_id IN '
                             "(SELECT bulletin_id FROM gone)")

    def insert_arrow_batches(self, batches) -> int:
        """Bulk-insert [(table, pyarrow.Table)]: per table in the order given, one INSERT per
        run of batches with the same columns (an Arrow concat is zero-copy)."""
        import pyarrow as pa
        n = 0
        group: list = []
        by_table: dict[str, list] = {}
        for table, tbl in batches:
            by_table.setdefault(table, []).append((table, tbl))
            if table == "figures" and self.patch_groups and tbl.num_rows:
                self.new_figure_bulletins.update(tbl.column("bulletin_id").unique().to_pylist())
        batches = [b for t in by_table.values() for b in t]

        def write():
            nonlocal n
            if not group:
                return
            table = group[0][0]
            batch = pa.concat_tables([t for _, t in group])  # noqa: F841 - read by DuckDB
            cols = ", ".join(f'"{c}"' for c in group[0][1].column_names)
            self.con.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM batch')
            n += sum(t.num_rows for _, t in group)
            group.clear()

        for table, tbl in batches:
            if group and (group[0][0] != table or group[0][1].schema != tbl.schema):
                write()
            group.append((table, tbl))
        write()
        return n

    def begin(self) -> None:
        """Make the following changes one transaction, committed by commit() or
        commit_rows().

        Why: with one transaction per INSERT, every batch of rows is written to the WAL,
        then again into the file at the next checkpoint; a transaction of more than a row
        group's worth of rows is written into the file once (measured: a quarter less CPU
        for 120,000 figures). Nothing is lost by it: a build that does not commit is
        deleted anyway.
        """
        if not self.in_transaction:
            self.con.execute("BEGIN TRANSACTION")
            self.in_transaction = True

    def commit_rows(self) -> None:
        """Commit the rows so far and go on in a new transaction: the cost of a commit grows
        with its rows, so an ingest commits every few row groups while its workers still
        extract instead of all at the end."""
        if self.in_transaction:
            self.con.execute("COMMIT")
            self.in_transaction = False
        self.begin()

    def commit(self, keep: int | None = None) -> Path:
        """Finish the file, put it in place, then switch CURRENT atomically."""
        con = self.con
        t0 = time.process_time()
        if self.patch_groups:
            self.n_groups = update_groups(con, self.new_figure_bulletins, "temp.main.__stale_groups")
        else:
            self.n_groups = build_groups(con)
        self.groups_cpu_s = time.process_time() - t0
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        if self.in_transaction:
            con.execute("COMMIT")
            self.in_transaction = False
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        os.replace(self.build_path, self.final_path)
        self.committed = True
        if os.environ.get(CRASH_ENV):
            raise SimulatedCrash(f"{CRASH_ENV} set: stopping before the switch to {self.name}")
        switch_current(self.wh, self.name)
        prune(self.wh, keep)
        return self.final_path


def build_memory_limit() -> str:
    """DuckDB memory_limit of an ingest's build: PINGAN_INGEST_MEMORY, else BUILD_MEMORY_LIMIT."""
    return os.environ.get(BUILD_MEMORY_ENV) or BUILD_MEMORY_LIMIT


def switch_current(wh, name: str) -> None:
    """Point CURRENT at `name` in one atomic step (write a temp file, fsync, os.replace)."""
    wh = Path(wh)
    tmp = wh / f".{CURRENT}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, wh / CURRENT)
    try:  # make the rename itself durable
        dfd = os.open(wh, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover
        pass


_FICLONE = 0x40049409  # Linux ioctl: share the extents of another file (btrfs, xfs, …)


def clone_file(src, dst) -> str:
    """Copy a snapshot file: a reflink where the filesystem has them (no data written, copy
    on write), else an in-kernel copy. Returns which one was used."""
    try:
        import fcntl
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
        return "reflink"
    except (OSError, ImportError, AttributeError):
        pass
    shutil.copyfile(src, dst)
    return "copy"


def _schema_signature(con, catalog: str) -> list[tuple]:
    """What a snapshot's tables look like: columns, types, defaults, constraints."""
    cols = con.execute(
        "SELECT table_name, column_index, column_name, data_type, is_nullable, "
        "coalesce(column_default, '') FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main' AND NOT internal "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() "
        "                   WHERE database_name = ? AND schema_name = 'main') "
        "ORDER BY 1, 2", [catalog, catalog]).fetchall()
    cons = con.execute(
        "SELECT table_name, constraint_type, CAST(constraint_column_names AS VARCHAR) "
        "FROM duckdb_constraints() WHERE database_name = ? AND schema_name = 'main' "
        "ORDER BY ALL", [catalog]).fetchall()
    return cols + cons


@functools.lru_cache(maxsize=1)
def _fresh_signature() -> tuple:
    """The tables a fresh snapshot has: schema.sql's, and the empty placeholders views.sql
    creates for the corrections (figures_effective reads them)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        return tuple(_schema_signature(con, "memory"))
    finally:
        con.close()


def copyable(snapshot: Path) -> bool:
    """Can the next snapshot start as a copy of this one? Only when its tables are exactly
    what schema.sql makes today: a changed schema (a new column) rebuilds from scratch."""
    if Path(str(snapshot) + ".wal").exists():
        return False
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_sql_literal(snapshot)} AS prev (READ_ONLY)")
        return tuple(_schema_signature(con, "prev")) == _fresh_signature()
    except duckdb.Error:
        return False
    finally:
        con.close()


@functools.lru_cache(maxsize=1)
def _row_columns() -> tuple:
    from etl.parallel import table_columns
    con = duckdb.connect(":memory:")
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        return tuple((t, tuple(c)) for t, c in table_columns(con).items())
    finally:
        con.close()


def row_columns() -> dict:
    """{table: [(column, type)]} of the tables ingest fills, as schema.sql defines them."""
    return {t: list(c) for t, c in _row_columns()}


def stored_state(snapshot: Path | None) -> tuple[pd.DataFrame, int]:
    """What the previous snapshot holds about files, and the next run id.

    Read through ATTACH from an in-memory connection rather than a second connect() to
    the file, so that it works beside a read-only connection held in the same process.
    """
    cols = ["bulletin_id", "path", "abs_path", "size_bytes", "mtime", "extractor", "n_figures"]
    if snapshot is None:
        return pd.DataFrame(columns=cols), 1
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_sql_literal(snapshot)} AS prev (READ_ONLY)")
        have = set(_schema_columns(con, "bulletins", catalog="prev"))
        select = ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in cols)
        state = con.execute(f"SELECT {select} FROM prev.bulletins").df()
        next_run = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM prev.ingest_runs").fetchall()[0][0]
    finally:
        con.close()
    return state, int(next_run)
