"""Extraction throughput on one core, next to a single regex pass over the same text.

Not a timed test: run it by hand and copy the result into docs/BENCHMARKS.md.

    .venv/bin/python bench/bench_extract.py [--bulletins 500] [--repeat 3]

The corpus is the synthetic demo corpus (etl.demo), written to bench/out/ (gitignored).
Reading files is not timed: the figure is MB of decoded text per second through
etl.extract.extract_document. The regex pass (`re.finditer(r"\\d+", text)`, every match
consumed) is the practical ceiling of anything that has to look at every character
in Python.
"""
from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402


def corpus(n: int, seed: int) -> Path:
    from etl import demo
    out = ROOT / "bench" / "out" / f"demo_{n}_s{seed}"
    if not (out / "manifest.csv").is_file():
        demo.generate(n, out, seed=seed)
    return out


def locate_only(text: str) -> int:
    """The passes every extraction makes before any judgement: what they cost bounds how
    fast the extractor could ever be while it reads pages this way."""
    from bisect import bisect_left

    from etl import figures, places, segment
    from etl.numbers import fold

    cands = figures.candidate_starts(fold(text))
    n = 0
    for art in segment.segment(text):
        k = bisect_left(cands, art.start)
        if k == len(cands) or cands[k] >= art.end:
            continue
        places.scan(text, None, art.start, art.end)
        for para in art.paragraphs:
            k = bisect_left(cands, para.start)
            if k == len(cands) or cands[k] >= para.end:
                continue
            for sent in para.sentences:
                n += len(figures.find_figures(sent.text, 0, len(sent.text)))
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bulletins", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best of N passes")
    args = ap.parse_args(argv)

    from etl import extract
    from etl.dates import resolve_meta
    from etl.readers import read_document

    folder = corpus(args.bulletins, args.seed)
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".htm", ".docx", ".pdf"))
    docs = [read_document(p) for p in files]
    metas = [resolve_meta(d.path, d.text, None) for d in docs]
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    chars = sum(len(d.text) for d in docs)

    extract.extract_document(docs[0], metas[0])  # warm caches (reference tables, regexes)
    best_extract, n_fig = float("inf"), 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n_fig = 0
        for d, m in zip(docs, metas):
            n_fig += len(extract.extract_document(d, m).figures)
        best_extract = min(best_extract, time.perf_counter() - t0)

    digits = re.compile(r"\d+")
    best_regex = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n = 0
        for d in docs:
            for _m in digits.finditer(d.text):
                n += 1
        best_regex = min(best_regex, time.perf_counter() - t0)

    ex_rate, rx_rate = mb / best_extract, mb / best_regex

    # the floor of this design: only locating figures (segmentation, the number+unit
    # sweep, the place sweep and figure finding in the articles that hold one), with no
    # attribution of place, metric, period or initiative at all
    best_locate = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for d in docs:
            locate_only(d.text)
        best_locate = min(best_locate, time.perf_counter() - t0)

    # the sample page: a real newspaper page, less dense in figures than the demo corpus
    sample = read_document(ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt")
    smb = len(sample.text.encode("utf-8")) / 1e6
    reps = 50
    best_sample = best_sample_rx = best_sample_loc = float("inf")
    for _ in range(args.repeat + 2):
        t0 = time.perf_counter()
        for _i in range(reps):
            extract.extract_text(sample.text, sample.path, sample.bulletin_id)
        best_sample = min(best_sample, (time.perf_counter() - t0) / reps)
        t0 = time.perf_counter()
        for _i in range(reps):
            for _m in digits.finditer(sample.text):
                pass
        best_sample_rx = min(best_sample_rx, (time.perf_counter() - t0) / reps)
        t0 = time.perf_counter()
        for _i in range(reps):
            locate_only(sample.text)
        best_sample_loc = min(best_sample_loc, (time.perf_counter() - t0) / reps)

    print(f"machine: {machine()}")
    print(f"python {platform.python_version()}, extractor {getattr(extract, 'EXTRACTOR_VERSION', '?')}")
    print(f"corpus: {len(docs)} bulletins, {chars:,} chars, {mb:.2f} MB UTF-8 text, {n_fig:,} figures")
    print(f"extract:     {best_extract:8.3f} s  {ex_rate:8.2f} MB/s  ({best_extract / len(docs) * 1000:.2f} ms/bulletin)")
    print(f"regex \\d+:   {best_regex:8.3f} s  {rx_rate:8.2f} MB/s")
    print(f"ratio: extraction runs at {ex_rate / rx_rate:.1%} of the single-regex ceiling "
          f"({rx_rate / ex_rate:.1f}x slower)")
    print(f"locate only: {best_locate:8.3f} s  {mb / best_locate:8.2f} MB/s  "
          f"(segment, candidates, places, figures; no attribution)")
    print(f"sample page: {best_sample * 1000:.2f} ms = {smb / best_sample:.2f} MB/s "
          f"(regex {smb / best_sample_rx:.0f} MB/s, {best_sample / best_sample_rx:.0f}x slower; "
          f"locate only {smb / best_sample_loc:.2f} MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
