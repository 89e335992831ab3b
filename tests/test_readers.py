"""Reading every input format into offset-stable text, and refusing bad files clearly.

Each fixture is built here, in tmp_path, from sentences written for these tests. The
offset checks matter because every stored figure points into Document.text: if the
reader shifted a single character, every figure after it would point at the wrong text.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from etl.readers import Document, ReadError, read_document, supported

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "bulletins" / "000_1e017a13c27fd9e2.txt"

HEAD = "丽水:\n\n“网格+警格”织密平安网\n\n通讯员 陈晓\n\n"
LEAD = "本报讯 去年以来，青田公安牵头化解各类纠纷"
FIGURE = "2100余起"
TAIL = "，辖区刑事警情同比下降18.5%。\n\n该局无人机中队现有无人机５架。\n"


def _check_span(doc: Document, figure: str, expected_start: int) -> None:
    """The figure sits where the independently built text says it does."""
    assert doc.text.find(figure) == expected_start
    assert doc.text[expected_start:expected_start + len(figure)] == figure


def _check_identity(doc: Document, path: Path, fmt: str) -> None:
    raw = path.read_bytes()
    assert doc.format == fmt
    assert doc.bulletin_id == hashlib.sha256(raw).hexdigest()[:16]
    assert doc.size_bytes == len(raw)
    assert doc.mtime == pytest.approx(path.stat().st_mtime)
    assert doc.path == str(path)


# ------------------------------------------------------------------ .txt

@pytest.mark.parametrize("encoding, bom, recorded", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be", b"\xfe\xff", "utf-16"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
])
def test_txt_encodings_keep_offsets(tmp_path, encoding, bom, recorded):
    text = HEAD + LEAD + FIGURE + TAIL
    path = tmp_path / f"bulletin_{encoding}.txt"
    raw = bom + text.encode(encoding)
    path.write_bytes(raw)

    doc = read_document(path)

    assert doc.encoding == recorded
    # the contract checker decodes the raw bytes the same way: offsets must agree with it
    assert doc.text == raw.decode(recorded)
    assert doc.text == text
    _check_span(doc, FIGURE, len(HEAD + LEAD))
    _check_span(doc, "５架", text.index("５架"))
    _check_identity(doc, path, "txt")


def test_txt_crlf_is_not_translated(tmp_path):
    prefix = HEAD.replace("\n", "\r\n") + LEAD
    text = prefix + FIGURE + TAIL.replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))

    doc = read_document(path)

    assert "\r\n" in doc.text and doc.text.count("\r") == text.count("\r")
    _check_span(doc, FIGURE, len(prefix))   # len(prefix) counts every \r


def test_txt_gb18030_four_byte_character_counts_once(tmp_path):
    # 𡈼 is outside GBK: GB18030 encodes it in four bytes, Python counts one character
    prefix = "𡈼村警务室牵头调处矛盾"
    text = prefix + "１２０起，群众满意率99.2%。"
    path = tmp_path / "gb18030.txt"
    raw = text.encode("gb18030")
    path.write_bytes(raw)

    doc = read_document(path)

    assert doc.encoding == "gb18030"
    assert doc.text == raw.decode("gb18030")
    _check_span(doc, "１２０起", len(prefix))
    _check_span(doc, "99.2%", text.index("99.2%"))


def test_sample_bulletin_reads_as_utf8():
    doc = read_document(SAMPLE)
    raw = SAMPLE.read_bytes()
    assert doc.encoding == "utf-8"
    assert doc.text == raw.decode("utf-8")
    assert doc.bulletin_id == hashlib.sha256(raw).hexdigest()[:16]
    start = doc.text.find("6300余起")
    assert start > 0 and doc.text[start:start + len("6300余起")] == "6300余起"


# ----------------------------------------------------------------- .html

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>页面标题不应出现</title>
<style>.x {{ content: "样式文字"; }}</style>
<script>var s = "脚本文字 9999起";</script>
</head>
<body>
<!-- 注释文字 -->
<div class="nav"><a href="/">首页</a> <a href="/news">警务动态</a></div>
<h1>瓯海公安“微网格”护平安</h1>
<p>　　本报讯 今年以来，瓯海公安共调解
   纠纷<b>850</b>余起，同比上升12%。<br>该局出动警力１２０人次。</p>
<p hidden>隐藏段落</p><div style="display: none">也是隐藏</div>
<noscript>请启用脚本</noscript>
<table><tr><th>项目</th><th>数量</th></tr><tr><td>巡逻</td><td>300 次</td></tr></table>
<p>&lt;b&gt;原样文字&lt;/b&gt; &amp; 结束</p>
</body></html>
"""


