"""Reading and extraction of many bulletins on several cores, results as Arrow tables.

Why this shape: extraction is pure per file (bytes in, rows out) and costs ~2 ms of CPU per
bulletin, while deciding what a file *is* (unchanged, a duplicate of another, a replacement)
needs the whole run's state and costs microseconds. So the ingest process keeps every
decision and sends workers only what they need to read one file (its path, size, mtime, the
manifest row, the bulletin id it had); workers send back per-file outcomes and the rows as
Arrow tables, which cross a process boundary as a few buffers instead of millions of dicts.

Determinism: files are cut into chunks of a fixed size (never derived from the number of
workers) and results are taken in chunk order, so the rows, their ids and their order in
the snapshot are the same whatever the number of workers or the engine.

A worker that dies on a file (a crash in a C library, the OOM killer) takes its whole
chunk down with it; the chunks that were in flight are then re-run one file at a time in a
fresh pool, and the file that kills its worker again is reported as failed. The others load.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections import deque
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from types import ModuleType, SimpleNamespace

import pyarrow as pa

#: files per task: fixed (not derived from the worker count) so that output never depends
#: on it; large enough that a task's overhead is small next to ~2 ms of extraction a file
CHUNK_FILES = 32
#: test hook: a worker process that is given a file of this name dies (os._exit) on it
CRASH_ON_ENV = "PINGAN_TEST_CRASH_ON"

#: DuckDB column type -> Arrow type, for the tables ingest writes
_ARROW_TYPES = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"), "FLOAT": pa.float32(), "SMALLINT": pa.int16(),
}
ROW_TABLES = ("bulletins", "articles", "figures")
ITEM = "__item"   # column of a chunk's tables: which of the chunk's files a row belongs to


@dataclass(frozen=True, slots=True)   # one per file to read, kept for the whole run
class Item:
    """One file to read, with what the ingest process already knows about it."""
    given: str                  # the path as given (stored as `path` and `source`)
    size: int
    mtime: float
    skip_if_bid: str | None     # stored bulletin id of this path, same extractor: no re-extract
    manifest_row: dict | None


@dataclass
class Chunk:
    index: int
    items: list
    cap: int
    extractor: str
    run_id: int
    columns: dict               # table -> [(column, duckdb type)]
    parent_pid: int
    check_extractor: bool = False   # refuse a worker running another extractor version (Dask)
    crash_on: str | None = None     # test hook CRASH_ON_ENV, read by the ingest process


@dataclass(slots=True)
class FileResult:
    kind: str                   # read_error | touched | failed | extracted
    reason: str | None = None
    bulletin_id: str | None = None
    n_figures: int = 0


@dataclass
class ChunkResult:
    index: int
    results: list               # FileResult per item, in order
    tables: dict = field(default_factory=dict)   # table -> pa.Table with ITEM column


def table_columns(con) -> dict:
    """The columns ingest fills: (name, DuckDB type, has a default), from a snapshot's schema."""
    out = {}
    for table in ROW_TABLES:
        rows = con.execute(
            "SELECT column_name, data_type, column_default IS NOT NULL "
            "FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' AND table_catalog = current_database() "
            "ORDER BY ordinal_position", [table]).fetchall()
        out[table] = [(c, t, bool(d)) for c, t, d in rows]
    return out


def _arrow_table(rows: list[dict], items: list[int], columns) -> pa.Table:
    """Rows (dicts) as an Arrow table with every column of the table.

    Keys the table lacks are ignored; a column with a DEFAULT that no row carries is left
    out so that it takes its default, as `etl.warehouse.insert_frame` does with pandas (a
    column without one is NULL either way). So chunks nearly always share one schema and
    are written in one INSERT.
    """
    present = set()
    for r in rows:
        present.update(r)
    arrays, names = [pa.array(items, type=pa.int32())], [ITEM]
    for col, dtype, has_default in columns:
        if has_default and col not in present:
            continue
        values = [r.get(col) for r in rows]
        arrays.append(pa.array(values, type=_ARROW_TYPES.get(dtype)))
        names.append(col)
    return pa.Table.from_arrays(arrays, names=names)


