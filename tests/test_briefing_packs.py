"""Briefing packs built from a real warehouse (real ingest), opened with the real readers.

The corpus is written here in the bulletin genre (our own sentences): ten Lishui counties
report in February, five report again in June with new values, one file is marked
synthetic in the manifest; they are ingested into a copy of the shared session warehouse
(sample page, demo corpus, a hostile bulletin; see conftest.py). The expected figures are read back from the warehouse with SQL written in this file, so the
packs are checked against the data, not against themselves.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"
FONT = "Noto Sans CJK SC"
FEB_JINYUN = 1200 + 37 * 2      # 缙云县's disputes in the February bulletin
JUN_JINYUN = 1200 + 37 * 42     # and in June's, which replaces it

#: (full name, how the bulletin names the bureau) for the ten county-level places
COUNTIES = [("莲都区", "莲都区公安分局"), ("青田县", "青田县公安局"), ("缙云县", "缙云县公安局"),
            ("遂昌县", "遂昌县公安局"), ("松阳县", "松阳县公安局"), ("云和县", "云和县公安局"),
            ("庆元县", "庆元县公安局"), ("景宁畲族自治县", "景宁畲族自治县公安局"),
            ("龙泉市", "龙泉市公安局"), ("温岭市", "温岭市公安局")]


def _article(bureau: str, n: int, headline: str) -> str:
    return (f"{headline}\n"
            "通讯员 林晓 周明\n"
            f"本报讯 今年以来，{bureau}坚持和发展新时代“枫桥经验”，牵头化解矛盾纠纷{1200 + 37 * n}余起，"
            f"刑事警情同比下降{10 + n}.5%。\n"
            f"该局组建平安巡防队{3 + n}支，开展反诈宣传进社区活动{40 + 3 * n}场，"
            f"抓获电信网络诈骗嫌疑人{5 + n}名。\n")


def _page(articles: list[str]) -> str:
    return "丽水:\n" + "\n".join(articles)


def write_corpus(folder: Path) -> Path:
    """Bulletins + manifest in `folder`; February (all ten), June (five, new values), demo."""
    folder.mkdir(parents=True, exist_ok=True)
    feb = [_article(b, i, f"{name[:2]}：多元解纷护平安") for i, (name, b) in enumerate(COUNTIES)]
    jun = [_article(b, i + 40, f"{name[:2]}：平安底色更亮") for i, (name, b) in enumerate(COUNTIES[:5])]
    demo = [_article(COUNTIES[9][1], 90, "温岭：演示稿件")]
    (folder / "feb.txt").write_text(_page(feb), encoding="utf-8")
    (folder / "jun.txt").write_text(_page(jun), encoding="utf-8")
    (folder / "demo.txt").write_text(_page(demo), encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,published_on,publisher,region,url,synthetic\n"
        "feb.txt,2024-02-01,丽水日报,丽水,,\n"
        "jun.txt,2024-06-01,丽水日报,丽水,,\n"
        "demo.txt,2024-07-01,演示,丽水,,true\n", encoding="utf-8")
    return folder


def build_warehouse(base: Path, shared: Path) -> Path:
    """The shared session warehouse (sample page, demo corpus, hostile text) copied, plus this
    corpus ingested into the copy by the real `python -m etl ingest`. Built once per session."""
    wh = base / "briefing_wh"
    ready = wh / ".briefing_ready"
    if ready.is_file():
        return wh
    shutil.rmtree(wh, ignore_errors=True)
    shutil.copytree(shared, wh, ignore=shutil.ignore_patterns("ingest.lock"))
    corpus = write_corpus(base / "briefing_corpus")
    env = {k: v for k, v in os.environ.items() if k not in ("PINGAN_WAREHOUSE", "PINGAN_MAX_BYTES")}
    run = subprocess.run([sys.executable, "-m", "etl", "ingest", str(corpus), "--warehouse", str(wh),
                          "--no-progress"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"ingest failed: {run.stdout}\n{run.stderr}"
    ready.write_text("ok", encoding="utf-8")
    return wh


@pytest.fixture(scope="session")
def wh(tmp_path_factory, warehouse_dir) -> Path:
    return build_warehouse(tmp_path_factory.getbasetemp(), warehouse_dir)


def q(wh: Path, sql: str, params=()) -> list[tuple]:
    """Independent read of the snapshot the packs were built from."""
    name = (wh / "CURRENT").read_text(encoding="utf-8").strip()
    con = duckdb.connect(str(wh / "snapshots" / name), read_only=True,
                         config={"enable_external_access": False})
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def expected_latest(wh: Path, metric: str, until=None, demo=True) -> dict[str, tuple]:
    """county-level place name -> (value, qualifier, sentence) of its latest level report."""
    conds, params = ["f.metric = ?", "f.measure <> 'change'",
                     "(f.county_code IS NOT NULL OR f.county IS NOT NULL)"], [metric]
    if until:
        conds.append("f.published_on <= ?")
        params.append(until)
    if not demo:
        conds.append("NOT f.synthetic")
    rows = q(wh, f"""
        SELECT coalesce(f.county_code, f.county), coalesce(c.name, f.county), f.value, f.qualifier, f.sentence
        FROM figures f LEFT JOIN counties c ON c.code = f.county_code
        WHERE {' AND '.join(conds)}
        ORDER BY f.published_on DESC NULLS LAST, f.synthetic, f.bulletin_id DESC, f.start DESC""", params)
    seen, out = set(), {}
    for key, name, value, qual, sentence in rows:
        if key not in seen:
            seen.add(key)
            out[name] = (value, qual, sentence)
    return out


def expected_periods(wh: Path, metric: str) -> dict[str, tuple]:
    """county-level place name -> (period kind, year and month its latest report runs to)."""
    rows = q(wh, """
        SELECT coalesce(c.name, f.county), f.period_kind, year(f.period_end), month(f.period_end)
        FROM figures f LEFT JOIN counties c ON c.code = f.county_code
        WHERE f.metric = ? AND f.measure <> 'change' AND (f.county_code IS NOT NULL OR f.county IS NOT NULL)
        ORDER BY f.published_on DESC NULLS LAST, f.synthetic, f.bulletin_id DESC, f.start DESC""", [metric])
    out = {}
    for name, kind, year, month in rows:
        out.setdefault(name, (kind, year, month))
    return out


def _filters(**kw):
    from dashboard.filters import Filters
    return Filters(**kw)


def _slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


def _charts(prs):
    return [(slide, shape.chart) for slide in prs.slides for shape in slide.shapes if shape.has_chart]


class _Merged:
    """A key-metric slide with many counties holds two charts side by side: read them as one."""
    def __init__(self, charts):
        from types import SimpleNamespace
        cats = [c for ch in charts for c in ch.plots[0].categories]
        vals = [v for ch in charts for v in ch.plots[0].series[0].values]
        self.plots = [SimpleNamespace(categories=cats, series=[SimpleNamespace(values=vals)])]
        self._chartSpace = charts[0]._chartSpace
        self._charts = charts


def _chart_named(prs, metric: str):
    for slide in prs.slides:
        charts = [sh.chart for sh in slide.shapes if sh.has_chart]
        if charts and _slide_text(slide).startswith(metric):
            return slide, (charts[0] if len(charts) == 1 else _Merged(charts))
    raise AssertionError(f"no chart slide for {metric}")


def _bars(chart) -> dict[str, float]:
    return dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))


def _pptx(wh, **kw):
    from pptx import Presentation
    from dashboard.briefing import build_pptx
    return Presentation(io.BytesIO(build_pptx(_filters(**kw), wh)))


@pytest.fixture(scope="module")
def pptx_all(wh):
    return _pptx(wh)


@pytest.fixture(scope="module")
def pptx_real(wh):
    return _pptx(wh, include_demo=False)


# ----------------------------------------------------------------------------- PowerPoint

def test_pptx_title_and_summary_state_scope_period_and_key_figures(pptx_all, wh):
    lo, hi = q(wh, "SELECT min(published_on), max(published_on) FROM figures")[0]
    title = _slide_text(pptx_all.slides[0])
    assert "平安指标简报" in title and "全部地区" in title
    assert f"{lo.isoformat()} 至 {hi.isoformat()}（含日期不详）" in title
    assert "演示（合成）数据" in title          # demo figures are included, so they are flagged
    summary = _slide_text(pptx_all.slides[1])
    assert summary.startswith("关键指标概览")
    assert "化解矛盾纠纷" in summary and "个区县（" in summary      # how many counties, over which period


def test_pptx_charts_are_native_with_latest_value_per_county(pptx_all, wh):
    charts = _charts(pptx_all)
    assert len(charts) >= 3
    parts = [str(p.partname) for p in pptx_all.part.package.iter_parts()]
    assert sum(1 for p in parts if re.fullmatch(r"/ppt/charts/chart\d+\.xml", p)) == len(charts)
    slide, chart = _chart_named(pptx_all, "化解矛盾纠纷")
    expected = expected_latest(wh, "disputes_resolved")
    periods = expected_periods(wh, "disputes_resolved")
    bars = _bars(chart)
    # like with like: the bars are the counties of one period (kind, and for a count the same
    # months), the one most counties reported; every other county is cited in the notes
    shared = {periods[p] for p in bars}
    assert len(shared) == 1 and len(bars) == max(list(periods.values()).count(c) for c in set(periods.values()))
    assert len(bars) >= 5 and set(bars) < set(expected)
    for place, value in bars.items():
        assert value == pytest.approx(expected[place][0]), place
    values = list(chart.plots[0].series[0].values)
    assert values == sorted(values, reverse=True)
    notes = slide.notes_slide.notes_text_frame.text
    for place in expected:
        assert expected[place][2] in notes              # each county's sentence cited in the notes


def test_pptx_latest_report_replaces_earlier_one_never_summed(pptx_real, wh):
    slide, chart = _chart_named(pptx_real, "化解矛盾纠纷")
    bars = _bars(chart)
    assert bars["缙云县"] == JUN_JINYUN                   # June's report, not February's
    assert bars["缙云县"] != JUN_JINYUN + FEB_JINYUN      # and never the two added up
    assert "温岭市" not in bars                          # February's count is not June's: not compared,
    assert f"{1200 + 37 * 9}余" in slide.notes_slide.notes_text_frame.text   # but cited (demo value left out)
    labels = " ".join(chart._chartSpace.xpath(".//c:dLbl//a:t/text()"))
    assert re.search(rf"{JUN_JINYUN}余", labels)     # the bulletin's qualifier kept
    assert all("演示" not in _slide_text(s) for s in pptx_real.slides)
    assert "6300余起" not in _slide_text(slide)          # the undated sample report ranks after dated ones


def test_pptx_comparison_changes_and_appendix_cite_every_figure(pptx_all, wh):
    texts = [_slide_text(s) for s in pptx_all.slides]
    comparison = "\n".join(t for t in texts if t.startswith("区县记分卡"))   # paginated
    for name, _ in COUNTIES:
        assert name in comparison
    change_slide = next(s for s in pptx_all.slides if _slide_text(s).startswith("报道的主要变化"))
    table = next(sh.table for sh in change_slide.shapes if sh.has_table)
    rows = [[c.text for c in r.cells] for r in list(table.rows)[1:]]
    assert rows and any("下降" in r[2] for r in rows)
    # a derived code (criminal_incidents_change) is named after its taxonomy metric
    assert "刑事警情" in {r[1] for r in rows}
    assert not any(re.search(r"\bnan\b|_change", t) for t in texts)
    reported = {(p, v) for p, v in q(wh, """
        SELECT coalesce(c.name, f.county, cc.name, f.city, f.province), f.value FROM figures f
        LEFT JOIN counties c ON c.code = f.county_code LEFT JOIN counties cc ON cc.code = f.city_code
        WHERE f.measure = 'change'""")}
    shown = [float(re.search(r"[\d.]+", r[2]).group()) for r in rows]
    assert shown == sorted(shown, reverse=True)
    for r, v in zip(rows, shown):
        assert (r[0], v) in reported
    # every [n] shown before the appendix is cited in it, by outlet and date, 20+ sources a slide
    body = "\n".join(t for t in texts if not t.startswith("附录"))
    appendix = [t for t in texts if t.startswith("附录")]
    cited = set()
    for t in appendix:
        for group in re.findall(r"\[([\d,]+)\]", t):
            cited |= {int(x) for x in group.split(",")}
    refs = {int(x) for x in re.findall(r"\[(\d+)\]", body)}
    assert refs and refs <= cited
    for t in appendix[:-1]:
        assert len(re.findall(r"\d{4}-\d{2}-\d{2}|日期不详", t)) >= 20
    assert not any(".txt" in t for t in texts)      # file names stay out of the slides


def test_pptx_every_text_run_names_an_east_asian_font(pptx_all):
    from pptx.oxml.ns import qn
    n = 0
    for slide in pptx_all.slides:
        trees = [slide._element] + [sh.chart._chartSpace for sh in slide.shapes if sh.has_chart]
        if slide.has_notes_slide:
            trees.append(slide.notes_slide._element)
        for tree in trees:
            for run in tree.iter(qn("a:r")):
                rpr = run.find(qn("a:rPr"))
                assert rpr is not None
                assert rpr.find(qn("a:ea")).get("typeface") == FONT
                assert rpr.find(qn("a:latin")).get("typeface") == FONT
                n += 1
    assert n > 100


def test_pptx_follows_date_and_county_filters(wh):
    early = _pptx(wh, until=dt.date(2024, 3, 1))
    _, chart = _chart_named(early, "化解矛盾纠纷")
    assert _bars(chart)["缙云县"] == FEB_JINYUN            # February's value inside the window
    assert "2024-02-01 至 2024-03-01" in _slide_text(early.slides[0])
    one = _pptx(wh, counties=("331122",))
    charts = _charts(one)
    assert charts and all(list(c.plots[0].categories) == ["缙云县"] for _, c in charts)
    assert "缙云县" in _slide_text(one.slides[0])


def test_pptx_with_no_figures_in_scope_still_opens_and_says_so(wh):
    empty = _pptx(wh, since=dt.date(1990, 1, 1), until=dt.date(1990, 12, 31))
    assert len(empty.slides) == 2 and not _charts(empty)
    assert "所选范围内没有指标" in _slide_text(empty.slides[1])


def test_pptx_converts_to_pdf_with_visible_pages(tmp_path, wh):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: apt-get install libreoffice-impress"
    from dashboard.briefing import build_pptx
    src = tmp_path / "pack.pptx"
    src.write_bytes(build_pptx(_filters(counties=("331122", "331123", "331102")), wh))
    run = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                         capture_output=True, text=True, timeout=240)
    pdf_path = tmp_path / "pack.pdf"
    assert pdf_path.is_file(), run.stderr
    import pdfplumber
    from pptx import Presentation
    n_slides = len(Presentation(str(src)).slides)
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == n_slides
        for page in pdf.pages:
            text = page.extract_text() or ""
            img = page.to_image(resolution=30).original.convert("L")
            dark = sum(img.histogram()[:200])
            assert text.strip() and dark > 50, f"page {page.page_number} is blank"
        assert "缙云县" in (pdf.pages[2].extract_text() or "")


# ----------------------------------------------------------------------------- Excel

@pytest.fixture(scope="module")
def workbook(wh):
    import openpyxl
    from dashboard.briefing import build_xlsx
    return openpyxl.load_workbook(io.BytesIO(build_xlsx(_filters(), wh)))


def test_xlsx_figures_sheet_has_every_figure_with_provenance(workbook, wh):
    ws = workbook["数据明细"]
    header = [c.value for c in ws[1]]
    for col in ("原句", "简报", "文件", "日期", "地区", "指标", "修饰词", "时期", "数值", "单位"):
        assert col in header
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == ws.dimensions
    assert ws["A1"].font.bold and ws["A1"].font.name == FONT and ws["A2"].font.name == FONT
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == q(wh, "SELECT count(*) FROM figures")[0][0]
    h = {name: i for i, name in enumerate(header)}
    by_id = {r[h["figure_id"]]: r for r in rows}
    for fid, value, qual, sentence, fname, period in q(wh, """
            SELECT f.figure_id, f.value, f.qualifier, f.sentence, b.file_name, f.period
            FROM figures f JOIN bulletins b USING (bulletin_id)"""):
        r = by_id[fid]
        assert isinstance(r[h["数值"]], (int, float)) and r[h["数值"]] == pytest.approx(value)
        assert (r[h["修饰词"]], r[h["原句"]], r[h["文件"]], r[h["时期"]]) == (qual, sentence, fname, period)
    assert any(r[h["日期"]] is None for r in rows)            # the sample page has no date
    jun = [r for r in rows if r[h["文件"]] == "jun.txt"]
    assert jun and all(r[h["日期"]].date() == dt.date(2024, 6, 1) for r in jun)
    assert any(r[h["演示数据"]] is True for r in rows) and any(r[h["演示数据"]] is False for r in rows)


def test_xlsx_latest_sheet_is_county_by_metric_with_numbers(workbook, wh):
    ws = workbook["最新值"]
    header = [c.value for c in ws[1]]
    col = next(i for i, v in enumerate(header) if v and v.startswith("化解矛盾纠纷")) + 1
    places = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}
    expected = expected_latest(wh, "disputes_resolved")
    for name, (value, qual, _) in expected.items():
        cell = ws.cell(places[name], col)
        assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(value)
        if qual:
            assert f'"{qual}"' in cell.number_format      # reads 6300余 yet stays a number
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert "变化" in workbook.sheetnames and "说明" in workbook.sheetnames


# ----------------------------------------------------------------------------- Word

@pytest.fixture(scope="module")
def word_real(wh):
    import docx
    from dashboard.briefing import build_docx
    return docx.Document(io.BytesIO(build_docx(_filters(include_demo=False), wh)))


def _all_text(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for row in t.rows for c in row.cells])


def test_docx_opens_with_conclusions_and_keeps_file_names_in_the_appendix(word_real, wh):
    paras = [p.text for p in word_real.paragraphs]
    text = "\n".join(paras)
    assert paras[0] == "平安指标简报"
    assert "生成日期" in text and "范围：全部地区" in text
    first = paras[paras.index("一、总体情况") + 1: paras.index("二、重点指标")]
    conclusions = [p for p in first if p.startswith("（")]
    assert 3 <= len(conclusions) <= 5, first
    assert all(re.search(r"\d", c) and re.search(r"\[\d+\]", c) for c in conclusions)
    assert not re.search(r"\.txt|\.docx|\.html", "\n".join(first))         # no file names up front
    row = next(r for t in word_real.tables for r in t.rows
               if r.cells[0].text == "缙云县" and r.cells[1].text == f"{JUN_JINYUN}余起")
    ref = re.search(r"\[(\d+)\]", row.cells[-1].text).group(1)
    notes = paras[paras.index("四、注释") if "四、注释" in paras else paras.index("三、注释"):]
    note = next(p for p in notes if p.startswith(f"[{ref}] "))
    assert "2024-06-01" in note and ".txt" not in note               # by outlet and date
    appendix = paras[paras.index("附录：来源文件"):]
    src = next(p for p in appendix if p.startswith(f"[{ref}] "))
    assert "jun.txt" in src and expected_latest(wh, "disputes_resolved", demo=False)["缙云县"][2] in src
    everything = _all_text(word_real)
    for name, _ in COUNTIES:
        assert name in everything
    assert re.search(r"刑事警情.*下降\d", everything)
    assert "演示" not in everything


def test_docx_has_png_charts_tables_and_cjk_styles(word_real):
    from docx.oxml.ns import qn
    shapes = word_real.inline_shapes
    assert len(shapes) >= 3
    for shape in shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        blob = word_real.part.related_parts[rid].blob
        assert blob[:8] == b"\x89PNG\r\n\x1a\n" and len(blob) > 5000
    assert len(word_real.tables) >= 3
    assert [c.text for c in word_real.tables[0].rows[0].cells][:2] == ["地区", "数值"]
    cells = [c.text for t in word_real.tables for row in t.rows for c in row.cells]
    assert f"{JUN_JINYUN}余起" in cells
    fonts = word_real.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == FONT


def test_hostile_bulletin_text_stays_text(wh):
    """The shared corpus holds a bulletin with <script> in its sentence: packs carry it as text."""
    import docx
    import openpyxl
    from dashboard.briefing import build_docx, build_xlsx
    hostile = [s for (s,) in q(wh, "SELECT sentence FROM figures WHERE sentence LIKE '%<script>%'")]
    assert hostile
    ws = openpyxl.load_workbook(io.BytesIO(build_xlsx(_filters(), wh)))["数据明细"]
    assert hostile[0] in {c.value for c in ws["Q"]}
    doc = docx.Document(io.BytesIO(build_docx(_filters(counties=("331181",)), wh)))
    assert any("<script>alert('pingan')</script>" in p.text for p in doc.paragraphs)


def test_english_pack(wh):
    import docx
    from dashboard.briefing import build_docx
    prs = _pptx(wh, lang="en", include_demo=False)
    title = _slide_text(prs.slides[0])
    assert "Ping'an Metrics briefing" in title
    n_bulletins = q(wh, "SELECT count(*) FROM bulletins WHERE NOT synthetic")[0][0]
    assert re.search(rf"\b{n_bulletins:,} bulletins · \d+ counties\b", title), title  # the number first
    _, chart = _chart_named(prs, "Disputes resolved")
    assert _bars(chart)["Jinyun"] == JUN_JINYUN                # county names in pinyin
    doc = docx.Document(io.BytesIO(build_docx(_filters(lang="en", include_demo=False), wh)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Jinyun" in cells and f"over {JUN_JINYUN:,} cases" in cells and "since the start of the year" in cells
    assert "Disputes resolved" in text and not re.search(r"[\u4e00-\u9fff]", text.split("Appendix")[0].split("Notes")[0])


def test_a_key_metric_one_county_reports_gets_no_one_bar_slide_in_a_pack_about_several(wh):
    """A chart of one county's bar compares nothing when the pack is about many: the
    summary slide states it. A pack about that one county keeps its chart."""
    from dashboard.briefing import collect
    pack = collect(_filters(), wh)
    assert (pack.counts or {}).get("counties", 0) > 1
    lone = [k for k in pack.key_metrics if len(k.rows) == 1]
    assert lone  # (the test corpus has metrics only one county reports)
    several = [k for k in pack.key_metrics if len(k.rows) > 1]
    titles = [_slide_text(s).split("\n")[0] for s in _pptx(wh).slides]
    assert several and all(any(t.startswith(k.name) for t in titles) for k in several)
    assert not any(t.startswith(k.name) for k in lone for t in titles)
    # a pack about one county: its metrics have one bar each, and keep their slides
    county = q(wh, "SELECT county_code FROM figures WHERE county_code IS NOT NULL AND NOT synthetic "
                   "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0]
    one = collect(_filters(counties=(county,)), wh)
    assert (one.counts or {}).get("counties") == 1
    drawn = [k for k in one.key_metrics if len(k.rows) == 1]
    titles = [_slide_text(s).split("\n")[0] for s in _pptx(wh, counties=(county,)).slides]
    assert drawn and all(any(t.startswith(k.name) for t in titles) for k in drawn)


def test_the_word_pack_draws_no_one_bar_chart_in_a_pack_about_several(wh):
    """The Word pack follows the deck: a key metric only one county reports keeps its
    heading, sentence and table, but no chart, when the pack is about several counties."""
    import docx
    from dashboard.briefing import build_docx, collect
    pack = collect(_filters(), wh)
    keys = [k for k in pack.key_metrics if len(k.rows)]
    lone = [k for k in keys if len(k.rows) == 1]
    assert lone and len(lone) < len(keys)
    doc = docx.Document(io.BytesIO(build_docx(_filters(), wh)))
    assert len(doc.inline_shapes) == len(keys) - len(lone)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    assert all(k.name in headings for k in lone)  # still reported, in words and a table
    # about that one county: each of its metrics has its chart
    county = q(wh, "SELECT county_code FROM figures WHERE county_code IS NOT NULL AND NOT synthetic "
                   "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0]
    one = collect(_filters(counties=(county,)), wh)
    n = len([k for k in one.key_metrics if len(k.rows)])
    assert n and len(docx.Document(io.BytesIO(build_docx(_filters(counties=(county,)), wh))).inline_shapes) == n