@pytest.mark.parametrize("encoding, recorded", [("gbk", "gb18030"), ("utf-8", "utf-8")])
def test_html_visible_text_only(tmp_path, encoding, recorded):
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.format().encode(encoding))

    doc = read_document(path)

    assert doc.format == "html" and doc.encoding == recorded
    for hidden in ("页面标题不应出现", "样式文字", "脚本文字", "9999", "注释文字", "隐藏段落",
                   "也是隐藏", "请启用脚本", "<p", "content-type"):
        assert hidden.lower() not in doc.text.lower(), hidden
    lines = doc.text.split("\n")
    assert lines == [
        "首页 警务动态",
        "瓯海公安“微网格”护平安",
        "\u3000\u3000本报讯 今年以来，瓯海公安共调解 纠纷850余起，同比上升12%。",
        "该局出动警力１２０人次。",
        "项目\t数量",
        "巡逻\t300 次",
        "<b>原样文字</b> & 结束",
    ]
    for figure in ("850余起", "12%", "１２０人次", "300 次"):
        start = doc.text.find(figure)
        assert start >= 0 and doc.text[start:start + len(figure)] == figure
    _check_identity(doc, path, "html")


def test_html_declared_gbk_but_utf8_is_read_as_utf8(tmp_path):
    # a wrong <meta charset> is common; decoding UTF-8 bytes as GBK would give mojibake
    path = tmp_path / "wrong_meta.htm"
    path.write_bytes('<meta charset="gbk"><p>庆元公安破获电诈案件36起。</p>'.encode("utf-8"))
    doc = read_document(path)
    assert doc.encoding == "utf-8"
    assert doc.text == "庆元公安破获电诈案件36起。"


# ----------------------------------------------------------------- .docx

