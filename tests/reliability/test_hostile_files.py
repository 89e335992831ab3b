"""A generated folder of hostile files through `python -m etl ingest` (issue 12, item 1b).

One run over one folder: every bad input of tests/test_bad_input.py, plus a zip-bomb .docx,
an encrypted PDF, a PDF whose text layer is glyph codes, a 200 MB (sparse) text file, a
named pipe, deeply nested HTML, a page with 10,000 links, odd file names, a symlink loop,
a symlink out of the folder, a GBK manifest with a row pointing outside the folder.
Each is refused by name with its reason, or loaded; the good files all load; every
refusal is exactly one line of stderr even when the file name holds a newline.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from etl import parallel
from etl.ingest import ingest
from etl.readers import MAX_UNZIPPED_BYTES, read_document, ReadError
from support import query as q, run_cli
from test_bad_input import CASES as BAD_INPUT_CASES

pytestmark = pytest.mark.reliability

BIG = 200 * 1024 * 1024


def page(county: str, n: int) -> str:
    return ("丽水:\n"
            f"{county}公安：护航平安建设{n}\n"
            "通讯员 吴峰\n"
            f"本报讯 去年以来，{county}县公安局牵头化解矛盾纠纷{800 + n}余起，"
            f"治安警情同比下降{20 + n % 50}.3%，组建义警队伍{4 + n}支。\n")


def zip_bomb_docx(path: Path) -> None:
    """A real .docx whose document.xml holds 300 MB of spaces: about 300 KB on disk."""
    import docx
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(page("缙云", 99))
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    xml = src.read("word/document.xml")
    cut = xml.index(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, src.read(info.filename))
                continue
            member = zipfile.ZipInfo("word/document.xml")
            member.compress_type = zipfile.ZIP_DEFLATED
            with z.open(member, "w", force_zip64=True) as w:
                w.write(xml[:cut])
                spaces = b" " * (1 << 20)
                for _ in range(300):
                    w.write(spaces)
                w.write(xml[cut:])


def encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Police bulletin 2025: 800 disputes resolved")
    pdf.output(str(path))


def glyph_code_pdf(path: Path) -> None:
    """A PDF with a text layer whose font maps codes to made-up glyph names: the text
    comes out as (cid:1)(cid:2)…, which is no text at all."""
    content = b"BT /F1 24 Tf 72 700 Td <0102030405060708090a> Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/Differences [1 /g01 /g02 /g03 /g04 /g05 /g06 /g07 /g08 /g09 /g10] >> >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def sparse(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)


def html_page(body: str) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>"


#: files that must load (name -> text); each with its own figures
GOOD = {
    "2025-01-07_遂昌.txt": page("遂昌", 1),
    "with space 空 格.txt": page("松阳", 2),
    "-leading-dash.txt": page("庆元", 3),
    "名称\n换行.txt": page("云和", 4),
    "ünï çødé 😀.md": page("青田", 5),
    "outside.txt": page("龙泉", 6),       # same name as the manifest's ../outside.txt row
    "deep.html": None,                    # filled below
    "links.html": None,
}
DEPTH = 5000
GOOD["deep.html"] = html_page("<div>" * DEPTH + f"<p>{page('景宁', 7)}</p>" + "</div>" * DEPTH)
GOOD["links.html"] = html_page(f"<p>{page('莲都', 8)}</p>" + "".join(
    f'<a href="/news/{i}.html">链接{i}</a> ' for i in range(10_000)))

#: refused files: name -> words the reason must hold (made in `hostile_folder`)
REFUSED = {name: reason for name, (_, _, reason) in
           ((v[0], v) for v in BAD_INPUT_CASES.values())}
REFUSED.update({
    "炸弹.docx": "zip bomb",
    "加密.pdf": "password",
    "乱码层.pdf": "no unicode mapping",
    "超大.txt": "over the 20.0 mb cap",
    "管道.txt": "not a regular file",
    "外链.txt": "outside the folder",
    "loop.txt": "too many levels of symbolic links",
    "loop2.txt": "too many levels of symbolic links",
    "转载_遂昌.txt": "same content",
})


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, make, _ in BAD_INPUT_CASES.values():
        make(folder / name)
    zip_bomb_docx(folder / "炸弹.docx")
    encrypted_pdf(folder / "加密.pdf")
    glyph_code_pdf(folder / "乱码层.pdf")
    sparse(folder / "超大.txt", BIG)
    os.mkfifo(folder / "管道.txt")
    secret = root / "secret.txt"
    secret.write_text(page("secret", 9), encoding="utf-8")
    (folder / "外链.txt").symlink_to(secret)
    (folder / "loop.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop.txt")
    (folder / "转载_遂昌.txt").write_bytes((folder / "2025-01-07_遂昌.txt").read_bytes())
    # a manifest as Excel on a Chinese Windows saves it: GBK
    (folder / "manifest.csv").write_bytes(
        ("file,published_on,publisher,region,url\n"
         "2025-01-07_遂昌.txt,2025-03-01,丽水日报,遂昌,\n"
         "../outside.txt,2025-03-02,冒名日报,,\n").encode("gbk"))
    return folder


@pytest.fixture(scope="module")
def hostile_run(hostile_folder, tmp_path_factory):
    wh = tmp_path_factory.mktemp("hostile_wh")
    r = run_cli("ingest", hostile_folder, "--warehouse", wh, "--workers", "1", "--no-progress",
                timeout=300)
    return wh, r


def test_every_hostile_file_refused_by_name_the_rest_loads(hostile_run):
    wh, r = hostile_run
    assert r.returncode == 1, (r.stdout[-2000:], r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    # one line per refused file, plus the manifest's one problem: no more (a file name
    # with a newline must not split its line), no fewer
    assert len(lines) == len(REFUSED) + 1, lines
    for name, reason in REFUSED.items():
        mine = [ln for ln in lines if f"/{name}:" in ln]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0].lower(), mine[0]
    rows = dict(q(wh, "SELECT regexp_extract(path, '[^/]+$'), outcome FROM ingest_files"))
    for name in REFUSED:
        assert rows.get(name) in ("failed", "duplicate"), (name, rows.get(name))
    loaded = {x[0] for x in q(wh, "SELECT file_name FROM bulletins")}
    assert loaded == set(GOOD), loaded ^ set(GOOD)
    per_file = dict(q(wh, "SELECT file_name, n_figures FROM bulletins"))
    assert all(per_file[n] >= 3 for n in GOOD), per_file
    assert "secret" not in " ".join(x[0] for x in q(wh, "SELECT DISTINCT county FROM figures "
                                                       "WHERE county IS NOT NULL"))


def test_gbk_manifest_applies_and_outside_row_refused(hostile_run):
    wh, r = hostile_run
    manifest_lines = [ln for ln in r.stderr.splitlines() if "manifest.csv" in ln]
    assert len(manifest_lines) == 1 and "line 3" in manifest_lines[0]
    assert "outside the manifest's folder" in manifest_lines[0]
    assert q(wh, "SELECT CAST(published_on AS VARCHAR), publisher, date_source FROM bulletins "
                 "WHERE file_name = '2025-01-07_遂昌.txt'") == [("2025-03-01", "丽水日报", "manifest")]
    # the ../outside.txt row must not land on the folder's own outside.txt by its name
    (pub, src), = q(wh, "SELECT publisher, date_source FROM bulletins WHERE file_name = 'outside.txt'")
    assert pub != "冒名日报" and src != "manifest"


def test_odd_names_are_stored_as_they_are(hostile_run):
    wh, _ = hostile_run
    names = {x[0] for x in q(wh, "SELECT file_name FROM bulletins")}
    assert "名称\n换行.txt" in names and "-leading-dash.txt" in names
    assert "with space 空 格.txt" in names and "ünï çødé 😀.md" in names


def _rchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_size_cap_is_checked_before_reading(tmp_path):
    """The 200 MB file is refused from stat(): this process reads (almost) none of it."""
    big = tmp_path / "超大.txt"
    sparse(big, BIG)
    before = _rchar()
    with pytest.raises(ReadError, match="cap"):
        read_document(big)
    assert _rchar() - before < 1024 * 1024


def test_zip_bomb_refused_before_inflating(tmp_path):
    bomb = tmp_path / "bomb.docx"
    zip_bomb_docx(bomb)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    assert sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) > MAX_UNZIPPED_BYTES
    with pytest.raises(ReadError, match="zip bomb"):
        read_document(bomb)


class _DeletesFirst(parallel.SerialRunner):
    """The real serial engine, but a file disappears after discovery and before it is read
    (a user tidying the folder during a long run)."""

    def __init__(self, victim: Path):
        self.victim = victim

    def run(self, chunks):
        self.victim.unlink()
        yield from super().run(chunks)


def test_file_deleted_mid_ingest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, county in enumerate(["缙云", "遂昌", "松阳"]):
        (folder / f"b{i}.txt").write_text(page(county, i), encoding="utf-8")
    victim = folder / "b1.txt"
    wh = tmp_path / "wh"
    report = ingest([folder], wh, progress=False, runner=_DeletesFirst(victim))
    refused = {Path(f.path).name: f.reason for f in report.refused}
    assert refused == {"b1.txt": "file not found"}
    assert sorted(x[0] for x in q(wh, "SELECT file_name FROM bulletins")) == ["b0.txt", "b2.txt"]
