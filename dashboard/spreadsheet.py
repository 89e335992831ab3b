"""Text from bulletins, uploads and reviewers written into files other programs open:
Excel and CSV downloads and the Office packs.

Why a module of its own: two things in outside text break those files, and every writer
must handle them the same way.

- Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF; lone
  surrogates). Real bulletins hold some: Word's manual line break is a vertical tab in its
  plain-text export, pdfminer ends every PDF page with a form feed, so a sentence that runs
  over a page break carries one. openpyxl refuses them (IllegalCharacterError) and so does
  python-docx (lxml: "All strings must be XML compatible"): one such sentence made the
  Excel and Word packs and the figures page's Excel download fail. `xml_safe` puts a
  space in each one's place (one for one, so offsets into a sentence still hold).
- Formulas. A cell whose text starts with "=" is a formula to openpyxl; in a CSV opened in
  Excel or WPS, text starting with "=", "+", "-" or "@" is one too (`=cmd|' /C calc'!A0`).
  In .xlsx every string is written as an explicit string cell (`inert`): the words as
  typed, never evaluated, nothing added. A CSV has no cell types, so `csv_cell` puts an
  apostrophe before such a text (OWASP's advice for CSV injection; Excel shows the cell
  without it). A plain signed number (`-5.2%`, `+3`) is left as it is: Excel reads it as a
  number, not a formula.
"""
from __future__ import annotations

import io
import re

import pandas as pd

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def xml_safe(text):
    """The text with every character XML 1.0 cannot hold replaced by a space; other
    values unchanged."""
    if isinstance(text, str) and _XML_ILLEGAL.search(text):
        return _XML_ILLEGAL.sub(" ", text)
    return text


def xml_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with xml_safe applied to every text cell; columns with nothing to replace
    (nearly always all of them) are left exactly as they are, types and missing values too."""
    out = df
    for col in df.columns:
        dtype = df[col].dtype
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            continue            # holds no text
        values = df[col].tolist()
        # one search over the column's text, not one per cell: a 10-county pack at 100,000
        # bulletins has ~560,000 rows, and a search and a generator step per cell of every
        # column cost more than the rest of the pack (2026-12-07, docs/BENCHMARKS.md);
        # "\n" is not in the class, so a match in the joined text is a match in a cell
        if _XML_ILLEGAL.search("\n".join([v for v in values if isinstance(v, str)])):
            if out is df:
                out = df.copy()
            out[col] = pd.Series([xml_safe(v) for v in values], index=df.index, dtype=object)
    return out


def inert(wb) -> None:
    """Every string cell of an openpyxl workbook stored as a string, never as a formula.

    openpyxl turns any text starting with "=" into a formula when it is assigned; setting
    the cell's data type back to 's' writes it as an inline string, value unchanged.
    """
    for ws in wb.worksheets:
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"


def csv_cell(value):
    """A text cell as a CSV opened in a spreadsheet must hold it: never a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.match(value):
        return "'" + value
    return value


def table_xlsx(df: pd.DataFrame, sheet: str) -> bytes:
    """The table as an .xlsx file: text as text (no formula), frozen header, filters."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        xml_safe_frame(df).to_excel(xw, index=False, sheet_name=sheet)
        ws = xw.sheets[sheet]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        inert(xw.book)
    return buf.getvalue()


def table_csv(df: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV with a BOM (Excel and WPS then read Chinese right)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = pd.Series([csv_cell(v) for v in out[col].tolist()], index=out.index, dtype=object)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out.to_csv(index=False).encode("utf-8-sig")
