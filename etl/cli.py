"""`python -m etl extract|ingest|status|sql|export|demo`: the ETL from a shell.

Exit status is part of the interface (scripts and CI read it): 0 all good, 1 some files
refused or a query failed (the rest still done), 2 usage errors and refused statements,
3 the warehouse is busy with another ingest.
"""
from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import os
import sys
import uuid

from etl import config

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3

#: the figure record of DESIGN.md, used when etl.extract does not (yet) list it
_DEFAULT_FIGURE_FIELDS = (
    "source", "article", "start", "end", "sentence", "raw", "value", "unit", "qualifier",
    "measure", "direction", "metric", "category", "county_code", "county", "city",
    "province", "agency", "initiative", "mechanism", "period", "figure_id")

#: statement types `sql` runs; everything else (INSERT, COPY, ATTACH, SET, PRAGMA, CALL,
#: LOAD/INSTALL, EXPORT, CREATE, …) is refused before it reaches the database.
_READ_STATEMENTS = ("SELECT", "EXPLAIN")


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _clean(value):
    """JSON has no NaN/Infinity: unknown numbers become null."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _dumps(obj) -> str:
    return json.dumps(_clean(obj), ensure_ascii=False, default=_json_default)


def _console(stderr: bool = False):
    from rich.console import Console
    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 160)


# ---------------------------------------------------------------- extract

def cmd_extract(args) -> int:
    from etl import extract as extract_mod
    from etl.dates import resolve_meta
    from etl.ingest import _Manifests
    from etl.readers import ReadError, read_document

    fields = list(getattr(extract_mod, "FIGURE_FIELDS", _DEFAULT_FIGURE_FIELDS))
    cap = config.max_bytes(args.max_bytes)
    manifests = _Manifests()
    status = EXIT_OK
    rows: list[dict] = []
    for path in args.files:
        try:
            doc = read_document(path, cap)
            row = manifests.row_for(path)
            meta = resolve_meta(path, doc.text, row)
            extraction = extract_mod.extract_document(doc, meta)
        except ReadError as exc:
            _err(f"{path}: {exc.reason}")
            status = EXIT_SOME_FAILED
            continue
        except FileNotFoundError:
            _err(f"{path}: no such file")
            status = EXIT_SOME_FAILED
            continue
        except Exception as exc:  # one bad file must not hide the others' figures
            _err(f"{path}: extraction failed ({type(exc).__name__}: {exc})")
            status = EXIT_SOME_FAILED
            continue
        for fig in extraction.figures:
            record = {k: fig.get(k) for k in fields}
            if args.format == "jsonl":
                sys.stdout.write(_dumps(record) + "\n")
            else:
                rows.append(record)
        sys.stdout.flush()
    for problem in manifests.problems:
        _err(problem.line)
        status = EXIT_SOME_FAILED
    if args.format == "table":
        from rich.table import Table
        table = Table(title="指标 figures", show_lines=False)
        cols = ("source", "article", "raw", "value", "unit", "qualifier", "measure",
                "direction", "metric", "county", "period")
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in cols))
        _console().print(table)
    return status


# ---------------------------------------------------------------- ingest

def cmd_ingest(args) -> int:
    from etl import warehouse
    from etl.ingest import ingest

    if not args.paths:
        _err("ingest: give at least one file or folder (python -m etl ingest PATH...)")
        return EXIT_USAGE
    wh = config.warehouse_dir(args.warehouse)
    runner = None
    if args.engine == "dask":
        if not args.scheduler:
            _err("ingest: --engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
            return EXIT_USAGE
        from etl.engine_dask import DaskRunner, EngineError
        try:
            runner = DaskRunner(args.scheduler)
        except EngineError as exc:
            _err(str(exc))
            return EXIT_SOME_FAILED
    elif args.scheduler:
        _err("ingest: --scheduler is for --engine dask")
        return EXIT_USAGE
    try:
        report = ingest(args.paths, wh, max_bytes=args.max_bytes,
                        progress=not args.no_progress, workers=args.workers, runner=runner,
                        keep=args.keep)
    except warehouse.WarehouseBusy as exc:
        _err(str(exc))
        return EXIT_BUSY
    except warehouse.DiskFull as exc:
        _err(str(exc))
        return EXIT_SOME_FAILED
    except warehouse.WarehouseError as exc:  # e.g. a bad PINGAN_KEEP_SNAPSHOTS
        _err(str(exc))
        return EXIT_USAGE
    for f in report.refused:
        _err(f.line)
    _print_ingest_summary(report)
    return EXIT_OK if report.ok else EXIT_SOME_FAILED


def _print_ingest_summary(report) -> None:
    from rich.table import Table
    c = report.counts
    table = Table(title=f"入库 ingest → {report.warehouse}")
    table.add_column("结果 outcome")
    table.add_column("数量 count", justify="right")
    table.add_row("读取 read", str(c["read"]))
    table.add_row("未变 unchanged", str(c["unchanged"]))
    table.add_row("重复 duplicates", str(c["duplicate"]))
    table.add_row("失败 failed", str(c["failed"]))
    table.add_row("跳过 skipped (not bulletins)", str(c["skipped"]))
    table.add_row("新增指标 figures added", str(report.figures_added))
    console = _console()
    console.print(table)
    notable = [f for f in report.files if f.outcome in ("failed", "duplicate", "skipped")
               or (f.outcome == "read" and f.reason)]
    if notable:
        detail = Table(title="文件 files")
        detail.add_column("结果 outcome")
        detail.add_column("文件 file", overflow="fold")
        detail.add_column("原因 reason", overflow="fold")
        for f in notable:
            detail.add_row(f.outcome, f.path, f.reason or "")
        console.print(detail)
    if report.new_snapshot:
        console.print(f"新快照 new snapshot: {report.snapshot.name} (run {report.run_id})")
    else:
        where = report.snapshot.name if report.snapshot else "无 none"
        console.print(f"无变化，未生成新快照 nothing changed, no new snapshot (serving: {where})")


# ---------------------------------------------------------------- status

def status_dict(wh) -> dict:
    """What `status --json` prints; the counts are etl.counts', named as on every page and pack."""
    from etl import counts, warehouse

    snap = warehouse.current_snapshot(wh)
    out = {"warehouse": str(wh), "snapshot": snap.name if snap else None, "articles": 0,
           **{c.key: 0 for c in counts.COUNTS}, "last_run": None}
    if snap is None:
        return out
    con = warehouse.connect_read_only(wh, snap)
    try:
        out["articles"] = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        out.update(counts.all_counts(con))
        cur = con.execute("SELECT * FROM ingest_runs ORDER BY run_id DESC LIMIT 1")
        rows = cur.fetchall()
        row = rows[0] if rows else None
        if row:
            out["last_run"] = dict(zip([d[0] for d in cur.description], row))
    finally:
        con.close()
    # names older callers read
    out["unknown_dates"], out["unresolved_places"] = out["undated_bulletins"], out["unplaced"]
    out["synthetic_figures"] = out["synthetic"]
    return out


