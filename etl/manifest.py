"""Optional manifest.csv beside bulletin files: file,published_on,publisher,region,url[,synthetic].

The manifest is how staff state what a file cannot: its publication date, its publisher,
and a fallback region for a county outlet's own news. It is typed by people (often in
Excel, which saves CSV as UTF-8 with BOM or as GBK), so a bad row must not sink the rest:
each malformed row becomes a ManifestProblem with its line number and is skipped.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from etl.dates import parse_date

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "published_on", "publisher", "region", "url", "synthetic")
_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否", ""}


@dataclass(frozen=True)
class Meta:
    published_on: dt.date | None = None
    date_source: str = "unknown"       # manifest | filename | text | unknown
    date_precision: str | None = None  # day | month | year
    publisher: str | None = None
    region: str | None = None
    url: str | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class ManifestProblem:
    """One line a person can act on: `<manifest> line N: <reason>`."""

    path: str
    line_no: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path} line {self.line_no}" if self.line_no else self.path
        return f"{where}: {self.reason}"


@dataclass
class Manifest:
    """Rows keyed by the file they describe. An absent manifest is an empty one."""

    folder: Path
    path: Path | None = None
    rows: dict[str, dict] = field(default_factory=dict)       # normalised relative path -> row
    problems: list[ManifestProblem] = field(default_factory=list)
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)
    #: real paths of the manifest's folder (key None) and of folders holding files
    _real_dirs: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def meta_for(self, file_path) -> dict | None:
        """The row for a bulletin file, matched by path relative to the manifest's folder,
        else by file name when exactly one row has that name (else None)."""
        try:
            rel = _norm(self._relative(os.fspath(file_path)))
        except ValueError:      # another drive on Windows
            rel = None
        if rel and not rel.startswith("../") and rel in self.rows:
            return self.rows[rel]
        as_given = _norm(str(file_path))
        if as_given in self.rows:
            return self.rows[as_given]
        keys = self._by_name.get(os.path.basename(os.fspath(file_path)), [])
        return self.rows[keys[0]] if len(keys) == 1 else None

    def _relative(self, path: str) -> str:
        """The file's real path (symbolic links resolved) relative to the folder's real path.

        The same as ``relpath(Path(path).resolve(), folder.resolve())``, but a folder's real
        path is resolved once, not once per file: an ingest of 100,000 bulletins asks this
        for every file, and two ``resolve()`` calls per file were most of the ingest
        process's own CPU. A file that is itself a symbolic link is resolved in full.
        """
        cache = self._real_dirs
        root = cache.get(None)
        if root is None:
            root = cache[None] = os.path.realpath(self.folder)
        full = os.path.abspath(path)
        head, name = os.path.split(full)
        if not name or name in (".", "..") or os.path.islink(full):
            real = os.path.realpath(full)
        else:
            real_head = cache.get(head)
            if real_head is None:
                real_head = cache[head] = os.path.realpath(head)
            real = os.path.join(real_head, name)
        prefix = root if root.endswith(os.sep) else root + os.sep
        if real.startswith(prefix):
            return real[len(prefix):]
        return os.path.relpath(real, root)


def _norm(name: str) -> str:
    s = name.strip().replace("\\", "/")
    while s.startswith("./"):
        s = s[2:]
    if not s:
        return ""
    if "//" in s or "/." in s or s.endswith("/") or s == ".":
        return str(PurePosixPath(s))   # the rare name that needs normalising
    return s


def _outside(key: str) -> bool:
    """An absolute name, a drive letter or a `..` part: the row would describe a file the
    folder does not hold, and its metadata would land on a same-named file inside it."""
    return (key.startswith("/") or _DRIVE.match(key) is not None
            or ".." in key.split("/"))


_DRIVE = re.compile(r"^[A-Za-z]:")


def load_manifest(folder) -> Manifest:
    """Read `<folder>/manifest.csv` (or the given .csv file). Missing file -> empty Manifest."""
    target = Path(folder)
    if target.suffix.lower() == ".csv" and not target.is_dir():
        path, folder_path = target, target.parent
    else:
        path, folder_path = target / MANIFEST_NAME, target
    man = Manifest(folder=folder_path)
    if not path.is_file():
        return man
    man.path = path
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        man.problems.append(ManifestProblem(shown, None, f"cannot read: {err.strerror or err}"))
        return man
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")    # Excel on a Chinese Windows saves CSV as GBK
        except UnicodeDecodeError:
            man.problems.append(ManifestProblem(shown, None, "cannot decode as UTF-8 or GB18030"))
            return man

    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    first_line: dict[str, int] = {}
    dates: dict = {}
    try:
        for record in reader:
            line_no = reader.line_num
            if not record or not "".join(record).strip():
                continue
            if header is None:
                header = [c.strip().lower() for c in record]
                if "file" not in header:
                    man.problems.append(ManifestProblem(
                        shown, line_no, "header has no 'file' column "
                        "(expected file,published_on,publisher,region,url); manifest ignored"))
                    return man
                continue
            row, reason = _parse_row(record, header, dates)
            if reason:
                man.problems.append(ManifestProblem(shown, line_no, reason + "; row ignored"))
                continue
            key = _norm(row["file"])
            if _outside(key):
                man.problems.append(ManifestProblem(
                    shown, line_no, f"file '{row['file']}' points outside the manifest's folder "
                    "(names are relative to it, without ..); row ignored"))
                continue
            if key in man.rows:
                man.problems.append(ManifestProblem(
                    shown, line_no, f"file '{row['file']}' already listed on line "
                    f"{first_line[key]}; row ignored"))
                continue
            first_line[key] = line_no
            man.rows[key] = row
            man._by_name.setdefault(key.rsplit("/", 1)[-1], []).append(key)
    except csv.Error as err:
        man.problems.append(ManifestProblem(shown, reader.line_num, f"malformed CSV: {err}; rest ignored"))
    return man


def _parse_row(record: list[str], header: list[str],
               dates: dict | None = None) -> tuple[dict, str | None]:
    """One manifest line as a row, or the reason it is refused. `dates`: parse_date results
    by text, shared by the rows of one manifest (a corpus of 100,000 files has a few
    hundred distinct dates; parsing each once halves the load)."""
    if len(record) != len(header):
        return {}, f"has {len(record)} fields, the header has {len(header)}"
    cells = {name: value.strip() for name, value in zip(header, record)}
    if not cells.get("file"):
        return {}, "empty file name"
    row: dict = {"file": cells["file"], "published_on": None, "date_precision": None}
    raw_date = cells.get("published_on", "")
    if raw_date:
        if dates is None:
            parsed = parse_date(raw_date)
        else:
            parsed = dates.get(raw_date, False)
            if parsed is False:
                parsed = dates[raw_date] = parse_date(raw_date)
        if parsed is None:
            return {}, f"published_on '{raw_date}' is not a date (YYYY-MM-DD)"
        row["published_on"], row["date_precision"] = parsed
    for name in ("publisher", "region", "url"):
        row[name] = cells.get(name) or None
    flag = cells.get("synthetic", "").lower()
    if flag in _TRUE:
        row["synthetic"] = True
    elif flag in _FALSE:
        row["synthetic"] = False
    else:
        return {}, f"synthetic '{cells['synthetic']}' is not true/false"
    return row, None
