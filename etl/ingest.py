"""Incremental ingest: read only new or changed bulletins into a new warehouse snapshot.

Nothing is lost: a file that cannot be read is listed with its reason and the others
still load; rows stored by earlier runs are carried into the new snapshot unless their
file changed. A run that finds nothing new builds no snapshot at all, so running ingest
twice over the same folder is harmless and says so.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from etl import config, warehouse

#: file types a folder walk picks up; a file named explicitly is handed to the reader
#: whatever its suffix, so that an unsupported type gets the reader's own clear reason.
SUPPORTED_SUFFIXES = (".txt", ".md", ".htm", ".html", ".docx", ".pdf")
MANIFEST_NAME = "manifest.csv"
#: data and notes that live beside bulletins (a demo corpus's gold.jsonl): listed as
#: skipped, not refused. Any other file in a folder is handed to the reader, which refuses
#: it with its reason (a .doc is a bulletin we cannot read, and must not vanish silently).
NOT_BULLETINS = (".csv", ".json", ".jsonl", ".yaml", ".yml", ".toml", ".log")

OUTCOMES = ("read", "unchanged", "duplicate", "failed", "skipped")


@dataclass(slots=True)   # one per file: 100,000 of them in a large run
class FileOutcome:
    path: str
    outcome: str                 # read | unchanged | duplicate | failed
    reason: str | None = None
    bulletin_id: str | None = None
    n_figures: int | None = None
    message: str | None = None   # the one line to show, when it is not "path: reason"

    @property
    def line(self) -> str:
        """One line, even for a file whose name holds a newline or other control characters
        (shown escaped, as in a Python string), so each refusal stays one line of stderr."""
        return _one_line(self.message or f"{_shown(self.path)}: {self.reason}")


@dataclass
class IngestReport:
    warehouse: Path
    files: list[FileOutcome] = field(default_factory=list)
    run_id: int | None = None
    snapshot: Path | None = None     # the snapshot serving after the run
    new_snapshot: bool = False       # False: nothing changed, no snapshot was built
    figures_added: int = 0
    figures_removed: int = 0
    extractor: str = ""

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.outcome for f in self.files)
        return {k: c.get(k, 0) for k in OUTCOMES}

    @property
    def refused(self) -> list[FileOutcome]:
        """Files not loaded: failed, and duplicates of a bulletin stored under another name."""
        return [f for f in self.files if f.outcome in ("failed", "duplicate")]

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary_line(self) -> str:
        c = self.counts
        head = (f"read {c['read']}, unchanged {c['unchanged']}, duplicates {c['duplicate']}, "
                f"failed {c['failed']}, skipped {c['skipped']}, figures added {self.figures_added}")
        if self.new_snapshot:
            return f"{head}; now serving {self.snapshot.name}"
        where = self.snapshot.name if self.snapshot else "no snapshot yet"
        return f"{head}; nothing changed, no new snapshot ({where})"


def _shown(text: str) -> str:
    """A path with control, bidi and line-separator characters escaped (\\n, \\u202e)."""
    import unicodedata
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                   and c != "\t" else c for c in text)


def _one_line(text: str) -> str:
    return text if "\n" not in text and "\r" not in text else text.replace("\r", "\\r").replace("\n", "\\n")


# ---------------------------------------------------------------- file discovery

def discover(paths) -> tuple[list[str], list[FileOutcome]]:
    """Expand folders (recursively), keep files once each, list paths that do not exist."""
    files: list[str] = []
    missing: list[FileOutcome] = []
    seen: set[str] = set()

    def add(p: str):
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            root = os.path.realpath(p)
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith((".", "~$")):
                        continue
                    full = os.path.join(dirpath, name)
                    if name.lower() == MANIFEST_NAME:
                        continue
                    if name.lower().endswith(NOT_BULLETINS):
                        missing.append(FileOutcome(full, "skipped", "not a bulletin file type "
                                                   f"({Path(name).suffix}); bulletins are "
                                                   + " ".join(SUPPORTED_SUFFIXES)))
                        continue
                    outside = _link_outside(full, root)
                    if outside:
                        missing.append(FileOutcome(full, "failed", outside))
                        continue
                    add(full)
        elif p.exists():
            add(str(raw))
        else:
            missing.append(FileOutcome(str(raw), "failed", "no such file or folder"))
    return files, missing


def _link_outside(full: str, root: str) -> str | None:
    """Why a symbolic link found in a folder walk is not followed, or None to read it.

    A folder handed to ingest is the set of bulletins to load: a link in it that leads
    elsewhere (to /etc/passwd saved as .txt, to another user's files) is refused, not read.
    A link to a file inside the folder is read as that file (a duplicate is then reported).
    """
    if not os.path.islink(full):
        return None
    target = os.path.realpath(full)
    if os.path.commonpath([root, target]) != root:
        return f"symbolic link to {target}, outside the folder {root}: not followed"
    return None


class _Manifests:
    """manifest.csv per folder, loaded once; its problems become refused lines."""

    def __init__(self):
        self._by_dir: dict[str, object] = {}
        self.problems: list[FileOutcome] = []

    def for_file(self, path: str):
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._by_dir:
            self._by_dir[folder] = None
            mpath = os.path.join(folder, MANIFEST_NAME)
            if os.path.isfile(mpath):
                from etl.manifest import load_manifest
                shown = os.path.join(os.path.dirname(path), MANIFEST_NAME)
                try:  # the folder as the user gave it, so that problems name it that way
                    manifest = load_manifest(os.path.dirname(path) or ".")
                except Exception as exc:  # an unreadable manifest must not stop the run
                    self.problems.append(FileOutcome(shown, "failed", f"manifest not loaded: {exc}"))
                else:
                    self._by_dir[folder] = manifest
                    for problem in getattr(manifest, "problems", []) or []:
                        self.problems.append(FileOutcome(
                            shown, "failed", str(problem), message=str(problem)))
        return self._by_dir[folder]

    def row_for(self, path: str):
        manifest = self.for_file(path)
        if manifest is None:
            return None
        return manifest.meta_for(path)


def _progress(enabled: bool, total: int):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)
    console = Console(stderr=True)
    return Progress(TextColumn("[bold]ingest[/]"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), TextColumn("{task.description}"),
                    console=console, transient=True,
                    disable=not (enabled and console.is_terminal) or total == 0)


# ---------------------------------------------------------------- ingest

def ingest(paths, wh=None, max_bytes: int | None = None, progress: bool = True,
           workers: int | None = 1, runner=None, chunk_files: int | None = None,
           keep: int | None = None) -> IngestReport:
    """Load files and folders into a new snapshot of warehouse `wh`; see module docstring.

    workers: processes that read and extract (1: all in this process; None: one per core).
    runner: an engine to use instead (etl.engine_dask.DaskRunner); it is closed here.
    The output is the same whatever the workers, the runner or the chunk size.
    keep: snapshots kept by cleanup (default PINGAN_KEEP_SNAPSHOTS or 3); one a reader
    still has open is never deleted (see warehouse.prune).

    Raises WarehouseBusy when another ingest holds the lock. Per-file problems never
    raise: they become `failed` outcomes with a reason.
    """
    from etl import extract as extract_mod
    from etl import parallel

    wh = config.warehouse_dir(wh)
    cap = config.max_bytes(max_bytes)
    extractor = str(getattr(extract_mod, "EXTRACTOR_VERSION", "unknown"))
    started = dt.datetime.now()
    report = IngestReport(warehouse=Path(wh), extractor=extractor)
    chunk_files = chunk_files or parallel.CHUNK_FILES

    files, missing = discover(paths)
    manifests = _Manifests()

    run = None
    try:
        with warehouse.writer_lock(wh):
            warehouse.cleanup_orphans(wh)
            keep = warehouse.keep_snapshots(keep)
            warehouse.prune(wh, keep)  # snapshots a reader held at the last cleanup
            previous = warehouse.current_snapshot(wh)
            state, run_id = warehouse.stored_state(previous)
            run = _Run(wh, run_id, previous, state, extractor)

            # pass 1, in this process: a stat per file; unchanged files stop here. It runs
            # ahead of pass 2 only as far as pass 2 needs files, so that the pool starts, and
            # the first chunks are extracted, while the rest of the folder is still listed.
            slots: list[FileOutcome | None] = []
            to_read: list[tuple[int, parallel.Item, dict | None]] = []
            unseen = iter(files)

            def stat_until(n_read: float) -> None:
                """Pass 1 until `n_read` files need reading or every file has been seen."""
                for given in unseen:
                    outcome, item, prev = run.before_read(given, manifests)
                    if item is not None:
                        to_read.append((len(slots), item, prev))
                    slots.append(outcome)
                    if len(to_read) >= n_read:
                        return

            if runner is None:
                n = parallel.default_workers() if workers is None else max(1, int(workers))
                if n > 1:   # a pool only for at least one chunk per worker's worth of files,
                    stat_until(n * chunk_files)   # else as many workers as there are chunks
                    n = min(n, -(-len(to_read) // chunk_files))
                if to_read or n == 1:
                    runner = parallel.PoolRunner(n) if n > 1 else parallel.SerialRunner()
            stat_until(1)

            # pass 2: reading and extraction, in chunks, on the runner; decisions here, in order
            if to_read:
                # the counties table needs the gazetteer: made where extraction runs
                from etl.rows import county_rows
                call = getattr(runner, "call", None)
                run.counties = call(county_rows) if call else None
                columns = warehouse.row_columns()

                def chunks():
                    """Chunk k: files k*chunk_files… of to_read, with their manifest rows
                    (looked up as each chunk is sent, not all at once)."""
                    k = 0
                    while True:
                        stat_until((k + 1) * chunk_files)
                        part = to_read[k * chunk_files:(k + 1) * chunk_files]
                        if not part:
                            return
                        yield parallel.Chunk(
                            k, [replace(it, manifest_row=manifests.row_for(it.given)) for _, it, _ in part],
                            cap, extractor, run_id, columns, os.getpid(),
                            check_extractor=getattr(runner, "remote", False),
                            crash_on=os.environ.get(parallel.CRASH_ON_ENV))
                        k += 1

                with _progress(progress, len(files)) as bar:
                    task = bar.add_task("", total=len(files))
                    for result in runner.run(chunks()):
                        part = to_read[result.index * chunk_files:(result.index + 1) * chunk_files]
                        accepted = []
                        for k, ((slot, item, prev), res) in enumerate(zip(part, result.results)):
                            slots[slot] = run.after_read(item, prev, res)
                            if slots[slot].outcome == "read":
                                accepted.append(k)
                        run.add_rows(result, accepted)
                        bar.update(task, description=os.path.basename(part[-1][1].given),
                                   completed=part[-1][0] + 1)
            stat_until(float("inf"))

            report.files = manifests.problems + missing + slots
            report.figures_added = run.figures_added
            report.figures_removed = int(sum(
                (run.by_id[b].get("n_figures") or 0) for b in run.drops if b in run.by_id))
            report.snapshot = previous
            if run.build is None:
                return report
            c = report.counts
            report.snapshot = run.finish(started, report, c, keep)
            report.run_id = run_id
            report.new_snapshot = True
    except (OSError, warehouse.duckdb.Error) as exc:
        if not warehouse.disk_full(exc):
            raise
        # the file being written: a copy's destination, else the build in progress
        named = re.search(r'file "([^"]+)"', str(exc))  # DuckDB: Could not write file "…"
        where = (getattr(exc, "filename2", None) or (named and named.group(1))
                 or (run.build.build_path if run and run.build else None)
                 or getattr(exc, "filename", None) or wh)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else _one_line(str(exc))
        serving = warehouse.current_snapshot(wh)
        raise warehouse.DiskFull(
            f"{where}: disk full ({why}) while writing the new snapshot; "
            f"nothing was switched, {serving.name if serving else 'no snapshot'} is still in "
            "service. Free space (or raise the quota) and run ingest again") from None
    finally:
        if runner is not None:
            runner.close()
        if run is not None:
            run.abort()
    return report


class _Run:
    """The decisions of one ingest run, in file order, and the snapshot it streams into."""

    #: figure rows gathered before they are written in one bulk insert
    FLUSH_ROWS = 10_000
    #: figure rows per transaction of the build (a little over one DuckDB row group of
    #: 122,880): see SnapshotBuilder.begin
    TX_ROWS = 125_000

    def __init__(self, wh, run_id, previous, state, extractor):
        self.wh, self.run_id, self.previous, self.extractor = wh, run_id, previous, extractor
        self.by_abs: dict[str, dict] = {}
        self.by_id: dict[str, dict] = {}
        for row in state.to_dict("records"):
            key = row.get("abs_path") or os.path.abspath(row["path"])
            self.by_abs[key] = row
            self.by_id[row["bulletin_id"]] = row
        self.drops: set[str] = set()
        self.stat_updates: dict[str, tuple[int, float]] = {}
        self.read_here: dict[str, str] = {}     # bulletin_id -> path, for this run's files
        self.figures_added = 0
        self.build = None
        self.counties = None     # etl.rows.county_rows, or a function giving them
        self._pending_drops: list[str] = []
        self._pending: list[tuple[str, object]] = []
        self._pending_figures = 0
        self._tx_figures = 0

    # ------------------------------------------------ decisions (mirror of one file's path)

    def before_read(self, given: str, manifests):
        """(outcome, None, prev) when the file needs no reading; else (None, Item, prev)."""
        from etl.parallel import Item
        abs_path = os.path.abspath(given)
        try:
            stat = os.stat(given)
        except OSError as exc:
            from etl.readers import os_reason
            return FileOutcome(given, "failed", os_reason(exc)), None, None
        prev = self.by_abs.get(abs_path)
        same_extractor = prev is not None and prev.get("extractor") == self.extractor
        if (same_extractor and prev.get("size_bytes") == stat.st_size
                and prev.get("mtime") == stat.st_mtime):
            return (FileOutcome(given, "unchanged", None, prev["bulletin_id"],
                                _int_or_none(prev.get("n_figures"))), None, prev)
        item = Item(given, stat.st_size, stat.st_mtime,
                    prev["bulletin_id"] if same_extractor else None, None)
        return None, item, prev

    def after_read(self, item, prev, res) -> FileOutcome:
        given = item.given
        if res.kind == "read_error":
            reason = res.reason
            if prev is not None:
                reason += "; rows stored from its earlier version are kept"
            return FileOutcome(given, "failed", reason)
        bid = res.bulletin_id
        if bid is None:
            return FileOutcome(given, "failed", res.reason)
        if res.kind == "touched":
            # touched, not changed: same bytes, same extractor; just remember the new stat
            self.stat_updates[bid] = (item.size, item.mtime)
            return FileOutcome(given, "unchanged", "content unchanged (only the file time changed)",
                               bid, _int_or_none(prev.get("n_figures")))
        other = self.read_here.get(bid)
        if other is None and bid in self.by_id and (prev is None or prev["bulletin_id"] != bid):
            stored = self.by_id[bid]
            if stored["bulletin_id"] not in self.drops:
                other = stored["path"]
        if other is not None:
            reason = f"same content as {other}, already loaded"
            if prev is not None:
                self._drop(prev["bulletin_id"])
                reason += "; rows from this file's earlier version were removed"
            return FileOutcome(given, "duplicate", reason, bid, 0)
        if res.kind != "extracted":
            return FileOutcome(given, "failed", res.reason, bid)
        reason = None
        if prev is not None:
            self._drop(prev["bulletin_id"])
            if prev["bulletin_id"] == bid:
                reason = f"re-read with extractor {self.extractor} (was {prev.get('extractor')})"
            else:
                reason = f"changed since last ingest; replaced {prev.get('n_figures') or 0} figures"
        self.read_here[bid] = given
        self.figures_added += res.n_figures
        return FileOutcome(given, "read", reason, bid, res.n_figures)

    # ------------------------------------------------ the snapshot, streamed

    def _open(self):
        if self.build is None:
            # most stored rows about to be replaced (a new extractor): a fresh file is
            # smaller than a copy with most of its rows deleted
            stale = sum(1 for r in self.by_id.values() if r.get("extractor") != self.extractor)
            self.build = warehouse.SnapshotBuilder(self.wh, self.run_id, self.previous,
                                                   copy_previous=2 * stale <= len(self.by_id),
                                                   memory_limit=warehouse.build_memory_limit(),
                                                   counties=self.counties)
            self.build.__enter__()
            self.build.carry_over()
            self.build.begin()

    def _drop(self, bulletin_id: str) -> None:
        self._open()
        self.drops.add(bulletin_id)
        self._pending_drops.append(bulletin_id)

    def add_rows(self, result, accepted: list[int]) -> None:
        """Queue the rows of a chunk's accepted files; write when enough have gathered."""
        if not accepted:
            return
        self._open()
        import pyarrow.compute as pc
        from etl.parallel import ITEM
        everyone = len(accepted) == len(result.results)
        keep = None if everyone else pa_array(accepted)
        for table in ("bulletins", "articles", "figures"):
            tbl = result.tables.get(table)
            if tbl is None or tbl.num_rows == 0:
                continue
            if keep is not None:
                tbl = tbl.filter(pc.is_in(tbl[ITEM], value_set=keep))
            tbl = tbl.drop_columns([ITEM])
            if tbl.num_rows:
                self._pending.append((table, tbl))
                if table == "figures":
                    self._pending_figures += tbl.num_rows
        if self._pending_figures >= self.FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Drops first (a bulletin re-read keeps its figure ids), then the rows, in order."""
        if self.build is None:
            return
        if self._pending_drops:
            self.build.delete_bulletins(self._pending_drops)
            self._pending_drops = []
        self.build.insert_arrow_batches(self._pending)
        self._tx_figures += self._pending_figures
        self._pending, self._pending_figures = [], 0
        if self._tx_figures >= self.TX_ROWS:
            self.build.commit_rows()
            self._tx_figures = 0

    def abort(self) -> None:
        """A run that stopped before its commit: close and delete the partial build."""
        build, self.build = self.build, None
        if build is not None and not build.committed:
            build.__exit__(None, None, None)

    def finish(self, started, report, c, keep: int | None = None) -> Path:
        build = self.build
        try:
            self.flush()
            if self.stat_updates:
                import pandas as pd
                upd = pd.DataFrame([{"bulletin_id": k, "size_bytes": v[0], "mtime": v[1]}
                                    for k, v in self.stat_updates.items()])
                build.con.register("stat_updates", upd)
                build.con.execute(
                    "UPDATE bulletins SET size_bytes = u.size_bytes, mtime = u.mtime "
                    "FROM stat_updates u WHERE bulletins.bulletin_id = u.bulletin_id")
                build.con.unregister("stat_updates")
            build.insert("ingest_runs", [dict(
                run_id=self.run_id, started_at=started, finished_at=dt.datetime.now(),
                snapshot=build.name, extractor=self.extractor, n_read=c["read"],
                n_unchanged=c["unchanged"], n_duplicate=c["duplicate"], n_failed=c["failed"],
                n_figures_added=report.figures_added)])
            import pandas as pd
            files = report.files   # by column: a dict per file was ~40 MB at 100,000 files
            build.insert("ingest_files", pd.DataFrame({
                "run_id": [self.run_id] * len(files), "path": [f.path for f in files],
                "outcome": [f.outcome for f in files], "reason": [f.reason for f in files],
                "bulletin_id": [f.bulletin_id for f in files],
                "n_figures": [f.n_figures for f in files]}))
            path = build.commit(keep)
        finally:
            self.build = None
            build.__exit__(None, None, None)
        return path


def pa_array(values):
    import pyarrow as pa
    return pa.array(values, type=pa.int32())


def _int_or_none(v):
    try:
        return None if v is None or v != v else int(v)
    except (TypeError, ValueError):
        return None


if __name__ == "__main__":  # pragma: no cover
    print("use: python -m etl ingest PATH...", file=sys.stderr)
    sys.exit(2)