def cmd_status(args) -> int:
    from etl import counts

    wh = config.warehouse_dir(args.warehouse)
    info = status_dict(wh)
    if args.json:
        print(_dumps(info))
        return EXIT_OK
    if info["snapshot"] is None:
        print(f"{wh}: 尚无快照 no snapshot yet (run `python -m etl ingest PATH`)")
        return EXIT_OK
    from rich.table import Table
    table = Table(title=f"仓库 warehouse {wh}")
    table.add_column("项目 item")
    table.add_column("值 value", justify="right")
    table.add_row("当前快照 snapshot", str(info["snapshot"]))
    table.add_row("文章 articles", str(info["articles"]))
    for c in counts.COUNTS:
        table.add_row(f"{c.zh} {c.en}", str(info[c.key]))
    run = info["last_run"]
    if run:
        table.add_row("最近运行 last run",
                      f"#{run['run_id']} {run['finished_at']:%Y-%m-%d %H:%M} "
                      f"read {run['n_read']}, failed {run['n_failed']}, "
                      f"+{run['n_figures_added']} figures")
    _console().print(table)
    return EXIT_OK


# ---------------------------------------------------------------- sql

class RefusedStatement(Exception):
    pass


def check_read_only(sql: str) -> None:
    """Refuse anything but a single read, using DuckDB's own parser (not a regex).

    The connection is read-only with external access off as well; this check gives a
    clear message instead of a database error and stops SET/PRAGMA/CALL, which a
    read-only connection would still run.
    """
    import duckdb
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise RefusedStatement(f"cannot parse the statement: {str(exc).splitlines()[0]}") from None
    if not statements:
        raise RefusedStatement("no statement given")
    if len(statements) > 1:
        raise RefusedStatement("one statement at a time")
    kind = statements[0].type.name
    if kind not in _READ_STATEMENTS:
        raise RefusedStatement(f"only reads (SELECT) are allowed here; this is a {kind} statement")


