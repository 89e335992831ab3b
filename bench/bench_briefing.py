"""Briefing-pack build times: a 10-county PowerPoint (target ≤ 3 s) and a Word 简报 (≤ 10 s).

Not a timed test: run it by hand and copy the result into docs/BENCHMARKS.md.

    .venv/bin/python bench/bench_briefing.py [--bulletins 300] [--repeat 3]

The warehouse is built by real ingest of the synthetic demo corpus (etl.demo) into
bench/out/ (gitignored). Times are wall clock for the whole public call
(`build_pptx(filters, warehouse)` etc.: open the snapshot, query, lay out, serialise).
The first Word build in a process includes starting kaleido's Chromium; later ones reuse
it, as a dashboard process does.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402


def warehouse(n: int, seed: int) -> Path:
    out = ROOT / "bench" / "out"
    corpus, wh = out / f"demo_{n}_s{seed}", out / f"briefing_wh_{n}_s{seed}"
    if not (wh / "CURRENT").is_file():
        if not (corpus / "manifest.csv").is_file():
            from etl import demo
            demo.generate(n, corpus, seed=seed)
        subprocess.run([sys.executable, "-m", "etl", "ingest", str(corpus), "--warehouse", str(wh),
                        "--no-progress"], cwd=ROOT, check=True, capture_output=True)
    return wh


def ten_counties(wh: Path) -> tuple[str, ...]:
    from etl.warehouse import connect_read_only
    con = connect_read_only(wh)
    try:
        rows = con.execute("SELECT county_code FROM figures WHERE county_code IS NOT NULL "
                           "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 10").fetchall()
    finally:
        con.close()
    return tuple(r[0] for r in rows)


def timed(fn, repeat: int) -> tuple[float, float, int]:
    """(first, best of the rest, bytes)."""
    times, size = [], 0
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - t)
    return times[0], min(times[1:] or times), size


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bulletins", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from dashboard.briefing import build_docx, build_pptx, build_xlsx, collect
    from dashboard.filters import Filters

    wh = warehouse(args.bulletins, args.seed)
    counties = ten_counties(wh)
    f10 = Filters(counties=counties)
    pack = collect(f10, wh)
    print(f"# {dt.date.today()} · {machine()} · Python {platform.python_version()}")
    print(f"warehouse: {args.bulletins} demo bulletins, {len(collect(Filters(), wh).figures)} figures; "
          f"10-county pack: {len(pack.figures)} figures, {len(pack.key_metrics)} key metrics, "
          f"{len(pack.cited)} cited")
    rows = [("PowerPoint, 10 counties", lambda: build_pptx(f10, wh)),
            ("PowerPoint, all places", lambda: build_pptx(Filters(), wh)),
            ("Excel, 10 counties", lambda: build_xlsx(f10, wh)),
            ("Word 简报, 10 counties", lambda: build_docx(f10, wh))]
    print("| pack | first call (s) | best of rest (s) | size (KB) |")
    print("|---|---|---|---|")
    for name, fn in rows:
        first, best, size = timed(fn, args.repeat)
        print(f"| {name} | {first:.2f} | {best:.2f} | {size // 1024} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
