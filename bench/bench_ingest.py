"""Full ingest of 500, 1000, 2000 (…) demo bulletins into a fresh warehouse; then a re-run.

Not a timed test: run it by hand and copy the result into docs/BENCHMARKS.md.

    .venv/bin/python bench/bench_ingest.py [--sizes 500 1000 2000] [--seed 0]

Time per bulletin should stay flat as the corpus grows (ingest linear in corpus size),
and re-ingesting the unchanged largest corpus should cost only a stat per file and no
new snapshot. Corpora and warehouses go to bench/out/ (gitignored).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_extract import corpus, machine  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from etl import extract
    from etl.ingest import ingest

    print(f"machine: {machine()}")
    print(f"extractor {getattr(extract, 'EXTRACTOR_VERSION', '?')}")
    # wall time and this process's CPU time: on a shared machine the CPU time is the
    # steadier measure of the work itself
    print(f"{'bulletins':>9} {'figures':>9} {'wall s':>8} {'cpu s':>8} {'wall ms/b':>10} "
          f"{'cpu ms/b':>9} {'snapshot MB':>12}")
    last = None
    for n in args.sizes:
        folder = corpus(n, args.seed)
        wh = ROOT / "bench" / "out" / f"wh_{n}"
        shutil.rmtree(wh, ignore_errors=True)
        t0, c0 = time.perf_counter(), time.process_time()
        report = ingest([folder], wh, progress=False)
        dt_s, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert report.counts["read"] == n, report.counts
        size = report.snapshot.stat().st_size / 1e6
        print(f"{n:>9} {report.figures_added:>9} {dt_s:>8.2f} {cpu:>8.2f} {dt_s / n * 1000:>10.2f} "
              f"{cpu / n * 1000:>9.2f} {size:>12.1f}")
        last = (n, folder, wh)

    n, folder, wh = last
    t0 = time.perf_counter()
    report = ingest([folder], wh, progress=False)
    dt_s = time.perf_counter() - t0
    assert not report.new_snapshot and report.counts["unchanged"] == n, report.counts
    print(f"re-ingest of the unchanged {n}: {dt_s:.2f} s ({dt_s / n * 1000:.2f} ms/bulletin), "
          f"no new snapshot")

    # incremental: a few new bulletins on top of the largest warehouse, so the cost of
    # carrying every stored row into the new snapshot shows
    extra = corpus(100, args.seed + 1)
    t0 = time.perf_counter()
    report = ingest([folder, extra], wh, progress=False)
    dt_s = time.perf_counter() - t0
    print(f"incremental: 100 new bulletins on top of {n} ({report.counts}): {dt_s:.2f} s, "
          f"new snapshot {report.snapshot.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
