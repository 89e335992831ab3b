"""SQL injection through the `sql` command (issue 12, part of item 1's last bullet).

`python -m etl sql` is called through its real entry point (etl.cli.main, in this process
to spare a Python start per statement). Each hostile statement is refused (exit 2) or
fails without effect; afterwards the snapshot file is byte for byte what it was and no
file was written or read outside it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl import cli, warehouse
from etl.ingest import ingest

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    root = tmp_path_factory.mktemp("sqlinj")
    src = root / "in"
    src.mkdir()
    (src / "a.txt").write_text("丽水:\n缙云公安：平安护航\n本报讯 今年以来，缙云县公安局化解矛盾纠纷800余起，"
                               "组建巡防队12支。\n", encoding="utf-8")
    w = root / "wh"
    assert ingest([src], w, progress=False).ok
    return w


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, wh, sql):
    rc = cli.main(["sql", sql, "--json", "--warehouse", str(wh)])
    out = capsys.readouterr()
    return rc, out.out, out.err


HOSTILE = [
    "SELECT 1; DROP TABLE figures",
    "DROP TABLE figures",
    "DELETE FROM figures",
    "UPDATE figures SET value = 0",
    "INSERT INTO bulletins (bulletin_id) VALUES ('x')",
    "CREATE TABLE evil AS SELECT 1",
    "COPY figures TO '{tmp}/stolen.csv'",
    "EXPORT DATABASE '{tmp}/dump'",
    "ATTACH '{tmp}/evil.duckdb' AS evil",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA enable_profiling",
    "CALL dbgen(sf = 0.01)",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM '{tmp}/../../etc/passwd'",
    "SELECT 1 UNION ALL SELECT count(*) FROM read_csv_auto('/etc/passwd')",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_hostile_statement_refused_or_inert(capsys, wh, tmp_path, sql):
    snap = warehouse.current_snapshot(wh)
    before = digest(snap)
    sql = sql.replace("{tmp}", str(tmp_path))
    rc, out, err = run(capsys, wh, sql)
    assert rc in (1, 2), (rc, out, err)
    assert "refused" in err or "failed" in err, err
    assert len(err.strip().splitlines()) == 1, err           # one clear line, no traceback
    assert "root:" not in out + err                          # nothing of /etc/passwd shown
    assert digest(snap) == before and warehouse.current_snapshot(wh) == snap
    assert list(tmp_path.iterdir()) == []                    # nothing written outside


def test_injection_inside_a_select_is_only_a_read(capsys, wh):
    """A classic `' OR 1=1 --` inside a SELECT just reads: the connection cannot write."""
    snap = warehouse.current_snapshot(wh)
    before = digest(snap)
    rc, out, _ = run(capsys, wh, "SELECT count(*) AS n FROM figures WHERE county = '' OR 1=1 --'")
    assert rc == 0 and '"n"' in out
    assert digest(snap) == before