def read_and_extract(item: Item, cap: int, extractor: str, run_id: int):
    """Read and extract one file: (FileResult, {table: rows}). Never raises for a bad file."""
    from etl import extract as extract_mod
    from etl.dates import resolve_meta
    from etl.readers import ReadError, read_document
    from etl.rows import article_rows, bulletin_row, figure_rows

    given = item.given
    try:
        doc = read_document(given, cap)
    except ReadError as exc:
        return FileResult("read_error", exc.reason), None
    except Exception as exc:  # a reader bug on one file must not stop the others
        return FileResult("failed", f"could not be read ({type(exc).__name__}: {exc})"), None
    bid = doc.bulletin_id
    if item.skip_if_bid is not None and item.skip_if_bid == bid:
        return FileResult("touched", bulletin_id=bid), None
    try:
        meta = resolve_meta(given, doc.text, item.manifest_row)
        extraction = extract_mod.extract_document(doc, meta)
        stat = SimpleNamespace(st_size=item.size, st_mtime=item.mtime)  # as the ingest saw it
        bulletin = bulletin_row(doc, meta, extraction, given, stat, run_id, extractor)
        figures = figure_rows(doc, meta, extraction, bulletin)
        articles = article_rows(doc, extraction)
    except Exception as exc:  # an extractor bug on one file must not stop the others
        return FileResult("failed", f"extraction failed ({type(exc).__name__}: {exc})", bid), None
    ids = [f.get("figure_id") for f in figures]
    if len(set(ids)) != len(ids) or None in ids:
        return FileResult("failed", "extractor gave duplicate or missing figure_id", bid), None
    return (FileResult("extracted", bulletin_id=bid, n_figures=len(figures)),
            {"bulletins": [bulletin], "articles": articles, "figures": figures})


_STORE_ERRORS = (pa.ArrowException, TypeError, ValueError, OverflowError)


def extract_chunk(chunk: Chunk) -> ChunkResult:
    """Worker side: every file of the chunk, rows gathered into one Arrow table per table.

    The tables are built once per chunk. Only when that fails (a value no column can hold)
    is each file's rows converted on its own, to fail that file and not the chunk: building
    them per file every time cost about a seventh of a worker's CPU.
    """
    if chunk.check_extractor:
        from etl import extract as extract_mod
        mine = str(getattr(extract_mod, "EXTRACTOR_VERSION", "unknown"))
        if mine != chunk.extractor:
            raise RuntimeError(f"worker on {os.uname().nodename} runs extractor {mine}, "
                               f"the ingest expects {chunk.extractor}: deploy the same code")
    crash_on = chunk.crash_on
    results, per_file = [], []
    for item in chunk.items:
        if crash_on and os.getpid() != chunk.parent_pid and os.path.basename(item.given) == crash_on:
            os._exit(70)  # test hook: a worker dying hard on one file
        res, file_rows = read_and_extract(item, chunk.cap, chunk.extractor, chunk.run_id)
        results.append(res)
        per_file.append(file_rows)
    try:
        tables = _chunk_tables(per_file, chunk.columns)
    except _STORE_ERRORS:
        for i, file_rows in enumerate(per_file):
            if file_rows is None:
                continue
            try:
                for t in ROW_TABLES:
                    _arrow_table(file_rows[t], [i] * len(file_rows[t]), chunk.columns[t])
            except _STORE_ERRORS as exc:
                results[i] = FileResult("failed", f"rows could not be stored ({type(exc).__name__}: "
                                                  f"{exc})", results[i].bulletin_id)
                per_file[i] = None
        tables = _chunk_tables(per_file, chunk.columns)
    return ChunkResult(chunk.index, results, tables)


def _chunk_tables(per_file: list, columns: dict) -> dict:
    """{table: pa.Table} of the rows of every file that has rows, ITEM naming the file."""
    tables = {}
    for t in ROW_TABLES:
        rows, owners = [], []
        for i, file_rows in enumerate(per_file):
            if file_rows is not None and file_rows[t]:
                rows.extend(file_rows[t])
                owners.extend([i] * len(file_rows[t]))
        if rows:
            tables[t] = _arrow_table(rows, owners, columns[t])
    return tables


def _died(item: Item) -> ChunkResult:
    return ChunkResult(-1, [FileResult(
        "failed", "the worker process died while reading or extracting this file "
                  "(a crash or the system's out-of-memory killer); the other files loaded")])


def single(chunk: Chunk, item: Item) -> Chunk:
    return Chunk(chunk.index, [item], chunk.cap, chunk.extractor, chunk.run_id, chunk.columns,
                 chunk.parent_pid, chunk.check_extractor, chunk.crash_on)


