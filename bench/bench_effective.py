"""What reading through `figures_effective` costs at 1,000,000 figures, against `figures`.

    python bench/bench_effective.py [--figures 1000000] [--corrections 1000] [--keep DIR]

Why: every page reads `figures_effective` (the extracted figures with the corrections of
the moment applied, issue 9). It is a LEFT JOIN onto the overrides a reader's connection
installs from the corrections store; this measures what that join adds to the queries a
page makes, with no corrections and with N corrections made through the real store
(etl.corrections.correct / verdict: values set, places set, figures rejected).

The warehouse is bench_dashboard.py's: real ingested rows replicated with SQL. Timings are
best of --repeats on one read-only connection, reported as ratios to the same query on
`figures` (the machine is shared; ratios hold where absolute times drift).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dashboard import build_source, replicate  # noqa: E402
from machine import machine  # noqa: E402

from etl import corrections  # noqa: E402
from etl import warehouse as wh_mod  # noqa: E402

QUERIES = {
    "count": "SELECT count(*) FROM {t}",
    "by county and metric": "SELECT county_code, metric, count(*), max(value) FROM {t} GROUP BY ALL",
    "one county's trend": ("SELECT published_on, metric, value FROM {t} WHERE county_code = ? "
                           "ORDER BY published_on"),
    "latest per place and metric": ("SELECT county_code, metric, arg_max(value, published_on) "
                                    "FROM {t} WHERE published_on IS NOT NULL GROUP BY ALL"),
}


def _time(con, sql: str, params, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        con.execute(sql, params).fetchall()
        best = min(best, time.perf_counter() - t)
    return best


def _measure(wh: Path, repeats: int) -> dict[str, tuple[float, float]]:
    con = wh_mod.connect_read_only(wh)
    corrections.install(con, wh)
    county = con.execute("SELECT county_code FROM figures WHERE county_code IS NOT NULL "
                         "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    out = {}
    for name, q in QUERIES.items():
        params = [county] if "?" in q else []
        raw = _time(con, q.format(t="figures"), params, repeats)
        eff = _time(con, q.format(t="figures_effective"), params, repeats)
        out[name] = (raw, eff)
    con.close()
    return out


def _correct(wh: Path, n: int) -> None:
    con = wh_mod.connect_read_only(wh)
    ids = [r[0] for r in con.execute(
        "SELECT figure_id FROM figures WHERE county_code IS NOT NULL ORDER BY hash(figure_id) LIMIT ?",
        [n]).fetchall()]
    for i, fid in enumerate(ids):
        if i % 10 == 0:
            corrections.verdict(wh, con, [fid], "reject", "bench", "not a performance figure")
        elif i % 3 == 0:
            corrections.correct(wh, con, fid, {"place": "缙云"}, "bench", "place read wrongly")
        else:
            corrections.correct(wh, con, fid, {"value": str(100 + i)}, "bench", "value read wrongly")
    con.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--figures", type=int, default=1_000_000)
    ap.add_argument("--corrections", type=int, default=1000)
    ap.add_argument("--demo-bulletins", type=int, default=60)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--keep", help="build the big warehouse here and keep it (reused if present)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pingan_eff_"))
    try:
        big = Path(args.keep) if args.keep else work / "big_wh"
        if not (big.exists() and wh_mod.current_snapshot(big)):
            replicate(build_source(work, args.demo_bulletins), big, args.figures)
        store = corrections.store_path(big)
        for p in store.parent.glob(store.name + "*"):
            p.unlink()  # start from no corrections, whatever a kept warehouse had
        print(machine())
        before = _measure(big, args.repeats)
        t = time.perf_counter()
        _correct(big, args.corrections)
        made = time.perf_counter() - t
        after = _measure(big, args.repeats)
        print(f"{args.figures:,} figures; {args.corrections:,} corrections made through the store "
              f"in {made:.1f} s")
        print("| query | figures | effective, no corrections | ratio | "
              f"effective, {args.corrections:,} corrections | ratio |")
        print("|---|---|---|---|---|---|")
        for name in QUERIES:
            raw0, eff0 = before[name]
            raw1, eff1 = after[name]
            raw = min(raw0, raw1)
            print(f"| {name} | {raw * 1000:.1f} ms | {eff0 * 1000:.1f} ms | {eff0 / raw:.2f}× | "
                  f"{eff1 * 1000:.1f} ms | {eff1 / raw:.2f}× |")
        print(machine())
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
