"""Incremental ingest through the real readers, extractor and DuckDB files.

The bulletins are written here in the genre (our own sentences): a column label, a
headline, a byline, a 本报讯 lead with figures.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path


from etl import warehouse
from etl.ingest import ingest
from support import query as q, run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"

COUNTIES = ["缙云", "遂昌", "松阳", "庆元", "云和", "青田"]


def page(county: str, n: int) -> str:
    """A one-article bulletin page whose figures depend on n (so contents differ)."""
    return (
        "丽水:\n"
        f"{county}公安：多元解纷护平安\n"
        "通讯员 林晓 周明\n"
        f"本报讯 今年以来，{county}县公安局坚持和发展新时代“枫桥经验”，牵头化解矛盾纠纷{1200 + n}余起，"
        f"刑事警情同比下降{10 + n % 50}.5%。\n"
        f"该局组建平安巡防队{3 + n % 7}支，开展反诈宣传进社区活动{40 + n}场，"
        f"抓获电信网络诈骗嫌疑人{5 + n}名。\n"
    )


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def extract_lines(path) -> list[dict]:
    r = run_cli("extract", path, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def test_sample_bulletin_then_status(tmp_path):
    wh = tmp_path / "wh"
    r = run_cli("ingest", SAMPLE, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no refused file, and no progress bar when not a terminal
    status = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)
    expected = extract_lines(SAMPLE)
    assert len(expected) >= 15  # the sample page is dense with figures
    assert status["snapshot"] == warehouse.current_snapshot(wh).name
    assert status["bulletins"] == 1
    assert status["articles"] >= 3
    assert status["figures"] == len(expected)
    assert status["unknown_dates"] in (0, 1)
    assert status["synthetic_bulletins"] == 0
    assert status["last_run"]["n_read"] == 1 and status["last_run"]["n_failed"] == 0
    stored = {row[0] for row in q(wh, "SELECT figure_id FROM figures")}
    assert stored == {f["figure_id"] for f in expected}
    # every stored figure points back to its text: the raw span sits at its offsets
    text = SAMPLE.read_bytes().decode("utf-8-sig")
    for start, end, raw in q(wh, 'SELECT start, "end", raw FROM figures'):
        assert text[start:end] == raw
    assert q(wh, "SELECT count(*) FROM v_figures")[0][0] == len(expected)


def test_second_run_changes_nothing_and_says_so(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    for i, c in enumerate(COUNTIES[:4]):
        write(src, f"2025-01-0{i + 1}_{c}.txt", page(c, i))
    first = ingest([src], wh, progress=False)
    assert first.new_snapshot and first.counts["read"] == 4 and first.figures_added > 0
    ids_before = sorted(r[0] for r in q(wh, "SELECT figure_id FROM figures"))
    snaps_before = sorted(p.name for p in (wh / "snapshots").iterdir())
    pointer = (wh / "CURRENT").read_text()

    r = run_cli("ingest", src, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    assert "nothing changed" in r.stdout
    assert (wh / "CURRENT").read_text() == pointer
    assert sorted(p.name for p in (wh / "snapshots").iterdir()) == snaps_before
    assert sorted(r[0] for r in q(wh, "SELECT figure_id FROM figures")) == ids_before

    again = ingest([src], wh, progress=False)
    assert not again.new_snapshot and again.counts == {"read": 0, "unchanged": 4,
                                                        "duplicate": 0, "failed": 0,
                                                        "skipped": 0}
    assert again.snapshot == first.snapshot


def test_same_file_by_relative_and_absolute_path_is_unchanged(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    p = write(src, "缙云.txt", page("缙云", 1))
    assert ingest([p], wh, progress=False).counts["read"] == 1
    r = run_cli("ingest", "缙云.txt", "--warehouse", wh, cwd=src)
    assert r.returncode == 0, r.stderr
    assert "nothing changed" in r.stdout


def test_changed_file_replaces_its_rows_only(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    a = write(src, "a.txt", page("缙云", 1))
    write(src, "b.txt", page("遂昌", 2))
    ingest([src], wh, progress=False)
    old_a = q(wh, "SELECT bulletin_id FROM bulletins WHERE file_name = 'a.txt'")[0][0]
    b_ids = q(wh, "SELECT list(figure_id ORDER BY figure_id) FROM figures f JOIN bulletins USING (bulletin_id) "
                  "WHERE file_name = 'b.txt'")[0][0]

    a.write_text(page("缙云", 1) + "本报讯 缙云县公安局今年共破获各类刑事案件320起。\n", encoding="utf-8")
    report = ingest([src], wh, progress=False)
    assert report.new_snapshot
    outcome = {Path(f.path).name: f for f in report.files}
    assert outcome["a.txt"].outcome == "read" and "changed" in outcome["a.txt"].reason
    assert outcome["b.txt"].outcome == "unchanged"
    assert q(wh, "SELECT count(*) FROM figures WHERE bulletin_id = ?", [old_a])[0][0] == 0
    assert q(wh, "SELECT count(*) FROM bulletins WHERE bulletin_id = ?", [old_a])[0][0] == 0
    new_a = q(wh, "SELECT bulletin_id, n_figures FROM bulletins WHERE file_name = 'a.txt'")
    assert len(new_a) == 1 and new_a[0][0] != old_a
    assert new_a[0][1] == len(extract_lines(a))
    assert q(wh, "SELECT count(*) FROM figures WHERE bulletin_id = ?", [new_a[0][0]])[0][0] == new_a[0][1]
    assert q(wh, "SELECT list(figure_id ORDER BY figure_id) FROM figures f JOIN bulletins USING (bulletin_id) "
                 "WHERE file_name = 'b.txt'")[0][0] == b_ids


def test_touched_file_is_not_reread(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    a = write(src, "a.txt", page("缙云", 1))
    first = ingest([src], wh, progress=False)
    os.utime(a, (a.stat().st_atime, a.stat().st_mtime + 100))
    again = ingest([src], wh, progress=False)
    assert not again.new_snapshot
    assert again.files[0].outcome == "unchanged" and "content unchanged" in again.files[0].reason
    assert warehouse.current_snapshot(wh) == first.snapshot


def test_new_extractor_version_rereads_known_files(tmp_path, monkeypatch):
    from etl import extract
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "a.txt", page("缙云", 1))
    first = ingest([src], wh, progress=False)
    ids = sorted(r[0] for r in q(wh, "SELECT figure_id FROM figures"))
    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", str(getattr(extract, "EXTRACTOR_VERSION", "")) + "+next")
    again = ingest([src], wh, progress=False)
    assert again.new_snapshot and again.files[0].outcome == "read"
    assert "re-read with extractor" in again.files[0].reason
    # same bytes, same spans: the figure ids survive the upgrade
    assert sorted(r[0] for r in q(wh, "SELECT figure_id FROM figures")) == ids
    assert q(wh, "SELECT extractor FROM bulletins")[0][0].endswith("+next")
    assert again.snapshot != first.snapshot


def test_folders_recursive_with_manifest(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "缙云.txt", page("缙云", 1))
    write(src / "sub", "遂昌.txt", page("遂昌", 2))
    write(src, "notes.json", "{}")              # not a bulletin type: listed as skipped
    write(src, ".hidden.txt", page("松阳", 3))   # hidden files are skipped too
    (src / "manifest.csv").write_text(
        "file,published_on,publisher,region,url,synthetic\n"
        "缙云.txt,2025-01-08,丽水日报,缙云,https://example.org/a,false\n", encoding="utf-8")
    report = ingest([src], wh, progress=False)
    assert report.ok, [f.line for f in report.refused]
    assert sorted(Path(f.path).name for f in report.files if f.outcome == "read") == ["缙云.txt", "遂昌.txt"]
    assert [(Path(f.path).name, f.outcome) for f in report.files if f.outcome != "read"] == [("notes.json", "skipped")]
    rows = q(wh, "SELECT file_name, CAST(published_on AS VARCHAR), date_source, publisher, url "
                 "FROM bulletins ORDER BY file_name")
    by_name = {r[0]: r[1:] for r in rows}
    assert by_name["缙云.txt"] == ("2025-01-08", "manifest", "丽水日报", "https://example.org/a")
    assert by_name["遂昌.txt"][2] is None  # no manifest row: no publisher invented
    # figures carry the bulletin's date
    assert q(wh, "SELECT DISTINCT CAST(f.published_on AS VARCHAR) FROM figures f JOIN bulletins b "
                 "USING (bulletin_id) WHERE b.file_name = '缙云.txt'") == [("2025-01-08",)]


def test_synthetic_flag_from_manifest(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "demo1.txt", page("庆元", 7))
    (src / "manifest.csv").write_text("file,published_on,publisher,region,url,synthetic\n"
                                      "demo1.txt,2025-02-01,,,,true\n", encoding="utf-8")
    ingest([src], wh, progress=False)
    status = json.loads(run_cli("status", "--json", "--warehouse", wh).stdout)
    assert status["synthetic_bulletins"] == 1
    assert status["synthetic_figures"] == status["figures"] > 0


def test_runs_and_file_outcomes_are_recorded(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "a.txt", page("缙云", 1))
    write(src, "empty.txt", "")
    ingest([src], wh, progress=False)
    write(src, "b.txt", page("遂昌", 2))
    ingest([src], wh, progress=False)
    runs = q(wh, "SELECT run_id, n_read, n_unchanged, n_failed, snapshot FROM ingest_runs ORDER BY run_id")
    assert [r[:4] for r in runs] == [(1, 1, 0, 1), (2, 1, 1, 1)]
    assert runs[-1][4] == warehouse.current_snapshot(wh).name
    files = q(wh, "SELECT run_id, regexp_extract(path, '[^/]+$'), outcome, reason FROM ingest_files "
                  "ORDER BY run_id, path")
    assert [(r, n, o) for r, n, o, _ in files] == [
        (1, "a.txt", "read"), (1, "empty.txt", "failed"),
        (2, "a.txt", "unchanged"), (2, "b.txt", "read"), (2, "empty.txt", "failed")]
    assert all("empty" in reason for _, n, o, reason in files if o == "failed")


def test_warehouse_env_and_flag(tmp_path):
    env_wh, flag_wh, src = tmp_path / "env_wh", tmp_path / "flag_wh", tmp_path / "in"
    write(src, "a.txt", page("云和", 4))
    r = run_cli("ingest", src, env_extra={"PINGAN_WAREHOUSE": str(env_wh)})
    assert r.returncode == 0, r.stderr
    assert warehouse.current_snapshot(env_wh) is not None
    s = json.loads(run_cli("status", "--json", env_extra={"PINGAN_WAREHOUSE": str(env_wh)}).stdout)
    assert s["bulletins"] == 1 and s["warehouse"] == str(env_wh)
    r = run_cli("ingest", src, "--warehouse", flag_wh, env_extra={"PINGAN_WAREHOUSE": str(env_wh)})
    assert r.returncode == 0, r.stderr
    assert warehouse.current_snapshot(flag_wh) is not None
    out = json.loads(run_cli("sql", "SELECT count(*) AS n FROM ingest_runs", "--json",
                             env_extra={"PINGAN_WAREHOUSE": str(env_wh)}).stdout)
    assert out == [{"n": 1}]  # the flag's run did not touch the env's warehouse


def test_ingest_without_paths_is_a_usage_error(tmp_path):
    r = run_cli("ingest", "--warehouse", tmp_path / "wh")
    assert r.returncode == 2
    assert "at least one file" in r.stderr
    assert not (tmp_path / "wh").exists()


def test_missing_path_is_refused_rest_loads(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "a.txt", page("缙云", 1))
    r = run_cli("ingest", src, tmp_path / "nope.txt", "--warehouse", wh)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.txt" in lines[0] and "no such file" in lines[0]
    assert q(wh, "SELECT count(*) FROM bulletins")[0][0] == 1


def test_same_content_twice_in_one_run(tmp_path):
    wh, src = tmp_path / "wh", tmp_path / "in"
    write(src, "a.txt", page("缙云", 1))
    shutil.copy(src / "a.txt", src / "b.txt")
    report = ingest([src], wh, progress=False)
    assert [f.outcome for f in report.files] == ["read", "duplicate"]
    assert "a.txt" in report.files[1].reason
    assert q(wh, "SELECT count(*) FROM bulletins")[0][0] == 1
