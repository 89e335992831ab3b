"""Extraction CPU time of two checkouts side by side, alternating, in one run.

Why: on a shared machine wall times drift by minutes, and two benchmark runs made hours
apart compare the load, not the code. This runs each checkout's own extractor in its own
process (their modules cannot share one), over the same files, several rounds in
alternation, and reports the best CPU time (``time.process_time``) of each.

    git worktree add /tmp/oldwt 3315287
    .venv/bin/python bench/bench_versions.py /tmp/oldwt . [--rounds 3] [--repeat 3]
    .venv/bin/python bench/bench_versions.py /tmp/oldwt . --instructions

Inputs: bench's 300-bulletin demo corpus (written by this checkout's etl.demo, so both
read identical files) and the sample page. Not a timed test.

``--instructions`` counts instructions instead of timing (valgrind's callgrind, ``Ir``):
the count does not depend on what else the machine is doing, so one run on a busy
machine settles what alternating CPU times can only estimate. Each checkout's child reads
the files and makes one pass (caches warm, as the best CPU time has them), then makes
the measured passes inside ``eval``: callgrind collects only while ``builtin_eval`` runs
(``--toggle-collect``), so imports, reading and the warm-up pass are left out. A child
runs some 50 times slower under valgrind; the comparison takes a few minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402

#: what both children do first: import the checkout's extractor (argv: root, folder, N)
#: and read the files once
_READ = r"""
import json, sys, time
root, folder, n_arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
from pathlib import Path
from etl import extract
from etl.dates import resolve_meta
from etl.readers import read_document
p = Path(folder)
files = [p] if p.is_file() else sorted(
    f for f in p.rglob("*") if f.suffix in (".txt", ".html", ".htm", ".docx", ".pdf"))
docs = [read_document(f) for f in files]
metas = [resolve_meta(d.path, d.text, None) for d in docs]
"""

_CHILD = _READ + r"""
repeat = n_arg
extract.extract_document(docs[0], metas[0])
runs, n = [], 0
for _ in range(repeat):
    t = time.process_time()
    n = sum(len(extract.extract_document(d, m).figures) for d, m in zip(docs, metas))
    runs.append(time.process_time() - t)
print(json.dumps({"best": min(runs), "runs": runs, "figures": n}))
"""

# the same reading as _CHILD, a warm-up pass, then PASSES passes inside eval(), the only
# part callgrind counts (a compiled code object: eval compiles nothing while counted)
_ICHILD = _READ + r"""
passes = n_arg
def measured():
    for _ in range(passes):
        for d, m in zip(docs, metas):
            extract.extract_document(d, m)
for d, m in zip(docs, metas):
    extract.extract_document(d, m)
eval(compile("measured()", "<measured>", "eval"))
"""


def instructions(checkout: Path, target: Path, passes: int) -> int:
    """Instructions (callgrind's Ir) of PASSES passes made by one child. The hash seed is
    fixed so that set and dict orders, and with them the count, repeat exactly."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          "--collect-atstart=no", "--toggle-collect=builtin_eval",
                          sys.executable, "-c", _ICHILD, str(checkout), str(target), str(passes)],
                         capture_output=True, text=True, check=True, env=env)
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if not found:
        raise RuntimeError("no instruction count in valgrind's output:\n" + out.stderr[-2000:])
    return int(found.group(1))


def compare_instructions(args, targets: dict) -> None:
    for label, target in targets.items():
        passes = 1 if target.is_dir() else 10
        per = {side: instructions(getattr(args, side), target, passes) / passes
               for side in ("old", "new")}
        unit, k = ("M", 1e6)
        print(f"{label}: instructions per pass: old {per['old'] / k:,.1f} {unit}, "
              f"new {per['new'] / k:,.1f} {unit}, ratio {per['new'] / per['old']:.3f}x")


def run(checkout: Path, target: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(checkout), str(target), str(repeat)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="checkout to compare against (a git worktree)")
    ap.add_argument("new", type=Path, help="checkout under test (usually .)")
    ap.add_argument("--rounds", type=int, default=3, help="alternations old/new")
    ap.add_argument("--repeat", type=int, default=3, help="passes per process (best counts)")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under valgrind instead of timing (load-independent)")
    args = ap.parse_args(argv)

    from bench_extract import corpus
    targets = {"demo corpus (300 bulletins)": corpus(300, 0),
               "sample page": ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"}
    print(machine())
    if args.instructions:
        compare_instructions(args, targets)
        print(machine())
        return 0
    for label, target in targets.items():
        repeat = args.repeat if target.is_dir() else args.repeat * 10
        best = {"old": float("inf"), "new": float("inf")}
        figures = {}
        for _ in range(args.rounds):
            for side in ("old", "new"):
                r = run(getattr(args, side), target, repeat)
                best[side] = min(best[side], r["best"])
                figures[side] = r["figures"]
        unit, k = ("s", 1.0) if target.is_dir() else ("ms", 1000.0)
        print(f"{label}: old {best['old'] * k:.3f} {unit}, new {best['new'] * k:.3f} {unit}, "
              f"ratio {best['new'] / best['old']:.2f}x (figures {figures['old']} / {figures['new']})")
    print(machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
