"""The default deck of the bundled demo data: a briefing, not a dump (at most 20 slides)."""
from __future__ import annotations

import io
import re

import pytest

from support import ingest, run_etl


@pytest.fixture(scope="module")
def demo_wh(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundled_demo")
    proc = run_etl("demo", "--bulletins", "400", "--out", str(root / "demo"), "--seed", "7")
    assert proc.returncode == 0, proc.stderr[-2000:]
    wh = root / "wh"
    ingest([root / "demo"], wh)
    return wh


def test_default_deck_of_the_bundled_demo_is_short_and_names_every_county(demo_wh):
    from pptx import Presentation
    from dashboard.briefing import build_pptx, collect
    from dashboard.filters import Filters
    prs = Presentation(io.BytesIO(build_pptx(Filters(), demo_wh)))
    assert len(prs.slides) <= 20, len(prs.slides)
    pack = collect(Filters(), demo_wh)
    assert 1 <= len(pack.key_metrics) <= 8
    texts = ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    # the summary is a table: one row per key metric, each with a number, no file names
    summary = next(s for s, t in zip(prs.slides, texts) if t.startswith("关键指标概览"))
    table = next(sh.table for sh in summary.shapes if sh.has_table)
    rows = [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    assert [r[0] for r in rows] == [k.name for k in pack.key_metrics]
    assert all(re.search(r"\d", r[3]) for r in rows) and not any(".txt" in c for r in rows for c in r)
    for k in pack.key_metrics:
        slide = next(s for s, t in zip(prs.slides, texts) if t.startswith(k.name))
        text = next(t for s, t in zip(prs.slides, texts) if s is slide)
        # every metric slide says its unit, what its colours mean and which end is good
        assert "单位：" in text and "上为较好" in text and ("向好" in text or "较好（前三分之一）" in text), text[:200]
        cats = [c for sh in slide.shapes if sh.has_chart for c in sh.chart.plots[0].categories]
        assert cats == list(k.rows["place_name"])           # every county named, best first
        notes = slide.notes_slide.notes_text_frame.text
        assert all(str(s)[:20] in notes for s in k.rows["sentence"])   # sources in the notes
    appendix = [t for t in texts if t.startswith("附录")]
    assert appendix and all(len(re.findall(r"\d{4}-\d{2}-\d{2}", t)) >= 20 for t in appendix[:-1])
    # the deck's key metrics lead with incidents, crime, fraud or disputes, never equipment
    assert pack.key_metrics[0].metric.split("_")[0] in ("fraud", "incidents", "criminal", "disputes", "traffic")
    assert not any(k.metric in ("drones", "drone_pilots", "drone_routes", "equipment") for k in pack.key_metrics)
