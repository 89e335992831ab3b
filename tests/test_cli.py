"""`python -m etl …` as a user runs it: help, extract, sql refusals, status, demo."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl import warehouse
from support import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"
COMMANDS = ("extract", "ingest", "status", "sql", "demo")


def bulletin(folder: Path, name: str, county: str = "遂昌", n: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("丽水:\n"
                 f"{county}公安：智慧警务见实效\n"
                 "通讯员 陈立\n"
                 f"本报讯 今年1-10月，{county}县公安局共接报电信网络诈骗警情同比下降{30 + n}.2%，"
                 f"劝阻潜在受害人{600 + n}余人，无人机中队拥有无人机{2 + n}架。\n",
                 encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A warehouse with one dated bulletin, shared by the read-only tests below."""
    base = tmp_path_factory.mktemp("cli")
    src = base / "in"
    bulletin(src, "遂昌.txt")
    (src / "manifest.csv").write_text("file,published_on,publisher,region,url\n"
                                      "遂昌.txt,2025-01-08,丽水日报,遂昌,\n", encoding="utf-8")
    wh = base / "wh"
    r = run_cli("ingest", src, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    return wh


def test_top_level_help_lists_commands():
    r = run_cli("--help")
    assert r.returncode == 0
    for c in COMMANDS:
        assert c in r.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_warehouse(command):
    r = run_cli(command, "--help")
    assert r.returncode == 0, r.stderr
    assert "--warehouse" in r.stdout
    assert f"python -m etl {command}" in r.stdout


def test_unknown_command_is_usage_error():
    r = run_cli("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_extract_jsonl_is_exactly_the_record():
    from etl.extract import FIGURE_FIELDS
    from etl.metric_of import METRIC_SOURCES
    from etl.place_of import PLACE_SOURCES
    assert len(FIGURE_FIELDS) == 24
    r = run_cli("extract", SAMPLE, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) >= 15
    for line in lines:
        rec = json.loads(line)
        assert list(rec) == list(FIGURE_FIELDS)
        assert rec["source"] == str(SAMPLE)
        assert rec["place_source"] in PLACE_SOURCES and rec["metric_source"] in METRIC_SOURCES
        assert (rec["place_source"] == "none") == (rec["county"] is None and rec["city"] is None
                                                   and rec["province"] is None)
    assert "\\u" not in r.stdout           # Chinese kept as written (ensure_ascii=False)
    assert any("起" in json.loads(x)["raw"] for x in lines)


def test_extract_needs_no_warehouse(tmp_path):
    wh = tmp_path / "never"
    r = run_cli("extract", SAMPLE, "--warehouse", wh)
    assert r.returncode == 0 and r.stdout
    assert not wh.exists()


def test_extract_bad_file_one_line_others_printed(tmp_path):
    good = bulletin(tmp_path, "遂昌.txt")
    bad = tmp_path / "坏.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    r = run_cli("extract", bad, good, tmp_path / "missing.txt")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "坏.txt" in lines[0] and "binary" in lines[0]
    assert "missing.txt" in lines[1]
    sources = {json.loads(x)["source"] for x in r.stdout.splitlines()}
    assert sources == {str(good)}


def test_extract_table(tmp_path):
    good = bulletin(tmp_path, "遂昌.txt")
    r = run_cli("extract", good, "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "raw" in r.stdout and "架" in r.stdout


def test_status_json(loaded):
    r = run_cli("status", "--json", "--warehouse", loaded)
    assert r.returncode == 0
    s = json.loads(r.stdout)
    assert s["snapshot"] == warehouse.current_snapshot(loaded).name
    assert s["bulletins"] == 1 and s["figures"] >= 3 and s["unknown_dates"] == 0
    assert s["last_run"]["run_id"] == 1
    assert s["last_run"]["finished_at"][:4].isdigit()  # ISO timestamp string
    plain = run_cli("status", "--warehouse", loaded)
    assert plain.returncode == 0 and "figures" in plain.stdout


def test_status_empty_warehouse(tmp_path):
    r = run_cli("status", "--json", "--warehouse", tmp_path / "none")
    assert r.returncode == 0
    assert json.loads(r.stdout)["snapshot"] is None


def test_sql_json_rows_with_iso_dates(loaded):
    r = run_cli("sql", "SELECT file_name, published_on, n_figures FROM bulletins", "--json",
                "--warehouse", loaded)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows == [{"file_name": "遂昌.txt", "published_on": "2025-01-08",
                     "n_figures": rows[0]["n_figures"]}]
    assert rows[0]["n_figures"] >= 3


def test_sql_reads_views(loaded):
    r = run_cli("sql", "SELECT place_key, metric, n_sources, figure_ids FROM v_facts", "--json",
                "--warehouse", loaded)
    assert r.returncode == 0, r.stderr
    facts = json.loads(r.stdout)
    assert facts and all(isinstance(f["figure_ids"], list) for f in facts)


WRITES = [
    "INSERT INTO metrics VALUES ('x', 'x', 'x', 'other', 'count', NULL, NULL)",
    "UPDATE figures SET value = 0",
    "DELETE FROM figures",
    "CREATE TABLE t (x INTEGER)",
    "DROP TABLE figures",
    "ALTER TABLE figures ADD COLUMN x INTEGER",
    "ATTACH '/tmp/pingan_other.duckdb' AS other",
    "INSTALL fts",
    "LOAD fts",
    "PRAGMA enable_profiling",
    "SET threads = 1",
    "EXPORT DATABASE '/tmp/pingan_export'",
    "CALL pragma_version()",
    "CHECKPOINT",
    "SELECT 1; DELETE FROM figures",
    "SELECT * FROM read_csv('/etc/passwd')",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_refuses_anything_but_a_read(loaded, statement):
    served = warehouse.current_snapshot(loaded)
    before = counts(loaded)
    r = run_cli("sql", statement, "--warehouse", loaded)
    assert r.returncode == 2, (statement, r.stdout, r.stderr)
    assert "refused" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert counts(loaded) == before and warehouse.current_snapshot(loaded) == served


def counts(wh):
    con = warehouse.connect_read_only(wh)
    try:
        return con.execute("SELECT (SELECT count(*) FROM figures), (SELECT count(*) FROM metrics), "
                           "(SELECT count(*) FROM duckdb_tables())").fetchall()
    finally:
        con.close()


def test_sql_copy_to_file_refused_and_nothing_written(loaded, tmp_path):
    target = tmp_path / "leak.csv"
    r = run_cli("sql", f"COPY (SELECT 1) TO '{target}'", "--warehouse", loaded)
    assert r.returncode == 2 and "refused" in r.stderr
    assert not target.exists()


def test_sql_error_and_empty_warehouse(loaded, tmp_path):
    r = run_cli("sql", "SELECT * FROM no_such_table", "--warehouse", loaded)
    assert r.returncode == 1 and "no_such_table" in r.stderr
    r = run_cli("sql", "SELECT 1", "--warehouse", tmp_path / "none")
    assert r.returncode == 1 and "no warehouse snapshot" in r.stderr


def test_demo_then_ingest_counts_synthetic(tmp_path):
    out, wh = tmp_path / "demo", tmp_path / "wh"
    r = run_cli("demo", "--bulletins", 3, "--out", out, "--seed", 7)
    assert r.returncode == 0, r.stderr
    assert (out / "manifest.csv").is_file() and (out / "gold.jsonl").is_file()
    r = run_cli("ingest", out, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    s = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)
    assert s["bulletins"] == 3 and s["synthetic_bulletins"] == 3
    assert s["figures"] > 0 and s["synthetic_figures"] == s["figures"]


def test_demo_rejects_bad_count(tmp_path):
    r = run_cli("demo", "--bulletins", "0", "--out", tmp_path / "d")
    assert r.returncode == 2