def merge(index: int, parts: list[ChunkResult]) -> ChunkResult:
    """One chunk's result put back together from its files run one at a time."""
    results, pieces = [], {t: [] for t in ROW_TABLES}
    for k, part in enumerate(parts):
        results.extend(part.results)
        for t, tbl in part.tables.items():
            pieces[t].append(tbl.set_column(0, ITEM, pa.array([k] * tbl.num_rows, type=pa.int32())))
    tables = {t: pa.concat_tables(v, promote_options="default") for t, v in pieces.items() if v}
    return ChunkResult(index, results, tables)


# ---------------------------------------------------------------- runners

#: chunks in flight per worker: enough that a worker always has the next chunk while the
#: ingest process writes a batch, few enough that results waiting in order stay small
WINDOW_PER_WORKER = 4


class Window:
    """Chunks submitted ahead of the one being waited on, taken back in chunk order.

    Shared by every runner (the local pool, Dask): `submit(chunk)` returns a future (or
    None when it could not be sent); iterating yields (chunk, future) in chunk order while
    keeping at most `size` submitted and not yet taken. `take_all()` hands back the ones
    still in flight (a broken pool re-runs them).
    """

    def __init__(self, chunks, submit, size: int):
        self._chunks = iter(chunks)
        self._submit = submit
        self.size = max(1, size)
        self.pending: deque = deque()

    def __iter__(self):
        return self

    def __next__(self):
        while len(self.pending) < self.size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self.pending.append((chunk, self._submit(chunk)))
        if not self.pending:
            raise StopIteration
        return self.pending.popleft()

    def take_all(self) -> list:
        out = list(self.pending)
        self.pending.clear()
        return out


class SerialRunner:
    """Everything in the ingest process: `--workers 1`, and runs too small for a pool."""
    name = "serial"
    workers = 1

    def call(self, fn):
        """fn() where the extraction runs; returns a function that gives its result."""
        return fn

    def run(self, chunks):
        for chunk in chunks:
            yield extract_chunk(chunk)

    def close(self):
        pass


#: prctl(2) option: the signal a process gets when its parent dies (linux/prctl.h)
_PR_SET_PDEATHSIG = 1


def _ppid_of(pid: int) -> int | None:
    """The parent of `pid` from /proc (Linux), or None when it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # pid (comm) state ppid …: comm may hold spaces and parentheses, so cut at the last ')'
    try:
        return int(stat[stat.rindex(b")") + 2:].split()[1])
    except (ValueError, IndexError):
        return None


def die_with_parent(ingest_pid: int) -> None:
    """Make this worker die (SIGKILL) when its parent does, so that no worker outlives a
    SIGKILLed ingest (issue 12): a killed ingest cannot shut its pool down, and a worker
    blocked on the task queue, whose both ends it holds itself, would wait forever.

    Linux only (prctl PR_SET_PDEATHSIG); a no-op elsewhere. The parent is the ingest process
    (fork or spawn) or, with forkserver (ours), the fork server, which exits when the
    ingest does once the workers no longer hold its "alive" pipe (closed below).
    The signal is armed only for a parent still alive, so after arming check that the
    parent is still the one we were started by: if the ingest died before this line, the
    worker has already been re-parented and exits here instead of running on.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return  # pragma: no cover - cannot arm it: keep the old behaviour
    except (OSError, AttributeError):  # pragma: no cover
        return
    ppid = os.getppid()
    if ppid == ingest_pid:
        return                      # fork/spawn: the parent is the ingest, alive now
    # forkserver: the server exits when every holder of the write end of its "alive" pipe
    # has closed it, and each worker is handed a copy (so it could start processes of its
    # own, which workers never do). Kept open, the workers keep the server alive and the
    # server keeps them alive after the ingest is gone: close ours, so that the ingest's
    # death ends the server and the server's death ends us.
    from multiprocessing import forkserver
    server = getattr(forkserver, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if alive_fd is not None:
        try:
            os.close(alive_fd)
        except OSError:  # pragma: no cover
            pass
        server._forkserver_alive_fd = None
    if _ppid_of(ppid) == ingest_pid:
        return                      # forkserver: alive, and still the ingest's child
    os._exit(1)                     # the ingest is gone (we were re-parented): do not run on


class _NoPandas:
    """An import hook that refuses pandas, installed in local pool workers only.

    Why: pyarrow's first ``pa.array()`` imports pandas just to ask whether its argument is a
    pandas Series, and that import is ≈45 MB of RSS in every worker (the issue's memory
    target is the summed RSS of the ingest's processes). Nothing a worker runs (reading,
    extraction, etl.rows, Arrow tables) uses pandas; pyarrow treats the refusal as "pandas
    not installed" and carries on. A reader that ever needed pandas would fail its file with
    this message, not silently.
    """

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not loaded in ingest pool workers "
                                      "(etl.parallel._NoPandas)", name=name)
        return None


