"""`bench/run.py` end to end at a tiny size, so that a step that breaks fails here.

Why: nothing ran the benchmark command between full runs, and its query step crashed for
weeks unseen after a signature change in dashboard.store. This runs the real command (demo,
extraction, five ingests, the dashboard warehouse, every query, AppTest reruns, Chromium
sessions, briefing packs) on 24 bulletins and 3,000 figures, and checks that every step
measured something and no query failed. Timing values are not checked: they are the
benchmark's business, not a test's.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from support import ROOT

pytestmark = pytest.mark.browser   # one step drives Chromium


def test_bench_run_every_step_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--bulletins", "24", "--speedup-bulletins", "24",
         "--new-bulletins", "4", "--figures", "3000", "--sessions", "1", "--no-write", "--json",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    full = json.loads((tmp_path / "run-last.json").read_text(encoding="utf-8"))
    assert not out.exists()                      # the work folder is removed

    # the keys, each measured (sizes the run was not asked for are null)
    for key in ("extract_mb_s_per_core", "regex_ceiling_mb_s", "ingest_speedup_2_workers",
                "reingest_unchanged_s", "peak_rss_mb", "concurrent_sessions_p95_s"):
        assert isinstance(summary[key], (int, float)) and summary[key] > 0, key
    assert summary["ingest_s_100k"] is None and summary["query_p95_ms_1m"] is None
    assert summary["query_p95_ms_3000"] > 0 and summary["rerun_s_3000"] > 0
    assert summary["concurrent_sessions_ok"] == 1 and summary["concurrent_opens_ok"] == 1
    assert summary["briefing_pptx_s"] > 0 and summary["briefing_docx_s"] > 0

    # every ingest loaded what it was given; no dashboard query failed
    assert full["ingest_main"]["figures_added"] > 0 and full["add_new"]["figures_added"] > 0
    assert not full["reingest"]["new_snapshot"]
    queries = full["dashboard"]["3000"]["queries"]
    assert queries["n_query_runs"] > 100
    assert not [k for k in queries["per_function_max_ms"] if "failed" in k]
    assert set(full["dashboard"]["3000"]["reruns"]["pages"]) >= {"pages/overview.py", "pages/figures.py"}
