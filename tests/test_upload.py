"""Import from the browser, its logic (dashboard.upload) on a real warehouse: preview, the
inbox, ingest with the command line's rules, the ingest lock, and file names."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import upload
from etl import warehouse as etl_warehouse
from support import query

DOCX_TEXT = ["景宁公安推进“村警”建设", "本报讯 今年以来，景宁畲族自治县公安局组建巡逻队伍23支，化解矛盾纠纷415起。"]
GB_TEXT = "云和公安\n\n本报讯 今年以来，云和县公安局劝阻电信诈骗群众1260人，破获刑事案件87起。\n"


def docx_bytes(tmp_path: Path) -> bytes:
    from docx import Document
    doc = Document()
    for line in DOCX_TEXT:
        doc.add_paragraph(line)
    p = tmp_path / "x.docx"
    doc.save(p)
    return p.read_bytes()


@pytest.fixture
def uploads(tmp_path):
    return [("2024-04-02_景宁公安.docx", docx_bytes(tmp_path)),
            ("2024-04-03_云和公安.txt", GB_TEXT.encode("gb18030")),
            ("损坏的简报.docx", b"PK\x03\x04 this is not a zip archive")]


def test_preview_then_commit_adds_figures_and_refuses_the_broken_file(warehouse_copy, uploads):
    wh = warehouse_copy
    before = query(wh, "SELECT count(*) FROM figures_effective")[0][0]
    snap_before = etl_warehouse.current_snapshot(wh).name
    folder, files = upload.stage(wh, uploads)
    files = upload.preview(folder, files)
    by = {f.given: f for f in files}
    assert by["损坏的简报.docx"].refused and "损坏" not in by["损坏的简报.docx"].refused
    docx = by["2024-04-02_景宁公安.docx"]
    assert {(f["raw"], f["county"]) for f in docx.figures} >= {("23支", "景宁畲族自治县"), ("415起", "景宁畲族自治县")}
    gb = by["2024-04-03_云和公安.txt"]
    assert "1260人" in {f["raw"] for f in gb.figures}
    # nothing is in the warehouse yet
    assert etl_warehouse.current_snapshot(wh).name == snap_before

    dest, report = upload.commit(wh, folder, files, "zhang")
    assert report is not None and report.new_snapshot
    assert dest.parent == wh / "inbox" and sorted(p.name for p in dest.iterdir()) == [
        "2024-04-02_景宁公安.docx", "2024-04-03_云和公安.txt"]
    assert not folder.exists()
    after = query(wh, "SELECT count(*) FROM figures_effective")[0][0]
    assert after >= before + 4
    got = {r[0] for r in query(wh, "SELECT raw FROM v_figures WHERE source LIKE ?", [f"%{dest.name}%"])}
    assert {"23支", "415起", "1260人", "87起"} <= got
    # dates from the file names, as the CLI does
    assert query(wh, "SELECT DISTINCT published_on::VARCHAR FROM figures WHERE source LIKE ? ORDER BY 1",
                 ["%2024-04-02_景宁公安.docx"]) == [("2024-04-02",)]


def test_a_second_import_while_one_runs_keeps_the_files(warehouse_copy, uploads):
    wh = warehouse_copy
    folder, files = upload.stage(wh, uploads[1:2])
    files = upload.preview(folder, files)
    with etl_warehouse.writer_lock(wh):  # another ingest is running
        dest, report = upload.commit(wh, folder, files, "li")
    assert report is None
    assert (dest / "2024-04-03_云和公安.txt").read_bytes() == uploads[1][1]
    report = upload.ingest_inbox(wh, dest)  # tried again once the other one is done
    assert report is not None and report.figures_added >= 2


def test_oversize_and_unknown_types_are_refused_with_a_reason(warehouse_copy, monkeypatch):
    monkeypatch.setenv("PINGAN_MAX_BYTES", "100")
    folder, files = upload.stage(warehouse_copy, [("big.txt", "缙云".encode() * 100), ("data.xls", b"x")])
    files = upload.preview(folder, files)
    assert "size cap" in files[0].refused
    assert "not a bulletin file type (.xls)" in files[1].refused
    with pytest.raises(upload.UploadError):
        upload.commit(warehouse_copy, folder, files, "zhang")


@pytest.mark.parametrize("given, stored", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    (".hidden.txt", "hidden.txt"),
    ("2024-01-05_缙云公安.txt", "2024-01-05_缙云公安.txt"),
    ("a<b>:c|d?.txt", "a_b__c_d_.txt"),
    ("", "upload"),
])
def test_names_are_sanitised_and_stay_inside_the_inbox(given, stored, tmp_path):
    assert upload.sanitise(given) == stored
    folder, files = upload.stage(tmp_path, [(given, b"x")])
    assert (folder / files[0].name).resolve().is_relative_to((tmp_path / "inbox").resolve())


def test_refusals_read_in_the_pages_language_without_server_paths(warehouse_copy, uploads):
    """Real refusals (the readers' and the ingest's own reasons) as the Import page words them."""
    import re
    from dashboard import i18n
    wh = warehouse_copy
    bad = [("损坏的简报.docx", uploads[2][1]), ("空白.pdf", b"%PDF-1.4\n%%EOF\n"), ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
           ("乱码.txt", bytes(range(0x80, 0x100)) * 4), ("说明.doc", b"\xd0\xcf\x11\xe0 old word")]
    folder, files = upload.stage(wh, bad)
    files = upload.preview(folder, files)
    reasons = {f.given: f.refused for f in files}
    assert all(reasons.values()), reasons
    for name, reason in reasons.items():
        zh = i18n.refusal(reason, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[A-Za-z]{4,}", zh.replace("Word", "")), (name, zh)
        assert i18n.refusal(reason, "en") == reason
    upload.discard(folder)
    # a file imported twice: the ingest names the first copy by its server path; staff see its name
    for _ in range(2):
        folder, files = upload.stage(wh, uploads[1:2])
        _, report = upload.commit(wh, folder, upload.preview(folder, files), "li")
    (dup,) = [f for f in report.files if f.outcome == "duplicate"]
    assert str(wh) in dup.reason
    for lang in ("zh", "en"):
        words = i18n.refusal(dup.reason, lang)
        assert "2024-04-03_云和公安.txt" in words and "/" not in words, words
