"""One bulletin in every input format, through the real CLI: the same figures come out.

The fixtures are built here (GB18030 and UTF-16 text, an HTML page with script and style,
a Word document, a PDF with a text layer), then `python -m etl extract` and
`python -m etl ingest` read them as a user would. Offsets must point at the figure in the
text as decoded (for .txt, the file's bytes decoded with its encoding, CRLF kept).
"""
from __future__ import annotations

import json

import pytest

from support import cjk_truetype, make_pdf, run_etl

LINES = [
    "遂昌公安“山区共治”见成效",
    "通讯员 吴峰",
    "本报讯 今年1-10月，遂昌县公安局化解矛盾纠纷1300余起，刑事警情同比下降21.4%。",
    "该局组建无人机中队，配备无人机８架。",
]
#: (raw, value, unit, qualifier, measure, direction): what every format must yield
EXPECTED = [("1300余起", 1300, "起", "余", "count", None),
            ("21.4%", 21.4, "%", None, "change", "down"),
            ("８架", 8, "架", None, "count", None)]


def _txt(path, encoding, newline="\n", bom=b""):
    path.write_bytes(bom + newline.join(LINES).encode(encoding))


def _html(path):
    body = "".join(f"<p>{line}</p>\n" for line in LINES)
    path.write_text("<html><head><title>不要这个标题</title><style>p{color:red}</style>"
                    "<script>var x = '化解纠纷9999起';</script></head>"
                    f"<body><div>{body}</div></body></html>", encoding="utf-8")


def _docx(path):
    from docx import Document
    d = Document()
    for line in LINES:
        d.add_paragraph(line)
    d.save(str(path))


def _pdf(path, font_dir):
    font = cjk_truetype(font_dir / "cjk.ttf", "".join(LINES))
    make_pdf(path, [LINES], font)


@pytest.fixture(scope="module")
def bulletins(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    _txt(d / "gbk.txt", "gb18030")
    _txt(d / "utf16.txt", "utf-16-le", bom=b"\xff\xfe")
    _txt(d / "crlf_bom.txt", "utf-8", newline="\r\n", bom=b"\xef\xbb\xbf")
    _html(d / "page.html")
    _docx(d / "word.docx")
    _pdf(d / "scan_with_text.pdf", tmp_path_factory.mktemp("fonts"))
    return d


@pytest.mark.parametrize("name", ["gbk.txt", "utf16.txt", "crlf_bom.txt", "page.html",
                                  "word.docx", "scan_with_text.pdf"])
def test_every_format_yields_the_same_figures(bulletins, name):
    out = run_etl("extract", str(bulletins / name), "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    got = [(r["raw"], r["value"], r["unit"], r["qualifier"], r["measure"], r["direction"]) for r in rows]
    assert got == EXPECTED
    assert all(r["county_code"] == "331123" for r in rows)
    assert rows[2]["agency"] == "遂昌县公安局"  # 该局: back to the bureau named in the lead
    if name.endswith(".txt"):
        raw = (bulletins / name).read_bytes()
        text = {"gbk.txt": lambda b: b.decode("gb18030"), "utf16.txt": lambda b: b.decode("utf-16"),
                "crlf_bom.txt": lambda b: b.decode("utf-8-sig")}[name](raw)
        for r in rows:
            assert text[r["start"]:r["end"]] == r["raw"]
    assert "9999" not in out.stdout  # the page's script is not text


def test_every_format_loads_into_the_warehouse(bulletins, tmp_path):
    wh = tmp_path / "wh"
    proc = run_etl("ingest", str(bulletins), "--warehouse", str(wh))
    assert proc.returncode == 0, proc.stderr
    out = run_etl("sql", "SELECT b.format, count(*) AS n FROM figures f JOIN bulletins b "
                  "USING (bulletin_id) GROUP BY b.format ORDER BY b.format", "--json",
                  "--warehouse", str(wh))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [{"format": "docx", "n": 3}, {"format": "html", "n": 3},
                                      {"format": "pdf", "n": 3}, {"format": "txt", "n": 9}]