def cmd_sql(args) -> int:
    import duckdb
    from etl import warehouse

    try:
        check_read_only(args.query)
    except RefusedStatement as exc:
        _err(f"sql refused: {exc}")
        return EXIT_USAGE
    wh = config.warehouse_dir(args.warehouse)
    try:
        con = warehouse.connect_read_only(wh)
    except warehouse.NoSnapshot as exc:
        _err(str(exc))
        return EXIT_SOME_FAILED
    try:
        cur = con.execute(args.query)
        names = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if names else []
    except duckdb.PermissionException as exc:
        _err(f"sql refused: {str(exc).splitlines()[0]}")
        return EXIT_USAGE
    except duckdb.Error as exc:
        _err(f"sql failed: {str(exc).splitlines()[0]}")
        return EXIT_SOME_FAILED
    finally:
        con.close()
    if args.json:
        print(_dumps([dict(zip(names, r)) for r in rows]))
        return EXIT_OK
    from rich.table import Table
    table = Table()
    for n in names:
        table.add_column(n, overflow="fold")
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    _console().print(table)
    return EXIT_OK


# ---------------------------------------------------------------- export

def cmd_export(args) -> int:
    from etl import warehouse
    from etl.export import export_parquet

    wh = config.warehouse_dir(args.warehouse)
    try:
        info = export_parquet(wh, args.out)
    except warehouse.WarehouseError as exc:
        _err(str(exc))
        return EXIT_SOME_FAILED
    rows = ", ".join(f"{k} {v:,}" for k, v in info["rows"].items())
    print(f"exported snapshot {info['snapshot']} to {args.out} as Parquet by year and city: {rows}")
    return EXIT_OK


# ---------------------------------------------------------------- corrections (issue 9)

def _print_records(recs, as_json: bool) -> None:
    from etl import corrections as corr
    if as_json:
        print(_dumps([r.as_dict() for r in recs]))
        return
    from rich.table import Table

    from etl import localtime
    table = Table(title="更正记录 corrections")
    # the time as staff read it (北京时间 unless PINGAN_TZ says otherwise); --json keeps UTC
    for c in ("id", "figure", "action", "field", "before", "after", "reason", "by",
              f"at ({localtime.label()})", "undoes"):
        table.add_column(c, overflow="fold")
    for r in recs:
        table.add_row(r.correction_id, r.figure_id, r.action, r.field or "",
                      corr.display(r.field, r.before) if r.action == "correct" else "",
                      corr.display(r.field, r.after) if r.action == "correct" else "",
                      r.reason or "", r.by, localtime.minute(r.at), r.undoes or "")
    _console().print(table)