def _pool_init(ingest_pid: int | None = None):  # pragma: no cover - runs in the workers
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the ingest process's to handle
    if ingest_pid is not None:
        die_with_parent(ingest_pid)
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas)


@contextmanager
def no_main_script():
    """Start pool processes without re-running the caller's main script in each of them.

    Why: forkserver (like spawn) makes every new process import the parent's ``__main__``
    from its path when it has no module name. Under `streamlit run` (and Streamlit's
    AppTest) ``__main__`` is the page script being run, so each worker would run the
    Import page, bare, against whatever warehouse the environment names, and a page that
    fails there breaks the pool (a real failure seen in the test suite). The workers need
    only etl's modules, so while processes are started ``__main__`` is a bare module with
    no path. ``python -m etl`` names its main module and is left alone.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not getattr(main, "__file__", None):
        yield
        return
    stub = ModuleType("__main__")
    sys.modules["__main__"] = stub
    try:
        yield
    finally:
        if sys.modules.get("__main__") is stub:  # a script run in another thread may have set its own
            sys.modules["__main__"] = main


class PoolRunner:
    """A local process pool (forkserver: workers start from a clean process that has
    imported the extractor once, never a fork of a process holding DuckDB threads)."""
    name = "pool"

    def __init__(self, workers: int):
        self.workers = workers
        self._ctx = mp.get_context("forkserver")
        try:
            self._ctx.set_forkserver_preload(["etl.parallel", "etl.extract"])
        except Exception:  # pragma: no cover
            pass
        self._pool = None
        self.restarts = 0

    def _new_pool(self):
        self._pool = ProcessPoolExecutor(self.workers, mp_context=self._ctx, initializer=_pool_init,
                                         initargs=(os.getpid(),))

    def _kill(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def call(self, fn):
        """fn() run by a worker (which has the extractor's data loaded, so the ingest process
        need not); returns a function that gives its result. Computed here if the pool
        breaks before it is done."""
        if self._pool is None:
            self._new_pool()
        try:
            with no_main_script():
                fut = self._pool.submit(fn)
        except BrokenProcessPool:
            return fn

        def result():
            try:
                return fut.result()
            except BrokenProcessPool:
                return fn()
        return result

    def _submit(self, chunk: Chunk):
        try:
            with no_main_script():  # submit is where the pool starts its processes
                return self._pool.submit(extract_chunk, chunk)
        except BrokenProcessPool:   # broke while we were away: isolated when its turn comes
            return None

    def run(self, chunks):
        if self._pool is None:
            self._new_pool()
        window = Window(chunks, self._submit, self.workers * WINDOW_PER_WORKER)
        for chunk, fut in window:
            try:
                if fut is None:
                    raise BrokenProcessPool("the pool broke before this chunk was sent")
                result = fut.result()
            except BrokenProcessPool:
                suspects = [(chunk, fut), *window.take_all()]
                self._kill()
                self.restarts += 1
                self._new_pool()
                for sus_chunk, sus_fut in suspects:
                    yield self._isolate(sus_chunk, sus_fut)
                continue
            yield result

    def _isolate(self, chunk: Chunk, fut) -> ChunkResult:
        """Re-run a chunk caught in a crash one file at a time; a file that kills its worker
        again is failed, every other file gets its real result."""
        if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
            return fut.result()
        parts = []
        for item in chunk.items:
            try:
                with no_main_script():
                    fut = self._pool.submit(extract_chunk, single(chunk, item))
                parts.append(fut.result())
            except BrokenProcessPool:
                parts.append(_died(item))
                self._kill()
                self.restarts += 1
                self._new_pool()
        return merge(chunk.index, parts)

    def close(self):
        self._kill()


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