def _make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("松阳“平安驿站”服务游客", level=1)
    d.add_paragraph("本报讯 去年以来，松阳公安设立平安驿站12个，服务游客3.5万人次。")
    d.add_paragraph("该局出动无人机巡查１２０架次。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "化解纠纷", "460余起"
    d.add_paragraph("群众满意率达98.6%。")
    d.save(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = tmp_path / "bulletin.docx"
    _make_docx(path)

    doc = read_document(path)

    assert doc.format == "docx" and doc.encoding is None
    assert doc.text.split("\n") == [
        "松阳“平安驿站”服务游客",
        "本报讯 去年以来，松阳公安设立平安驿站12个，服务游客3.5万人次。",
        "该局出动无人机巡查１２０架次。",
        "指标\t数值",
        "化解纠纷\t460余起",
        "群众满意率达98.6%。",
    ]
    for figure in ("12个", "3.5万人次", "１２０架次", "460余起", "98.6%"):
        start = doc.text.find(figure)
        assert doc.text[start:start + len(figure)] == figure
    _check_identity(doc, path, "docx")


# ------------------------------------------------------------------ .pdf

from support import cjk_truetype as _cjk_truetype, make_pdf as _make_pdf  # noqa: E402


PDF_PAGES = [
    ["遂昌公安“山区共治”见成效", "今年1-10月，遂昌公安化解纠纷1300余起，", "刑事警情同比下降21.4%。"],
    ["该局组建无人机中队，配备无人机８架。"],
]


def test_pdf_text_layer_pages_joined(tmp_path):
    all_text = "".join("".join(p) for p in PDF_PAGES)
    font = _cjk_truetype(tmp_path / "cjk.ttf", all_text)
    path = tmp_path / "bulletin.pdf"
    _make_pdf(path, PDF_PAGES, font)

    doc = read_document(path)

    assert doc.format == "pdf" and doc.encoding is None
    assert doc.text == "\n".join("\n".join(lines) for lines in PDF_PAGES)
    for figure in ("1-10月", "1300余起", "21.4%", "８架"):
        start = doc.text.find(figure)
        assert start >= 0 and doc.text[start:start + len(figure)] == figure
    _check_identity(doc, path, "pdf")


# ------------------------------------------------------------ bad inputs

def _broken_docx_missing_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "这不是Word文档")
    return buf.getvalue()


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("spaces.txt", " \r\n\t\u3000\n".encode("utf-8"), "empty file"),
    ("bom_only.txt", b"\xef\xbb\xbf", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
     "binary data, not text (NUL bytes); it looks like a PNG image"),
    ("controls.txt", bytes(range(1, 9)) * 200, "binary data, not text (control bytes)"),
    ("undecodable.txt", b"\x80\xff\x81\x20" * 50, "cannot decode as UTF-8, UTF-16 or GB18030"),
    ("damaged_utf8.txt", "去年以来化解纠纷6300余起。".encode("utf-8") * 20 + b"\xff" +
     "群众满意率99%。".encode("utf-8"),
     f"invalid UTF-8 at byte {len('去年以来化解纠纷6300余起。'.encode('utf-8')) * 20}"),
    ("broken.docx", b"this is not a zip file at all", "broken .docx: not a zip archive"),
    ("foreign_zip.docx", _broken_docx_missing_document(), "broken .docx: not a Word document"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n%%EOF", "broken PDF"),
    ("not_really.pdf", "缙云公安通报".encode("utf-8"), "broken PDF: no %PDF header"),
    ("table.xyz", "化解纠纷".encode("utf-8"), "unsupported file type .xyz"),
    ("old_word.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "unsupported file type .doc (old Word format"),
    ("noext", "化解纠纷".encode("utf-8"), "unsupported file type (no extension)"),
    ("blank.html", b"<html><head><title>only a title</title></head><body> </body></html>",
     "empty file (no text in the html)"),
]


def _assert_refused(path: Path, reason: str, **kwargs) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path, **kwargs)
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert reason in err.reason, err.reason
    assert err.path == str(path)
    return err


@pytest.mark.parametrize("name, data, reason", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_refused_with_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    _assert_refused(path, reason)


def test_truncated_docx_refused(tmp_path):
    good = tmp_path / "good.docx"
    _make_docx(good)
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _assert_refused(bad, "broken .docx")


def test_pdf_without_text_layer_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    _make_pdf(path, [None, None], None)
    _assert_refused(path, "PDF has no text layer (scanned image?)")


def test_size_cap_checked(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("化解纠纷6300余起。" * 20).encode("utf-8"))
    size = path.stat().st_size
    _assert_refused(path, f"file is {size} bytes, over the 100 bytes cap", max_bytes=100)
    assert read_document(path, max_bytes=size).size_bytes == size   # exactly at the cap is fine


def test_size_cap_in_megabytes(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"a" * (3 * 1024 * 1024 // 2))
    _assert_refused(path, "file is 1.5 MB, over the 1.0 MB cap", max_bytes=1024 * 1024)


def test_size_cap_default_from_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.txt"
    path.write_bytes("景宁公安破案12起。".encode("utf-8") * 10)
    monkeypatch.setenv("PINGAN_MAX_BYTES", "64")
    _assert_refused(path, "over the 64 bytes cap")
    monkeypatch.delenv("PINGAN_MAX_BYTES")
    assert read_document(path).text.startswith("景宁公安")


def test_missing_file_and_directory(tmp_path):
    _assert_refused(tmp_path / "nowhere.txt", "file not found")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    _assert_refused(folder, "is a directory")


def test_supported_extensions():
    assert all(supported(n) for n in ("a.txt", "b.HTML", "c.htm", "d.docx", "e.PDF", "f.md"))
    assert not any(supported(n) for n in ("a.doc", "b.csv", "manifest", "c.xlsx"))


def test_markdown_reads_as_plain_text(tmp_path):
    """A web post saved as .md is text: read byte for byte like .txt, markup and all."""
    p = tmp_path / "post.md"
    body = "# 缙云公安：山区共治\n\n**今年以来**，缙云县公安局化解纠纷1200余起。\n"
    p.write_bytes(body.encode("utf-8"))
    doc = read_document(p)
    assert doc.format == "txt" and doc.text == body