def cmd_correct(args) -> int:
    """Correct, confirm, reject or undo; every record names who (`--by`) and why."""
    from etl import corrections as corr
    from etl import warehouse

    wh = config.warehouse_dir(args.warehouse)
    chosen = [bool(args.set), args.confirm, args.reject, bool(args.undo)]
    if sum(chosen) != 1:
        _err("correct: give exactly one of --set field=value…, --confirm, --reject, --undo ID")
        return EXIT_USAGE
    if not args.by:
        _err("correct: --by NAME is required (who makes the change)")
        return EXIT_USAGE
    try:
        if args.undo:
            if args.figure_id:
                _err("correct --undo: give the correction id only, not a figure id")
                return EXIT_USAGE
            recs = [corr.undo(wh, args.undo, args.by, args.reason)]
        else:
            if not args.figure_id:
                _err("correct: give the FIGURE_ID to correct")
                return EXIT_USAGE
            changes = corr.parse_sets(args.set) if args.set else None
            con = warehouse.connect_read_only(wh)
            try:
                if changes is not None:
                    recs = corr.correct(wh, con, args.figure_id, changes, args.by, args.reason)
                else:
                    recs = corr.verdict(wh, con, [args.figure_id],
                                        "confirm" if args.confirm else "reject", args.by, args.reason)
            finally:
                con.close()
    except corr.CorrectionError as exc:
        _err(f"correct: {exc}")
        return EXIT_USAGE
    except warehouse.WarehouseError as exc:
        _err(str(exc))
        return EXIT_SOME_FAILED
    _print_records(recs, args.json)
    return EXIT_OK


def cmd_corrections(args) -> int:
    """List the log (or one figure's history); orphans are flagged when a snapshot exists."""
    from etl import corrections as corr
    from etl import warehouse

    wh = config.warehouse_dir(args.warehouse)
    recs = corr.records(wh, args.figure)
    if args.orphans:
        try:
            con = warehouse.connect_read_only(wh, corrections=False)
        except warehouse.WarehouseError as exc:
            _err(str(exc))
            return EXIT_SOME_FAILED
        try:
            orphan_ids = {r.correction_id for r in corr.orphans(wh, con)}
        finally:
            con.close()
        recs = [r for r in recs if r.correction_id in orphan_ids]
    _print_records(recs, args.json)
    return EXIT_OK


# ---------------------------------------------------------------- demo

def cmd_demo(args) -> int:
    from etl import demo
    if args.bulletins < 1:
        _err("demo: --bulletins must be at least 1")
        return EXIT_USAGE
    import time
    t0 = time.perf_counter()
    out = demo.generate(args.bulletins, args.out, seed=args.seed, workers=args.workers)
    took = time.perf_counter() - t0
    print(f"demo corpus: {args.bulletins} synthetic bulletins in {out} "
          f"({took:.1f} s, {args.bulletins / max(took, 1e-9):,.0f} bulletins/s)")
    return EXIT_OK


# ---------------------------------------------------------------- parser

