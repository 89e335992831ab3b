"""`python -m dashboard.briefing --format pptx|xlsx|docx --out FILE [filters]`.

The same Filters as the dashboard's download buttons, so a pack made in a shell for a
scheduled meeting matches what staff see on screen. Places may be given as codes or as
names (丽水, 丽水市, 缙云, 缙云县); a name the warehouse does not know is refused rather
than silently matching nothing. Exit status: 0 written, 1 the pack could not be built,
2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from dashboard.filters import Filters


def _err(msg: str) -> None:
    print(f"python -m dashboard.briefing: {msg}", file=sys.stderr)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _many(values: list[str] | None) -> list[str]:
    out = []
    for v in values or []:
        out.extend(x.strip() for x in v.replace("，", ",").replace("、", ",").split(",") if x.strip())
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard.briefing",
        description="平安指标简报: write a PowerPoint, Excel or Word briefing pack from the warehouse.")
    p.add_argument("--format", required=True, choices=("pptx", "xlsx", "docx"))
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--city", action="append", metavar="CITY", help="city code or name (repeat or comma-separate)")
    p.add_argument("--county", action="append", metavar="COUNTY", help="county code or name")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--category", action="append", metavar="CAT", help="taxonomy category (disputes, drones…)")
    p.add_argument("--metric", action="append", metavar="CODE", help="taxonomy metric code")
    p.add_argument("--no-demo", action="store_true", help="leave out synthetic (demo) figures")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--warehouse", metavar="DIR",
                   help="warehouse directory (default: PINGAN_WAREHOUSE or data/warehouse/)")
    return p


def _resolve(con, names: list[str], levels: tuple[str, ...], flag: str) -> tuple[str, ...]:
    """Codes for names; a name the gazetteer lacks is an error naming it."""
    from dashboard.briefing.collect import BriefingError
    codes = []
    marks = ", ".join("?" * len(levels))
    for name in names:
        row = con.execute(
            f"SELECT code FROM counties WHERE level IN ({marks}) AND (code = ? OR name = ? OR short = ?) "
            "ORDER BY (code = ?) DESC, (name = ?) DESC LIMIT 1",
            [*levels, name, name, name, name, name]).fetchone()
        if row is None:
            raise BriefingError(f"{flag} {name}: not a {'/'.join(levels)} in the warehouse gazetteer")
        codes.append(row[0])
    return tuple(codes)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from etl import config
    from dashboard.briefing import BUILDERS, BriefingError
    from dashboard.briefing.collect import open_warehouse

    wh = config.warehouse_dir(args.warehouse)
    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"{out}: folder {out.parent} does not exist")
        return 1
    if out.suffix.lower() != f".{args.format}":
        _err(f"{out}: file name should end in .{args.format} for --format {args.format}")
        return 2
    try:
        con = open_warehouse(wh)
        try:
            cities = _resolve(con, _many(args.city), ("city",), "--city")
            counties = _resolve(con, _many(args.county), ("county", "alias"), "--county")
            known = {r[0] for r in con.execute("SELECT DISTINCT category FROM metrics").fetchall()}
            known_metrics = {r[0] for r in con.execute(
                "SELECT code FROM metrics UNION SELECT DISTINCT metric FROM figures_effective").fetchall()}
        finally:
            con.close()
        categories = tuple(_many(args.category))
        for c in categories:
            if c not in known:
                raise BriefingError(f"--category {c}: unknown category (one of {', '.join(sorted(known))})")
        metrics = tuple(_many(args.metric))
        for m in metrics:
            if m not in known_metrics:
                raise BriefingError(f"--metric {m}: not a metric code in data/reference/metrics.csv "
                                    "nor in the warehouse")
        if args.since and args.until and args.since > args.until:
            raise BriefingError(f"--since {args.since} is after --until {args.until}")
        filters = Filters(since=args.since, until=args.until, cities=cities, counties=counties,
                          categories=categories, metrics=metrics, include_demo=not args.no_demo,
                          lang=args.lang)
        started = time.perf_counter()
        data = BUILDERS[args.format](filters, wh)
    except BriefingError as exc:
        _err(str(exc))
        return 1
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)   # never leave a half-written pack under the real name
    except OSError as exc:
        _err(f"{out}: cannot write ({exc.strerror or exc})")
        tmp.unlink(missing_ok=True)
        return 1
    print(f"{out}: {args.format} briefing, {len(data) // 1024} KB in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
