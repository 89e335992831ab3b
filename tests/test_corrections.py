"""Corrections: the store beside the snapshots, figures_effective, and the command line.

Everything runs through `python -m etl` in a subprocess (as a person would) on a private
copy of the test warehouse, and is read back through `etl sql` or a read-only connection.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from support import ROOT, query, run_cli


def _fig(wh, where="category <> 'other' AND county_code IS NOT NULL AND NOT synthetic"):
    rows = query(wh, f"SELECT figure_id, value, unit, metric, county_code FROM figures WHERE {where} "
                     "ORDER BY figure_id LIMIT 1")
    assert rows, "test warehouse has no such figure"
    return rows[0]


def _sql(wh, sql):
    proc = run_cli("sql", sql, "--json", "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_correct_applies_everywhere_and_undo_restores(warehouse_copy):
    wh = warehouse_copy
    fid, value, unit, metric, county = _fig(wh)
    proc = run_cli("correct", fid, "--set", "value=98765", "unit=件", "--by", "张三",
                   "--reason", "原文数字误读", "--json", "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    recs = json.loads(proc.stdout)
    assert [(r["field"], r["before"], r["after"]) for r in recs] == [
        ("value", value, 98765.0), ("unit", unit, "件")]
    assert all(r["by"] == "张三" and r["reason"] == "原文数字误读" for r in recs)

    for view in ("figures_effective", "v_figures"):
        got = _sql(wh, f"SELECT value, unit, corrected, reviewed_by, review_reason, correction_note "
                       f"FROM {view} WHERE figure_id = '{fid}'")
        assert got[0]["value"] == 98765 and got[0]["unit"] == "件" and got[0]["corrected"] is True
        assert got[0]["reviewed_by"] == "张三" and "原文数字误读" in got[0]["correction_note"]
    # the fact and latest views are built on it
    facts = _sql(wh, f"SELECT value FROM v_facts WHERE list_contains(figure_ids, '{fid}')")
    assert [f["value"] for f in facts] == [98765]
    # the raw table is untouched: extracted data and corrections stay apart
    assert query(wh, "SELECT value FROM figures WHERE figure_id = ?", [fid]) == [(value,)]
    # the log is readable through `etl sql`
    log = _sql(wh, "SELECT action, field, after, \"by\" FROM corrections ORDER BY seq")
    assert log == [{"action": "correct", "field": "value", "after": "98765", "by": "张三"},
                   {"action": "correct", "field": "unit", "after": "件", "by": "张三"}]

    proc = run_cli("correct", "--undo", recs[0]["correction_id"], "--by", "李四", "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    got = _sql(wh, f"SELECT value, unit FROM figures_effective WHERE figure_id = '{fid}'")
    assert got == [{"value": value, "unit": "件"}]  # only the value was undone
    hist = json.loads(run_cli("corrections", "--figure", fid, "--json", "--warehouse", wh).stdout)
    assert [h["action"] for h in hist] == ["correct", "correct", "undo"]
    assert hist[2]["undoes"] == recs[0]["correction_id"] and hist[2]["by"] == "李四"
    # the table staff read gives the time in Beijing time (the store and --json keep UTC)
    from datetime import datetime, timedelta
    table = run_cli("corrections", "--figure", fid, "--warehouse", wh,
                    env_extra={"PINGAN_TZ": "Asia/Shanghai", "COLUMNS": "300"}).stdout
    beijing = (datetime.fromisoformat(hist[2]["at"]) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert "北京时间" in table and beijing in table, table
    # undoing twice is refused with a reason
    proc = run_cli("correct", "--undo", recs[0]["correction_id"], "--by", "李四", "--warehouse", wh)
    assert proc.returncode == 2 and "already undone" in proc.stderr


def test_reject_removes_the_figure_from_every_view_and_confirm_marks_it(warehouse_copy):
    wh = warehouse_copy
    fid = _fig(wh)[0]
    n_before = _sql(wh, "SELECT count(*) AS n FROM v_figures")[0]["n"]
    proc = run_cli("correct", fid, "--reject", "--by", "王五", "--reason", "个案细节，非工作成效",
                   "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    assert _sql(wh, "SELECT count(*) AS n FROM v_figures")[0]["n"] == n_before - 1
    for view in ("figures_effective", "v_figures", "v_latest"):
        assert _sql(wh, f"SELECT count(*) AS n FROM {view} WHERE figure_id = '{fid}'")[0]["n"] == 0
    assert _sql(wh, f"SELECT count(*) AS n FROM v_facts WHERE list_contains(figure_ids, '{fid}')")[0]["n"] == 0

    other = _fig(wh, f"figure_id <> '{fid}' AND category <> 'other'")[0]
    assert run_cli("correct", other, "--confirm", "--by", "王五", "--reason", "核对原文无误",
                   "--warehouse", wh).returncode == 0
    got = _sql(wh, f"SELECT confirmed, corrected, review_status FROM figures_effective WHERE figure_id = '{other}'")
    assert got == [{"confirmed": True, "corrected": False, "review_status": "confirmed"}]


@pytest.mark.parametrize("args, message", [
    (["--set", "measure=often"], "field 'measure': 'often' is not one of count"),
    (["--set", "value=abc"], "field 'value': 'abc' is not a number"),
    (["--set", "colour=red"], "unknown field 'colour'"),
    (["--set", "metric=no_such_metric"], "'no_such_metric' is not a metric code"),
    (["--set", "place=火星县"], "'火星县' is not a place of the gazetteer"),
    (["--set", "date=2024-13-01"], "is not a date (YYYY-MM-DD)"),
    (["--set", "qualifier=大概"], "field 'qualifier'"),
    (["--confirm"], "reason is required"),
])
def test_bad_corrections_are_refused_with_the_field_and_reason(warehouse_copy, args, message):
    wh = warehouse_copy
    fid = _fig(wh)[0]
    extra = [] if args == ["--confirm"] else ["--reason", "test"]
    proc = run_cli("correct", fid, *args, "--by", "张三", *extra, "--warehouse", wh)
    assert proc.returncode == 2, proc.stdout
    assert message in proc.stderr
    assert not (wh / "corrections.sqlite").exists() or _sql(wh, "SELECT count(*) AS n FROM corrections")[0]["n"] == 0


def test_unknown_figure_and_missing_by_are_refused(warehouse_copy):
    wh = warehouse_copy
    proc = run_cli("correct", "0000000000000000", "--reject", "--by", "张三", "--reason", "x",
                   "--warehouse", wh)
    assert proc.returncode == 2 and "figure 0000000000000000: no such figure" in proc.stderr
    proc = run_cli("correct", _fig(wh)[0], "--reject", "--reason", "x", "--warehouse", wh)
    assert proc.returncode == 2 and "--by NAME is required" in proc.stderr


def test_place_metric_and_date_corrections_resolve_their_parts(warehouse_copy):
    wh = warehouse_copy
    fid = _fig(wh)[0]
    proc = run_cli("correct", fid, "--set", "place=景宁", "metric=patrol_teams", "date=2024-03-05",
                   "--by", "张三", "--reason", "地点与指标改正", "--warehouse", wh)
    assert proc.returncode == 0, proc.stderr
    got = _sql(wh, "SELECT county_code, county, city_code, city, place_key, place_name, metric, category, "
                   f"published_on FROM v_figures WHERE figure_id = '{fid}'")[0]
    assert (got["county_code"], got["county"], got["city_code"], got["place_key"]) == (
        "331127", "景宁畲族自治县", "331100", "331127")
    assert got["metric"] == "patrol_teams" and got["category"] == "teams"
    assert str(got["published_on"]).startswith("2024-03-05")


def test_corrections_survive_reingest_and_orphans_are_listed(warehouse_copy, tmp_path):
    wh = warehouse_copy
    src = tmp_path / "in"
    src.mkdir()
    bulletin = src / "2024-05-06_缙云公安简报.txt"
    bulletin.write_text("缙云公安深化矛盾化解\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷1200起。\n",
                        encoding="utf-8")
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    fid = query(wh, "SELECT figure_id FROM figures WHERE source LIKE ?", ["%缙云公安简报%"])[0][0]
    assert run_cli("correct", fid, "--set", "value=1300", "--by", "张三", "--reason", "改",
                   "--warehouse", wh).returncode == 0
    snap1 = (wh / "CURRENT").read_text().strip()

    # another file: a new snapshot; the correction still applies
    (src / "2024-05-07_景宁公安简报.txt").write_text(
        "景宁公安\n\n本报讯 今年以来，景宁县公安局组建巡逻队伍12支。\n", encoding="utf-8")
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    assert (wh / "CURRENT").read_text().strip() != snap1
    assert _sql(wh, f"SELECT value FROM v_figures WHERE figure_id = '{fid}'") == [{"value": 1300}]

    # the bulletin is rewritten: its figure gets a new id, the correction becomes an orphan
    bulletin.write_text("缙云公安深化矛盾化解（更新）\n\n本报讯 今年以来，缙云县公安局化解矛盾纠纷1250起。\n",
                        encoding="utf-8")
    assert run_cli("ingest", src, "--warehouse", wh, "--no-progress").returncode in (0, 1)
    assert query(wh, "SELECT count(*) FROM figures WHERE figure_id = ?", [fid]) == [(0,)]
    orphans = json.loads(run_cli("corrections", "--orphans", "--json", "--warehouse", wh).stdout)
    assert [(o["figure_id"], o["after"]) for o in orphans] == [(fid, 1300.0)]
    # never dropped: still in the log
    assert len(json.loads(run_cli("corrections", "--json", "--warehouse", wh).stdout)) == 1


_WRITER = """
import sys
from etl import corrections, warehouse
wh, who, ids = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
con = warehouse.connect_read_only(wh)
for i, fid in enumerate(ids):
    corrections.correct(wh, con, fid, {'value': str(1000 + i)}, who, 'concurrent ' + who)
