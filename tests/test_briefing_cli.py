"""`python -m dashboard.briefing` as staff run it: packs written, bad input refused in one line.

Runs in subprocesses against the warehouse built by real ingest (conftest's shared
warehouse plus the corpus of test_briefing_packs).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_briefing_packs import ROOT, build_warehouse


@pytest.fixture(scope="session")
def wh(tmp_path_factory, warehouse_dir) -> Path:
    return build_warehouse(tmp_path_factory.getbasetemp(), warehouse_dir)


def run(*args, env_extra=None, drop=("PINGAN_WAREHOUSE", "BROWSER_PATH")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "dashboard.briefing", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)


def one_line_error(res) -> str:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.stderr
    return lines[0]


def test_cli_writes_each_format_with_filters(tmp_path, wh):
    import docx
    import openpyxl
    from pptx import Presentation
    for fmt in ("pptx", "xlsx", "docx"):
        out = tmp_path / f"brief.{fmt}"
        res = run("--format", fmt, "--out", out, "--warehouse", wh, "--city", "丽水", "--county", "缙云,遂昌",
                  "--since", "2024-01-01", "--category", "disputes")
        assert res.returncode == 0, res.stderr
        assert out.is_file() and str(out) in res.stdout
    prs = Presentation(str(tmp_path / "brief.pptx"))
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert charts and all(set(c.plots[0].categories) <= {"缙云县", "遂昌县"} for c in charts)
    assert "矛盾纠纷" in prs.slides[0].shapes[1].text_frame.text
    ws = openpyxl.load_workbook(tmp_path / "brief.xlsx")["数据明细"]
    header = [c.value for c in ws[1]]
    places = {r[header.index("地区")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert places == {"缙云县", "遂昌县"}
    cats = {r[header.index("类别")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert cats == {"矛盾纠纷"}
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "brief.docx")).paragraphs)
    assert re.search(r"化解矛盾纠纷.*缙云县（[^）]*\d+", text) and "松阳县" not in text


@pytest.mark.parametrize("args, expect", [
    (["--county", "北京"], "--county 北京: not a county"),
    (["--city", "不存在市"], "--city 不存在市: not a city"),
    (["--category", "weather"], "--category weather: unknown category"),
    (["--metric", "nope"], "--metric nope: not a metric code"),
    (["--since", "2024-05-01", "--until", "2024-01-01"], "is after --until"),
])
def test_cli_refuses_bad_filters_in_one_line(tmp_path, wh, args, expect):
    out = tmp_path / "x.pptx"
    res = run("--format", "pptx", "--out", out, "--warehouse", wh, *args)
    assert res.returncode == 1
    assert expect in one_line_error(res)
    assert not out.exists() and not list(tmp_path.glob(".x.pptx*"))


def test_cli_names_the_missing_warehouse_and_folder(tmp_path, wh):
    res = run("--format", "xlsx", "--out", tmp_path / "a.xlsx", "--warehouse", tmp_path / "none")
    assert res.returncode == 1
    line = one_line_error(res)
    assert str(tmp_path / "none") in line and "python -m etl ingest" in line
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run("--format", "xlsx", "--out", tmp_path / "a.xlsx", "--warehouse", empty)
    assert res.returncode == 1 and "no warehouse snapshot yet" in one_line_error(res)
    res = run("--format", "xlsx", "--out", tmp_path / "missing" / "a.xlsx", "--warehouse", wh)
    assert res.returncode == 1 and "does not exist" in one_line_error(res)
    res = run("--format", "xlsx", "--out", tmp_path / "a.pptx", "--warehouse", wh)
    assert res.returncode == 2 and ".xlsx" in one_line_error(res)
    res = run("--format", "xlsx", "--out", tmp_path / "a.xlsx", "--since", "2024-13-01")
    assert res.returncode == 2 and "not a date" in res.stderr


def test_word_without_chromium_says_what_to_install(tmp_path, wh):
    out = tmp_path / "brief.docx"
    missing = tmp_path / "no-such-browser" / "chromium"
    res = run("--format", "docx", "--out", out, "--warehouse", wh, env_extra={"BROWSER_PATH": str(missing)})
    assert res.returncode == 1
    line = one_line_error(res)
    assert str(missing) in line and "Chromium" in line and "apt-get install chromium" in line
    assert not out.exists()
    # no BROWSER_PATH and a PATH without any browser on it
    bare = tmp_path / "bin"
    bare.mkdir()
    res = run("--format", "docx", "--out", out, "--warehouse", wh, env_extra={"PATH": str(bare)})
    assert res.returncode == 1
    line = one_line_error(res)
    assert "needs Chromium" in line and "PATH" in line and "apt-get install chromium" in line
    assert not out.exists()
    # the other formats need no browser at all
    res = run("--format", "pptx", "--out", tmp_path / "b.pptx", "--warehouse", wh,
              env_extra={"PATH": str(bare)})
    assert res.returncode == 0, res.stderr
