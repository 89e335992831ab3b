"""Turn a bulletin file into text. Every offset the ETL stores points into Document.text.

Why the care over decoding: a figure's `start`/`end` must land on the same characters for
anyone who decodes the same bytes the same way, so we never normalise the text (no newline
translation, no NFKC of full-width digits, no stripping). For .txt the text is exactly
`raw_bytes.decode(encoding)`; for .html/.docx/.pdf it is the extracted text, built the
same way every time so that offsets are stable across re-runs.

A file we cannot read raises ReadError with a one-line reason, so that ingest can list it
and carry on with the others (DESIGN.md, "Nothing lost").
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from etl import config


class ReadError(Exception):
    """A file we refuse, with a reason a person can act on. str() is one line naming the file."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class Document:
    path: str            # as given by the caller
    text: str            # decoded text; no newline translation
    format: str          # txt | html | docx | pdf
    encoding: str | None # utf-8 | utf-8-sig | utf-16 | gb18030 | None
    size_bytes: int
    mtime: float
    bulletin_id: str     # sha256(bytes)[:16]


class _Refused(Exception):
    """Raised inside a format reader; read_document adds the path."""


#: .md is plain text too (web posts saved as Markdown): read exactly like .txt
FORMATS = {".txt": "txt", ".md": "txt", ".markdown": "txt", ".html": "html", ".htm": "html",
           ".docx": "docx", ".pdf": "pdf"}

#: Formats people often hand us by mistake, with what to do instead.
_HINTS = {
    ".doc": "unsupported file type .doc (old Word format: save it as .docx)",
    ".wps": "unsupported file type .wps (save it as .docx)",
    ".rtf": "unsupported file type .rtf (save it as .docx or .txt)",
    ".xls": "unsupported file type .xls (not a bulletin: bulletins are .txt .html .docx .pdf)",
    ".xlsx": "unsupported file type .xlsx (not a bulletin: bulletins are .txt .html .docx .pdf)",
}

