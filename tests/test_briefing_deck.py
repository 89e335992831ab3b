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


def test_every_county_is_named_and_every_table_ends_above_the_footer(demo_wh):
    """Every bar chart tells the viewer to print every county's name (tickLblSkip 1: without
    it LibreOffice printed every second name of a 22-bar chart) and holds at most 18 bars
    (more go side by side); every table's rows, wrapped as a viewer wraps them, end above the
    note and the footer under it."""
    from pptx import Presentation
    from pptx.util import Inches
    from dashboard.briefing import build_pptx
    from dashboard.briefing.pptx_pack import HEIGHT
    from dashboard.filters import Filters
    for lang in ("zh", "en"):
        prs = Presentation(io.BytesIO(build_pptx(Filters(lang=lang), demo_wh)))
        charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
        assert charts
        for ch in charts:
            skip = ch._chartSpace.xpath(".//c:catAx/c:tickLblSkip/@val")
            assert skip == ["1"], skip
            assert len(list(ch.plots[0].categories)) <= 18
        for s in prs.slides:
            for sh in s.shapes:
                if sh.has_table:
                    bottom = sh.top + _rows_height(sh.table)
                    below = [o.top for o in s.shapes if o is not sh and o.top > sh.top]   # notes, footer
                    assert bottom <= min(below + [HEIGHT - Inches(0.45)]), \
                        (lang, s.shapes[0].text_frame.text, bottom / 914400, [b / 914400 for b in below])


def _rows_height(table) -> int:
    """The table's height as a viewer draws it: a row grows to its wrapped text (CJK 1 em,
    Latin 0.55 em, lines 1.2 em, plus the cell's margins), never shrinks below its own height."""
    import math
    total = 0
    for row in table.rows:
        need = row.height
        for cell, col in zip(row.cells, table.columns):
            size = max([r.font.size.pt for p in cell.text_frame.paragraphs for r in p.runs if r.font.size] or [18])
            width_pt = (col.width - cell.margin_left - cell.margin_right) / 12700
            ems = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in cell.text)
            lines = max(1, math.ceil(ems * size / max(width_pt, 1)))
            need = max(need, int((lines * 1.2 * size) * 12700) + cell.margin_top + cell.margin_bottom)
        total += need
    return total