def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", metavar="DIR",
                        help="warehouse folder (default: $PINGAN_WAREHOUSE, else data/warehouse/)")

    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="平安指标 ETL: bulletins in, figures with their sentences in a DuckDB warehouse.",
        epilog="exit status: 0 ok, 1 some files refused or the query failed, "
               "2 usage error or refused statement, 3 warehouse busy")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("extract", parents=[common],
                       help="print the figures of FILE... (no warehouse)",
                       description="Print every figure of each FILE, one record per figure.",
                       epilog="Each record says how it was decided. place_source: clause (named in "
                              "the figure's clause or sentence), back_reference (该局/该所), paragraph, "
                              "headline, article_lead, column (a column label such as 丽水:), town (a "
                              "town or street that names one county), outlet (the publisher's name), "
                              "manifest (the manifest's region), none. metric_source: trigger (a "
                              "taxonomy word near the number), paired_list (a list's own item, or the "
                              "count a list of changes follows), field_word (a field word broke a tie), "
                              "unit_only (unit and measure alone), none. See docs/ARCHITECTURE.md.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("jsonl", "table"), default="jsonl",
                   help="jsonl: one JSON object per figure with the record's fields (default); "
                        "table: for reading")
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   help="refuse files larger than N bytes (default: $PINGAN_MAX_BYTES or 20 MB)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", parents=[common],
                       help="load files and folders into a new warehouse snapshot",
                       description="Load bulletin files and folders (recursively: .txt .htm "
                                   ".html .docx .pdf, with manifest.csv) into a new snapshot. "
                                   "Only new or changed files are read.",
                       epilog="exit status: 0 every file loaded, 1 some refused (the rest "
                              "loaded), 2 usage error, 3 another ingest is running")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   help="refuse files larger than N bytes (default: $PINGAN_MAX_BYTES or 20 MB)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="processes that read and extract files (default: one per core; "
                        "1: all in this process). The output is the same for any N")
    p.add_argument("--keep", type=_positive_int, default=None, metavar="N",
                   help="snapshots to keep after the switch, the new one included (default: "
                        "$PINGAN_KEEP_SNAPSHOTS or 3); one a reader has open is never deleted")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: a process pool on this machine (default); dask: the workers "
                        "of a Dask cluster read and extract, this process writes the snapshot")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="the Dask scheduler, e.g. tcp://127.0.0.1:8786 (with --engine dask)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("status", parents=[common], help="what the current snapshot holds",
                       description="Current snapshot, counts, unknown dates, unresolved "
                                   "places, synthetic rows and the last run.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("sql", parents=[common], help="run a read-only query",
                       description="Run one SELECT on the current snapshot, read-only. "
                                   "Anything else is refused (exit 2).")
    p.add_argument("query", metavar="SQL")
    p.add_argument("--json", action="store_true", help="print a JSON array of row objects")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("export", parents=[common],
                       help="write the current snapshot as Parquet (for Spark, Trino, DuckDB)",
                       description="Write figures, bulletins and articles of the current "
                                   "snapshot to DIR as Parquet, partitioned Hive-style by "
                                   "year and city_code, with export.json.")
    p.add_argument("--format", choices=("parquet",), default="parquet")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("correct", parents=[common], help="correct, confirm, reject or undo a figure",
                       description="Record a human correction of FIGURE_ID (kept in "
                                   "<warehouse>/corrections.sqlite, apart from the snapshots; "
                                   "it survives every re-ingest).",
                       epilog="fields: value unit qualifier measure direction metric place "
                              "initiative period date (`none` clears an optional one). "
                              "exit status: 0 recorded, 1 warehouse problem, 2 refused")
    p.add_argument("figure_id", nargs="?", metavar="FIGURE_ID")
    p.add_argument("--set", nargs="+", metavar="FIELD=VALUE", help="correct fields")
    p.add_argument("--confirm", action="store_true", help="the figure is right as extracted")
    p.add_argument("--reject", action="store_true", help="not a performance figure: leaves every view")
    p.add_argument("--undo", metavar="CORRECTION_ID", help="cancel one earlier record")
    p.add_argument("--by", metavar="NAME", help="who makes the change (required)")
    p.add_argument("--reason", metavar="TEXT", help="why (required, except for --undo)")
    p.add_argument("--json", action="store_true", help="print the records as JSON")
    p.set_defaults(func=cmd_correct)

    p = sub.add_parser("corrections", parents=[common], help="list corrections",
                       description="The correction log, oldest first, or one figure's history.")
    p.add_argument("--figure", metavar="ID", help="only this figure's history")
    p.add_argument("--orphans", action="store_true",
                   help="only records whose figure is not in the current snapshot")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_corrections)

    p = sub.add_parser("demo", parents=[common], help="write a synthetic demo corpus",
                       description="Write N synthetic bulletins, manifest.csv and gold.jsonl "
                                   "to DIR (deterministic for a given seed).")
    p.add_argument("--bulletins", type=_positive_int, required=True, metavar="N")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--seed", type=int, default=0, metavar="S")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="processes writing blocks of 2,000 bulletins at once (default: one "
                        "per core); the corpus is the same for any N")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `python -m etl extract … | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
