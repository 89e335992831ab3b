"""Every bad input of issue 2 item 10, through `python -m etl ingest`.

Each case: a warehouse already holds one bulletin; a batch with one good bulletin and
one bad input is ingested. The bad input must give exactly one stderr line naming the
file and the reason, exit status 1, the good file must load, and what was stored before
must still be there.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from etl import warehouse
from support import query as q, run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def page(county: str, n: int) -> str:
    return (
        "丽水:\n"
        f"{county}公安：护航平安建设\n"
        "通讯员 吴峰\n"
        f"本报讯 去年以来，{county}县公安局牵头化解矛盾纠纷{800 + n}余起，"
        f"治安警情同比下降{20 + n}.3%，组建义警队伍{4 + n}支。\n"
    )


def pdf_without_text(path: Path) -> None:
    """A PDF whose page holds only drawings, like a scan with no OCR layer."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    pdf.line(20, 120, 180, 120)
    pdf.output(str(path))


def broken_docx(path: Path) -> None:
    """Starts like a zip (as a .docx does) but is cut off mid-archive."""
    tmp = path.with_suffix(".zip")
    with zipfile.ZipFile(tmp, "w") as z:
        z.writestr("word/document.xml", "<w:document>" + "平安" * 500 + "</w:document>")
    data = tmp.read_bytes()
    tmp.unlink()
    path.write_bytes(data[: len(data) // 2])


# name -> (file name, how to make it, words the reason must contain)
CASES = {
    "empty": ("空白.txt", lambda p: p.write_bytes(b""), "empty"),
    "whitespace": ("空格.txt", lambda p: p.write_text(" \n\t\r\n　　\n", encoding="utf-8"), "empty"),
    "binary": ("图片.txt", lambda p: p.write_bytes(bytes(range(256)) * 8), "binary"),
    "undecodable": ("乱码.txt",
                    lambda p: p.write_bytes("缙云公安".encode() + b"\xff\xfe\x80\x81\xff\x80" * 40),
                    "decode"),
    "broken_docx": ("损坏.docx", broken_docx, "docx"),
    "pdf_no_text": ("扫描件.pdf", pdf_without_text, "text layer"),
}


@pytest.fixture
def stored(tmp_path):
    """A warehouse that already holds one bulletin, and that bulletin's figure ids."""
    wh = tmp_path / "wh"
    before = tmp_path / "before"
    before.mkdir()
    first = before / "2025-01-06_缙云.txt"
    first.write_text(page("缙云", 1), encoding="utf-8")
    r = run_cli("ingest", before, "--warehouse", wh)
    assert r.returncode == 0, r.stderr
    ids = sorted(x[0] for x in q(wh, "SELECT figure_id FROM figures"))
    assert ids
    return wh, first, ids


def batch_with(tmp_path, name=None, make=None) -> tuple[Path, Path | None]:
    batch = tmp_path / "batch"
    batch.mkdir(exist_ok=True)
    (batch / "2025-01-07_遂昌.txt").write_text(page("遂昌", 2), encoding="utf-8")
    bad = None
    if name:
        bad = batch / name
        make(bad)
    return batch, bad


def assert_refused_one(r, needle: str, reason: str):
    assert r.returncode == 1, (r.stdout, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert needle in lines[0], lines[0]
    assert reason.lower() in lines[0].lower(), lines[0]


def assert_rest_loaded(wh, ids_before):
    names = {x[0] for x in q(wh, "SELECT file_name FROM bulletins")}
    assert names == {"2025-01-06_缙云.txt", "2025-01-07_遂昌.txt"}
    ids_now = {x[0] for x in q(wh, "SELECT figure_id FROM figures")}
    assert set(ids_before) <= ids_now                      # nothing stored before is lost
    assert len(ids_now) > len(ids_before)                  # the good file's figures came in


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_refused_rest_loads(tmp_path, stored, case):
    wh, _, ids = stored
    name, make, reason = CASES[case]
    batch, bad = batch_with(tmp_path, name, make)
    r = run_cli("ingest", batch, "--warehouse", wh)
    assert_refused_one(r, name, reason)
    assert_rest_loaded(wh, ids)
    # the refusal is on record with its reason
    rec = q(wh, "SELECT outcome, reason FROM ingest_files WHERE path LIKE ? ORDER BY run_id DESC",
            ["%" + name])
    assert rec and rec[0][0] == "failed" and reason.lower() in rec[0][1].lower()


@pytest.mark.parametrize("how", ["env", "flag"])
def test_over_size_cap(tmp_path, stored, how):
    wh, _, ids = stored
    batch, _ = batch_with(tmp_path)
    big = batch / "超大.txt"
    big.write_text(page("松阳", 3) * 60, encoding="utf-8")
    cap = (batch / "2025-01-07_遂昌.txt").stat().st_size + 100
    assert big.stat().st_size > cap
    if how == "env":
        r = run_cli("ingest", batch, "--warehouse", wh, env_extra={"PINGAN_MAX_BYTES": str(cap)})
    else:
        r = run_cli("ingest", batch, "--warehouse", wh, "--max-bytes", cap)
    assert_refused_one(r, "超大.txt", "cap")
    assert_rest_loaded(wh, ids)


def test_same_bulletin_under_another_name(tmp_path, stored):
    wh, first, ids = stored
    batch, _ = batch_with(tmp_path)
    (batch / "转载_缙云.txt").write_bytes(first.read_bytes())
    r = run_cli("ingest", batch, "--warehouse", wh)
    assert_refused_one(r, "转载_缙云.txt", "same content")
    assert str(first.name) in r.stderr  # the reason names the file already loaded
    assert_rest_loaded(wh, ids)


def test_malformed_manifest_row(tmp_path, stored):
    wh, _, ids = stored
    batch, _ = batch_with(tmp_path)
    (batch / "manifest.csv").write_text(
        "file,published_on,publisher,region,url\n"
        "2025-01-07_遂昌.txt,2025-01-09,丽水日报,遂昌,\n"
        "其他.txt,2025-13-45,丽水日报,,\n", encoding="utf-8")
    r = run_cli("ingest", batch, "--warehouse", wh)
    assert r.returncode == 1, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "manifest.csv" in lines[0] and "line 3" in lines[0], lines
    assert_rest_loaded(wh, ids)
    # the good row still applied
    assert q(wh, "SELECT CAST(published_on AS VARCHAR), date_source FROM bulletins "
                 "WHERE file_name = '2025-01-07_遂昌.txt'") == [("2025-01-09", "manifest")]


def test_known_file_gone_bad_keeps_its_rows(tmp_path, stored):
    """A file that was loaded and is now empty: refused, and its earlier rows are kept."""
    wh, first, ids = stored
    first.write_bytes(b"")
    r = run_cli("ingest", first.parent, "--warehouse", wh)
    assert_refused_one(r, first.name, "empty")
    assert "kept" in r.stderr
    assert sorted(x[0] for x in q(wh, "SELECT figure_id FROM figures")) == ids


def test_all_bad_leaves_snapshot_alone(tmp_path, stored):
    wh, _, ids = stored
    served = warehouse.current_snapshot(wh)
    batch = tmp_path / "bad_only"
    batch.mkdir()
    (batch / "空白.txt").write_bytes(b"")
    r = run_cli("ingest", batch, "--warehouse", wh)
    assert_refused_one(r, "空白.txt", "empty")
    assert warehouse.current_snapshot(wh) == served
    assert sorted(x[0] for x in q(wh, "SELECT figure_id FROM figures")) == ids


def test_folder_walk_lists_every_file_it_does_not_load(tmp_path):
    """Nothing vanishes: an old Word .doc in a folder is refused with its reason, and a
    data file beside the bulletins (a demo corpus's gold.jsonl) is listed as skipped."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2025-01-08_a.txt").write_text(page("缙云", 1), encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (folder / "gold.jsonl").write_text("{}\n", encoding="utf-8")
    wh = tmp_path / "wh"
    r = run_cli("ingest", folder, "--warehouse", wh)
    assert r.returncode == 1, r.stderr
    refused = [line for line in r.stderr.splitlines() if "old.doc" in line]
    assert len(refused) == 1 and "unsupported" in refused[0].lower()
    assert "gold.jsonl" not in r.stderr  # skipped is not refused
    rows = dict(q(wh, "SELECT regexp_extract(path, '[^/]+$'), outcome FROM ingest_files"))
    assert rows == {"2025-01-08_a.txt": "read", "old.doc": "failed", "gold.jsonl": "skipped"}