"""


def test_two_processes_correcting_at_once_both_keep_everything(warehouse_copy):
    wh = warehouse_copy
    ids = [r[0] for r in query(wh, "SELECT figure_id FROM figures ORDER BY figure_id LIMIT 30")]
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(wh), who, ",".join(ids)],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for who in ("editor_a", "editor_b")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    log = _sql(wh, 'SELECT "by", count(*) AS n, count(DISTINCT correction_id) AS ids '
                   'FROM corrections GROUP BY "by" ORDER BY 1')
    assert log == [{"by": "editor_a", "n": 30, "ids": 30}, {"by": "editor_b", "n": 30, "ids": 30}]


def test_read_side_never_reads_the_raw_figures_table():
    """Every read goes through figures_effective: a query on `figures` would skip corrections."""
    bad = []
    for path in list((ROOT / "dashboard").rglob("*.py")) + list((ROOT / "pages").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\b(FROM|JOIN)\s+figures\b(?!_)", text):
            bad.append(f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}")
    assert bad == []


def test_a_snapshot_built_before_review_log_still_reads_every_correction(warehouse_copy):
    """A snapshot made before figures_effective gained `review_log` keeps serving until the
    next ingest: install() lays today's views over it, so every query that names the new
    column works and corrections apply."""
    import duckdb
    from etl import warehouse
    wh = warehouse_copy
    path = warehouse.current_snapshot(wh)
    old = warehouse.VIEWS_SQL.read_text(encoding="utf-8")
    old = old.replace(", review_log VARCHAR", "")
    old = re.sub(r",\n(\s*--[^\n]*\n)*\s*(?:o\.review_log|CAST\(NULL AS VARCHAR\))\s+AS review_log", "", old)
    assert "review_log" not in old
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW v_latest; DROP VIEW v_facts; DROP VIEW v_figures; DROP VIEW figures_effective; "
                "DROP TABLE figure_overrides")
    con.execute(old)
    con.close()
    fid = _fig(wh)[0]
    assert run_cli("correct", fid, "--set", "value=4242", "--by", "张三", "--reason", "旧快照",
                   "--warehouse", wh).returncode == 0
    got = _sql(wh, f"SELECT value, corrected, review_log FROM v_figures WHERE figure_id = '{fid}'")
    assert got[0]["value"] == 4242 and got[0]["corrected"] is True
    assert json.loads(got[0]["review_log"])[0]["reason"] == "旧快照"
