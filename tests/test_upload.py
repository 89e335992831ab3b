"""Import from the browser, its logic (dashboard.upload) on a real warehouse: preview, the
inbox, ingest with the command line's rules, the ingest lock, and file names."""
from __future__ import annotations

import re
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
    assert dest.parent == wh / "inbox" and sorted(p.name for p in dest.iterdir() if p.name[0] != ".") == [
        "2024-04-02_景宁公安.docx", "2024-04-03_云和公安.txt"]
    assert sorted(p.name for p in dest.iterdir() if p.name[0] == ".") == [".ingested.json", ".upload.json"]
    assert not folder.exists()
    after = query(wh, "SELECT count(*) FROM figures_effective")[0][0]
    assert after >= before + 4
    got = {r[0] for r in query(wh, "SELECT raw FROM v_figures WHERE source LIKE ?", [f"%{dest.name}%"])}
    assert {"23支", "415起", "1260人", "87起"} <= got
    # dates from the file names, as the CLI does
    assert query(wh, "SELECT DISTINCT published_on::VARCHAR FROM figures WHERE source LIKE ? ORDER BY 1",
                 ["%2024-04-02_景宁公安.docx"]) == [("2024-04-02",)]


def test_a_second_import_while_one_runs_keeps_the_files(warehouse_copy, uploads):
    """Kept, listed as never ingested (who, when, which files, what the preview refused)
    until an ingest of that folder runs to its end; then the record says so."""
    import datetime as dt
    wh = warehouse_copy
    folder, files = upload.stage(wh, uploads[1:])
    files = upload.preview(folder, files)
    with etl_warehouse.writer_lock(wh):  # another ingest is running
        dest, report = upload.commit(wh, folder, files, "李四")
        assert upload.ingest_inbox(wh, dest, "李四") is None       # still running: still kept
    assert report is None
    assert (dest / "2024-04-03_云和公安.txt").read_bytes() == uploads[1][1]
    (k,) = upload.kept(wh)
    assert k.folder == dest and k.by == "李四"
    assert abs(dt.datetime.fromisoformat(k.at) - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    assert k.files == [("2024-04-03_云和公安.txt", len(uploads[1][1]))]
    assert [g for g, _ in k.refused] == ["损坏的简报.docx"] and "broken .docx" in k.refused[0][1]
    report = upload.ingest_inbox(wh, dest, "王五")  # tried again once the other one is done
    assert report is not None and report.figures_added >= 2
    assert upload.kept(wh) == []
    import json
    done = json.loads((dest / upload.INGESTED).read_text(encoding="utf-8"))
    assert done["by"] == "王五" and done["files"] == {"2024-04-03_云和公安.txt": "read"}
    # a folder from before these records: ingested when the warehouse's record names its files
    (dest / upload.INGESTED).unlink()
    (dest / upload.UPLOAD_RECORD).unlink()
    assert upload.kept(wh) == []
    old = wh / "inbox" / "20240101T080000-wang-0a1b2c"
    old.mkdir()
    (old / "a.txt").write_text("缙云", encoding="utf-8")
    (k,) = upload.kept(wh)
    assert (k.folder, k.by, k.at, k.files) == (old, "wang", "2024-01-01T08:00:00+00:00", [("a.txt", 6)])


def test_a_kept_folder_is_discarded_alone_and_never_while_an_ingest_runs(warehouse_copy, uploads):
    import json
    wh = warehouse_copy
    dests = []
    with etl_warehouse.writer_lock(wh):
        for up in (uploads[1:2], uploads[:1]):
            folder, files = upload.stage(wh, up)
            dests.append(upload.commit(wh, folder, upload.preview(folder, files), "李四")[0])
        with pytest.raises(upload.UploadError) as busy:   # an ingest may be reading them
            upload.discard_kept(wh, dests[0], "张三")
    assert busy.value.key == "up_discard_busy" and dests[0].is_dir()
    staged, _ = upload.stage(wh, uploads[1:2])             # somebody's upload in preview
    folder, files = upload.stage(wh, uploads[2:3] + [("2024-05-01_庆元公安.txt", "庆元县公安局破获刑事案件9起。".encode())])
    ingested, report = upload.commit(wh, folder, upload.preview(folder, files), "王五")
    assert report is not None
    inbox_before = sorted(p.name for p in (wh / "inbox").iterdir())

    assert upload.discard_kept(wh, dests[0], "张三") == ["2024-04-03_云和公安.txt"]
    assert not dests[0].exists()
    assert {p.name for p in (wh / "inbox").iterdir()} == set(inbox_before) - {dests[0].name} | {upload.DISCARDED_LOG}
    assert staged.is_dir() and dests[1].is_dir() and ingested.is_dir()
    (line,) = (wh / "inbox" / upload.DISCARDED_LOG).read_text(encoding="utf-8").splitlines()
    rec = json.loads(line)
    assert (rec["folder"], rec["by"], rec["files"]) == (dests[0].name, "张三", ["2024-04-03_云和公安.txt"])
    assert [k.folder for k in upload.kept(wh)] == [dests[1]]

    for target, key in ((ingested, "up_discard_ingested"), (dests[0], "up_not_kept"), (staged, "up_not_kept"),
                        (wh / "inbox", "up_not_kept"), (wh, "up_not_kept"), (wh / "inbox" / "..", "up_not_kept")):
        with pytest.raises(upload.UploadError) as refused:
            upload.discard_kept(wh, target, "张三")
        assert refused.value.key == key, target
    assert ingested.is_dir() and staged.is_dir() and (wh / "CURRENT").is_file()


def test_manifest_notes_read_in_the_pages_language_without_server_paths(warehouse_copy, uploads):
    """Every kind of manifest problem etl.manifest reports, as the Import page words it in its
    preview and in the report after the ingest."""
    import re
    from dashboard import i18n
    wh = warehouse_copy
    manifest = "\n".join([
        "file,published_on,publisher,region,url,synthetic",
        "2024-04-03_云和公安.txt,2024-04-05,云和县公安局,云和,,",
        "short.txt,2024-01-01",
        ",2024-01-01,x,y,,",
        "a.txt,2024-13-45,x,y,,",
        "b.txt,2024-01-01,x,y,,perhaps",
        "../../etc/passwd,2024-01-01,x,y,,",
        "2024-04-03_云和公安.txt,2024-04-06,x,y,,",
    ]).encode("gb18030")
    folder, files = upload.stage(wh, uploads[1:2] + [("manifest.csv", manifest)])
    files = upload.preview(folder, files)
    (m,) = [f for f in files if f.is_manifest]
    assert m.manifest_rows == 1 and len(m.notes) == 6
    assert all(str(wh) in n for n in m.notes)              # etl's own lines name the server path
    # column names and true/false are the manifest's own words; “…” quotes what staff typed
    allowed = r"“[^”]*”|manifest\.csv|file|published_on|publisher|region|url|synthetic|true|false"
    zh = [i18n.manifest_note(n, "zh") for n in m.notes]
    assert zh[0] == "manifest.csv 第 3 行：有 2 个字段，表头有 6 个，该行未采用", zh
    assert "manifest.csv 第 7 行：文件“../../etc/passwd”指向 manifest.csv 所在文件夹之外" in zh[4]
    for note in zh:
        assert note.startswith("manifest.csv 第 ") and note.endswith("，该行未采用"), note
        assert "/tmp" not in note and "inbox" not in note and "staging" not in note, note
        assert not re.search(r"[A-Za-z]{4,}", re.sub(allowed, "", note)), note
    en = [i18n.manifest_note(n, "en") for n in m.notes]
    assert en[0] == "manifest.csv line 3: has 2 fields where the header has 6; line ignored"
    # “…” quotes what staff typed (a file name may be Chinese); the rest is English words
    assert not [n for n in en if re.search(r"[\u4e00-\u9fff]|published_on|row ignored|YYYY", re.sub(r"“[^”]*”", "", n))], en
    assert all(str(wh) not in n and "inbox" not in n for n in en)
    # the same problems in the report after the ingest (the ingest names the inbox's manifest)
    _, report = upload.commit(wh, folder, files, "李四")
    problems = [f for f in report.files if f.path.endswith("manifest.csv")]
    assert len(problems) == 6 and all(str(wh) in f.reason for f in problems)
    for f in problems:
        words = i18n.refusal(f.reason, "zh")
        assert re.match(r"第 \d+ 行：", words) and "inbox" not in words and "/" not in words.replace("../../etc/", ""), words
        assert str(wh) not in i18n.refusal(f.reason, "en")
    # the manifest applied to its good row
    from support import query
    assert query(wh, "SELECT DISTINCT published_on::VARCHAR FROM figures WHERE source LIKE ?",
                 ["%/inbox/%云和公安.txt"]) == [("2024-04-05",)]


def test_every_reason_the_import_page_shows_is_in_its_language():
    """Reasons the readers and the ingest give (etl/readers.py, ingest.py, parallel.py), worded."""
    import re
    from dashboard import i18n
    reasons = ["empty file", "empty file (no text in the pdf)", "file is 3.0 MB, over the 2.0 MB cap",
               "unsupported file type .doc (old Word format: save it as .docx)",
               "unsupported file type .key; expected .txt .html .htm .docx .pdf",
               "is a directory, not a file", "not a regular file (a pipe, socket or device)", "file not found",
               "permission denied", "cannot read: Input/output error", "no such file or folder",
               "could not be read (OSError: boom)", "rows could not be stored (IOException: x)",
               "extractor gave duplicate or missing figure_id", "the worker process died while reading",
               "content unchanged (only the file time changed)", "re-read with extractor 2026 (was 2025)",
               "changed since last ingest; replaced 4 figures",
               "symbolic link to /etc/passwd, outside the folder /srv/wh/inbox/x: not followed",
               "something nobody has worded yet"]
    for reason in reasons:
        zh = i18n.refusal(reason, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[A-Za-z]{5,}", zh), (reason, zh)
    en = i18n.refusal(reasons[-2], "en")
    assert "/etc" not in en and "/srv" not in en and "passwd" in en


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
        en = i18n.refusal(reason, "en")     # the reader's words, not the ingest's ("broken .docx: …")
        assert en and en != reason and not re.search(r"[\u4e00-\u9fff]", en), (name, reason, en)
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


def test_import_page_lists_kept_folders_and_ingests_or_discards_them(warehouse_copy, uploads, monkeypatch, tmp_path):
    """The real page (AppTest): who uploaded which files when (Beijing time), discard only
    after a confirmation and only that folder, ingest the other with the per-file report."""
    import datetime as dt
    import hashlib
    from zoneinfo import ZoneInfo

    from streamlit.testing.v1 import AppTest

    from support import ROOT, query
    wh = warehouse_copy
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "no_accounts.sqlite"))   # open, one admin
    monkeypatch.delenv("PINGAN_TZ", raising=False)
    dests = []
    with etl_warehouse.writer_lock(wh):          # both imports found another one running
        for up in (uploads[1:], uploads[:1]):
            folder, files = upload.stage(wh, up)
            dests.append(upload.commit(wh, folder, upload.preview(folder, files), "李四")[0])
    keys = [hashlib.sha1(d.name.encode()).hexdigest()[:10] for d in dests]

    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [h.value for h in at.subheader][:1] == ["已保存但尚未导入的文件"]
    heads = [m.value.replace("\\", "") for m in at.markdown if "上传，" in m.value]   # markdown-escaped
    for k, head in zip(upload.kept(wh), heads):
        when = dt.datetime.fromisoformat(k.at).astimezone(ZoneInfo("Asia/Shanghai"))
        assert f"inbox/{k.folder.name}：李四 于 " in head, head
        assert f"{when:%Y-%m-%d %H:}" in head and "（北京时间）上传，1 个文件" in head, head
    assert len(heads) == 2
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "2024-04-03_云和公安.txt（" in captions and "2024-04-02_景宁公安.docx（" in captions
    assert "上传时未能导入：损坏的简报.docx（Word 文件已损坏" in captions
    shown = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error))
    assert str(wh) not in shown and str(tmp_path) not in shown

    # discard asks first; cancel keeps the files
    def asks():
        return [w.value for w in at.warning if w.value.startswith("确定放弃")]
    at.button(key=f"up_kept_discard_{keys[0]}").click().run()
    assert asks() == [f"确定放弃 inbox/{dests[0].name} 中的 1 个文件？这些文件将被删除，"
                      "无法恢复；已导入数据仓库的数据不受影响。"]
    at.button(key=f"up_discard_no_{keys[0]}").click().run()
    assert not asks() and dests[0].is_dir()
    at.button(key=f"up_kept_discard_{keys[0]}").click().run()
    at.button(key=f"up_discard_yes_{keys[0]}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not dests[0].exists() and dests[1].is_dir()
    assert [s.value for s in at.success] == [f"已放弃 inbox/{dests[0].name}（1 个文件）。"]

    # the other is ingested with the same rules, and the page shows the per-file report
    snap = (wh / "CURRENT").read_text()
    at.button(key=f"up_kept_ingest_{keys[1]}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert (wh / "CURRENT").read_text() != snap and upload.kept(wh) == []
    assert any("导入完成" in s.value for s in at.success)
    report = at.table[0].value
    report = report.data if hasattr(report, "data") else report
    assert list(report["文件"]) == ["2024-04-02_景宁公安.docx"] and list(report["结果"]) == ["已导入"]
    assert "已保存但尚未导入的文件" not in [h.value for h in at.subheader]
    assert {"23支", "415起"} <= {r[0] for r in query(wh, "SELECT raw FROM figures_effective WHERE source LIKE ?",
                                                    [f"%{dests[1].name}%"])}


#: the ingest's own words, which a reader of the import report never sees in either language
RAW_INGEST = re.compile(r"broken \.docx|published_on|row ignored|manifest ignored|already loaded|figure_id|"
                        r"extractor|worker process|YYYY|^(read|failed|duplicate|unchanged|skipped)$")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_import_report_reads_wholly_in_the_pages_language(warehouse_copy, uploads, monkeypatch, tmp_path, lang):
    """The Import page after an ingest (AppTest, the real page): the message and every outcome and
    reason of the per-file report in the page's language, none of the ingest's own terms; only
    the files' own names keep their script."""
    import hashlib

    from streamlit.testing.v1 import AppTest

    from support import ROOT
    wh = warehouse_copy
    monkeypatch.setenv("PINGAN_WAREHOUSE", str(wh))
    monkeypatch.setenv("PINGAN_ACCOUNTS", str(tmp_path / "no_accounts.sqlite"))
    manifest = ("file,published_on,publisher,region,url\n"
                "2024-04-03_云和公安.txt,2024-13-01,云和新闻网,云和,\n../外部.txt,2024-04-01,某局,云和,\n").encode()
    batch = uploads + [("空白.txt", b"   \n"), ("manifest.csv", manifest)]
    with etl_warehouse.writer_lock(wh):          # kept in the inbox, then ingested from the page
        folder, files = upload.stage(wh, batch)
        dest, _ = upload.commit(wh, folder, upload.preview(folder, files), "li")
    # the same text again: a duplicate of a file the warehouse already holds
    with etl_warehouse.writer_lock(wh):
        folder, files = upload.stage(wh, uploads[1:2])
        dup, _ = upload.commit(wh, folder, upload.preview(folder, files), "li")
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    import pandas as pd
    tables, said = [], []
    for d in (dest, dup):          # each ingest shows its own report
        at.button(key=f"up_kept_ingest_{hashlib.sha1(d.name.encode()).hexdigest()[:10]}").click().run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.table, [a.value for a in (*at.success, *at.warning, *at.info, *at.error)]
        shown = at.table[0].value
        tables.append(shown.data if hasattr(shown, "data") else shown)
        said += [str(a.value) for a in (*at.success, *at.warning)]
    report = pd.concat(tables, ignore_index=True)
    file_col, *rest = list(report.columns)
    assert len(report) >= 6, report
    said += list(report.columns) + [str(v) for c in rest for v in report[c] if str(v)]
    names = set(report[file_col])
    raw = [x for x in said if RAW_INGEST.search(x)]
    assert not raw, raw
    if lang == "en":
        # what staff named or typed keeps its script: a file's name, a “quoted” manifest value
        unnamed = [re.sub(r"“[^”]*”|" + "|".join(re.escape(n) for n in names), "", x) for x in said]
        han = [x for x in unnamed if re.search(r"[\u4e00-\u9fff]", x)]
        assert not han, han
        assert {"imported", "duplicate, not imported", "not imported"} <= set(report[rest[0]]), set(report[rest[0]])
    else:
        allowed = r"manifest\.csv|Word|UTF-8|GB18030|\.txt|\.docx|" + "|".join(re.escape(n) for n in names)
        latin = [x for x in said if re.search(r"[A-Za-z]{4,}", re.sub(allowed, "", x))]
        assert not latin, latin
        assert {"已导入", "重复文件，未导入", "未能导入"} <= set(report[rest[0]]), set(report[rest[0]])