#: a .docx whose parts add up to more than this when unzipped is refused (a real bulletin's
#: document.xml is a few MB; images are stored, not inflated by us)
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0 controls other than tab, LF, VT, FF, CR, plus DEL: never in a real bulletin.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)) + b"\x7f"
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
# A well-formed UTF-8 multi-byte sequence (2, 3 or 4 bytes).
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_MAGIC = ((b"%PDF", "a PDF"), (b"PK\x03\x04", "a zip archive (.docx?)"),
          (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls?)"),
          (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"))


def read_document(path, max_bytes: int | None = None) -> Document:
    """Read one bulletin file, or raise ReadError(path, reason)."""
    p = Path(path)
    ext = p.suffix.lower()
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise ReadError(path, _HINTS.get(ext) or
                        (f"unsupported file type {ext}" if ext else "unsupported file type (no extension)")
                        + ("" if ext in _HINTS else "; expected .txt .html .htm .docx .pdf"))
    cap = max_bytes if max_bytes is not None else config.max_bytes()
    data, st = _read_capped(path, p, cap)
    if not data:
        raise ReadError(path, "empty file")
    try:
        text, encoding = _READERS[fmt](data)
    except _Refused as err:
        raise ReadError(path, str(err)) from None
    if not text.strip():
        raise ReadError(path, "empty file" if fmt == "txt" else f"empty file (no text in the {fmt})")
    return Document(
        path=str(path), text=text, format=fmt, encoding=encoding,
        size_bytes=len(data), mtime=st.st_mtime,
        bulletin_id=hashlib.sha256(data).hexdigest()[:16],
    )


def _read_capped(path, p: Path, cap: int):
    """The size cap is checked from stat() first, so a huge file is never read into memory."""
    try:
        st = p.stat()
        if p.is_dir():
            raise ReadError(path, "is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):  # open() on a FIFO blocks; /dev/zero never ends
            raise ReadError(path, "not a regular file (a pipe, socket or device)")
        if st.st_size > cap:
            raise ReadError(path, f"file is {_size(st.st_size)}, over the {_size(cap)} cap")
        with open(p, "rb") as fh:
            data = fh.read(cap + 1)
    except OSError as err:
        raise ReadError(path, os_reason(err)) from None
    if len(data) > cap:  # grew between stat() and read()
        raise ReadError(path, f"file is over the {_size(cap)} cap")
    return data, st


def os_reason(err: OSError) -> str:
    """A refusal's reason for an error of the file system, worded the same wherever the
    file was touched (ingest's stat, the reader's open): a file deleted between listing and
    reading is "file not found" whichever step met it first."""
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot read: {err.strerror or err}"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


# ---------------------------------------------------------------- plain text

def _read_txt(data: bytes):
    return _decode(data)


def _decode(data: bytes, declared: str | None = None):
    """Bytes -> (text, encoding name). Order: UTF-16 BOM, UTF-8, declared charset, GB18030.

    UTF-16 is only accepted with a BOM: without one, almost any even-length byte string
    "decodes" as UTF-16 and we would silently produce nonsense. Strict UTF-8 goes before a
    declared charset because pages often declare gb2312 and are UTF-8, and GB18030 would
    "decode" such UTF-8 into mojibake without an error; GBK text is practically never
    valid UTF-8, so the order costs nothing.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Refused("cannot decode as UTF-16 although it starts with a UTF-16 BOM") from None
        _refuse_controls(text)
        return text, "utf-16"
    _refuse_binary(data)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # a wrong <meta charset> is common; fall through to detection
    if _mostly_utf8(data):
        # GB18030 accepts most byte soup; decoding corrupt UTF-8 with it gives mojibake.
        raise _Refused(f"invalid UTF-8 at byte {utf8_error.start} "
                       "(the rest looks like UTF-8: damaged or truncated file?)")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise _Refused("cannot decode as UTF-8, UTF-16 or GB18030") from None


def _refuse_binary(data: bytes) -> None:
    sample = data[:65536]
    if b"\x00" in sample:
        raise _Refused(f"binary data, not text (NUL bytes){_looks_like(data)}")
    n_ctrl = len(_CONTROL_RE.findall(sample))
    if n_ctrl > max(8, len(sample) // 100):
        raise _Refused(f"binary data, not text (control bytes){_looks_like(data)}")


def _refuse_controls(text: str) -> None:
    sample = text[:32768]
    bad = sum(1 for c in sample if c == "\x00" or (unicodedata.category(c) == "Cc" and c not in "\t\n\x0b\x0c\r"))
    if bad > max(8, len(sample) // 100) or "\x00" in sample:
        raise _Refused("binary data, not text (control characters)")


def _looks_like(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"; it looks like {what}"
    return ""


def _mostly_utf8(data: bytes) -> bool:
    high = sum(1 for b in data if b >= 0x80)
    if high == 0:
        return False
    covered = sum(len(m) for m in _UTF8_SEQ.findall(data))
    return covered >= 0.9 * high


# ---------------------------------------------------------------------- html

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
                    "cp936": "gb18030", "utf-8": "utf-8", "utf8": "utf-8", "big5": "big5"}
#: Elements whose content a reader never sees.
_INVISIBLE = {"script", "style", "noscript", "template", "head", "title", "svg", "canvas",
              "iframe", "object", "embed", "audio", "video", "select", "button", "map"}
#: Elements that start a new line: HTML's block boxes, the ones bulletin pages use.
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
           "thead", "tbody", "tfoot", "tr", "caption", "blockquote", "pre", "figure",
           "figcaption", "address", "hr", "center", "form", "fieldset", "body", "html"}
_CELLS = {"td", "th"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _read_html(data: bytes):
    """Visible text, one line per block element, so segmentation sees the paragraphs.

    Whitespace inside a text run collapses as a browser would (only ASCII whitespace:
    U+3000 indents and &nbsp; are content). Offsets refer to this extracted text.
    """
    from bs4 import BeautifulSoup, Comment, NavigableString  # noqa: F401  (Comment for isinstance)
    from bs4.element import CData, Declaration, Doctype, ProcessingInstruction, Tag

    declared = None
    if not data.startswith((b"\xef\xbb\xbf",) + _UTF16_BOMS):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = _CHARSET_ALIASES.get(m.group(1).decode("ascii", "replace").lower())
    markup, encoding = _decode(data, declared)
    soup = BeautifulSoup(markup, "lxml")
    skip_types = (Comment, CData, Declaration, Doctype, ProcessingInstruction)

    out: list[str] = []

    def newline():
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    def walk(root):
        # an explicit stack, not recursion: a page nested thousands of elements deep
        # (broken CMS output, or hostile) would otherwise hit Python's recursion limit
        stack = [(iter(root.children), False)]
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    newline()
                continue
            if isinstance(child, Tag):
                name = child.name.lower() if child.name else ""
                if name in _INVISIBLE or child.has_attr("hidden") or _display_none(child):
                    continue
                if name == "br":
                    out.append("\n")
                    continue
                if name in _CELLS:
                    if out and not out[-1].endswith(("\n", "\t")):
                        out.append("\t")
                    stack.append((iter(child.children), False))
                    continue
                block = name in _BLOCKS
                if block:
                    newline()
                stack.append((iter(child.children), block))
            elif isinstance(child, NavigableString) and not isinstance(child, skip_types):
                s = _HTML_SPACE.sub(" ", str(child))
                if s.strip(" "):
                    out.append(s)
                elif s and out and not out[-1].endswith(("\n", " ", "\t")):
                    out.append(" ")

    walk(soup)
    lines = [line.strip(" \t") for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text, encoding


def _display_none(tag) -> bool:
    style = tag.get("style")
    if not style or not isinstance(style, str):
        return False
    return re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style, re.I) is not None


# ---------------------------------------------------------------------- docx

def _read_docx(data: bytes):
    """Body paragraphs and table rows in document order, one per line; cells tab-separated.

    Headers, footers and text boxes are left out: they hold page furniture, not bulletins.
    """
    import zipfile

    try:
        import docx
        from docx.table import Table
    except ImportError as err:  # pragma: no cover - requirements pin python-docx
        raise _Refused(f"cannot read .docx here: {err}") from None
    if not data.startswith(b"PK"):
        raise _Refused(f"broken .docx: not a zip archive{_looks_like(data)}")
    _refuse_zip_bomb(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _Refused("broken .docx: damaged zip archive") from None
    except KeyError as err:
        raise _Refused(f"broken .docx: not a Word document (missing {err.args[0] if err.args else 'part'})") from None
    except Exception as err:  # python-docx raises assorted errors for foreign zips / bad XML
        raise _Refused(f"broken .docx: {type(err).__name__}: {_one_line(err)}") from None

    lines: list[str] = []

    def table_lines(table: Table):
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell repeats in row.cells
                    continue
                seen.add(id(cell._tc))
                cells.append(cell.text.replace("\n", " "))
            lines.append("\t".join(cells))

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_lines(block)
        else:
            lines.append(block.text)
    return "\n".join(lines), None


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse a .docx that would expand to more than MAX_UNZIPPED_BYTES before python-docx
    inflates it: a 300 KB file can hold 300 MB of document.xml. The sizes in the zip's
    directory can be trusted here because zipfile never inflates a member past its
    declared size (a lying header gives a CRC error, not more bytes)."""
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(max(0, i.file_size) for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # python-docx gives the precise reason below
    if total > MAX_UNZIPPED_BYTES:
        raise _Refused(f"broken .docx: expands to {_size(total)} when unzipped, over the "
                       f"{_size(MAX_UNZIPPED_BYTES)} limit (a zip bomb?)")


# ----------------------------------------------------------------------- pdf

def _read_pdf(data: bytes):
    """Text layer of every page, pages joined with a newline. Scans (no text) are refused."""
    import pdfplumber

    if b"%PDF" not in data[:1024]:
        raise _Refused(f"broken PDF: no %PDF header{_looks_like(data)}")
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except Exception as err:  # pdfminer raises many types for damaged or encrypted files
        msg = _one_line(err)
        # pdfplumber wraps pdfminer's errors: PdfminerException(PDFPasswordIncorrect())
        inner = [type(a).__name__ for a in getattr(err, "args", ()) if isinstance(a, Exception)]
        if any(n in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning")
               for n in inner):
            raise _Refused("PDF is password-protected (encrypted): save it without a password") from None
        if "encrypt" in msg.lower() or "password" in msg.lower() or type(err).__name__ == "PDFPasswordIncorrect":
            raise _Refused("PDF is password-protected") from None
        raise _Refused(f"broken PDF: {msg or type(err).__name__}") from None
    text = "\n".join(pages)
    if not text.strip():
        raise _Refused("PDF has no text layer (scanned image?)")
    cid = len(re.findall(r"\(cid:\d+\)", text))
    if cid and cid * 7 > len(text) / 2:
        raise _Refused("PDF text layer has no Unicode mapping (only (cid:N) glyph codes)")
    return text, None


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:200]


_READERS = {"txt": _read_txt, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}


def supported(path: str | os.PathLike) -> bool:
    """True when read_document knows the file's extension (for folder walks in ingest)."""
    return Path(path).suffix.lower() in FORMATS
