"""The review queue's flags on bulletins written for the test: a report ten times its
previous one, two sources of one fact that disagree, and the order (weakest first)."""
from __future__ import annotations

import pytest

from dashboard import review, store
from dashboard.filters import Filters
from support import run_cli

BULLETINS = {
    "2024-01-05_缙云公安简报.txt": "缙云公安\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷120起。\n",
    "2024-03-05_缙云公安简报.txt": "缙云公安\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷5000起。\n",
    "2024-06-01_龙泉公安简报.txt": "龙泉公安\n\n本报讯 今年以来，龙泉市公安局破获刑事案件30起。\n",
    "2024-06-01_龙泉公安快讯.txt": "龙泉公安\n\n本报讯 今年以来，龙泉市公安局破获刑事案件45起。\n",
}


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    src = tmp_path_factory.mktemp("queue_src")
    for name, text in BULLETINS.items():
        (src / name).write_text(text, encoding="utf-8")
    wh = tmp_path_factory.mktemp("queue_wh")
    proc = run_cli("ingest", src, "--warehouse", wh, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    return store.current(wh)


def flagged(q, raw):
    rows = q[q["raw"] == raw]
    assert len(rows) == 1, (raw, q[["raw"]].to_dict("records"))
    return review.flags_of(rows.iloc[0].to_dict()), int(rows.iloc[0]["score"])


def test_outlier_and_disagreeing_sources_are_queued_weakest_first(snap):
    q = review.queue(snap, Filters())
    assert "outlier" in flagged(q, "5000起")[0]
    assert "120起" not in set(q["raw"])  # the first report has nothing to compare with
    assert "disagree" in flagged(q, "30起")[0] and "disagree" in flagged(q, "45起")[0]
    assert list(q["score"]) == sorted(q["score"], reverse=True)
    prog = review.progress(snap, Filters())
    assert prog == {"reviewed": 0, "queue": len(q), "rejected": 0}


def test_filters_apply_to_the_queue(snap):
    q = review.queue(snap, Filters(counties=("331181",)))  # 龙泉市
    assert set(q["raw"]) == {"30起", "45起"}
