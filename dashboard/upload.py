"""Bulletins added from the browser (导入 Import): preview, then store and ingest.

The one place where the read side calls the write side's ingest (docs/ARCHITECTURE.md):
an upload must follow exactly the command line's rules (readers, size cap, manifest,
extractor, snapshot switch, ingest lock), so it calls the same functions rather than
copying them. Nothing here writes outside `<warehouse>/inbox/`.

Flow: `stage()` writes the uploaded bytes under `<wh>/inbox/.staging/<token>/` with
sanitised names and `preview()` extracts from those files without touching the
warehouse; `commit()` moves the folder to `<wh>/inbox/<stamp>-<user>/` (kept for good:
the warehouse's own copy of what was uploaded) and ingests it into a new snapshot. When
another ingest holds the lock the files stay in the inbox and `ingest_inbox()` can be
run again: nothing is lost.

Kept but never ingested: `commit()` writes `<folder>/.upload.json` (who uploaded which
files, when, and which were refused at preview) and `ingest_inbox()` writes
`<folder>/.ingested.json` once the ingest has run to its end (whatever each file's
outcome). A folder with the first and not the second was never ingested: its ingest
found another one running, or stopped (server killed, disk full). `kept()` lists those
for the Import page, which can ingest them (`ingest_inbox`, the same lock and rules) or
discard them (`discard_kept`, under the ingest lock, so never while one reads them).
Folders from before these records existed are taken as ingested when the current
snapshot's ingest record names a file in them. Both records start with a dot, which
the ingest's folder walk skips, so they are never read as bulletins.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from etl import config

INBOX = "inbox"
STAGING = ".staging"
MANIFEST = "manifest.csv"
MAX_NAME = 120
#: a staging folder older than this belongs to an upload nobody finished (tab closed,
#: server restarted; a sign-in lasts 12 h): the next upload removes it
STALE_STAGING_SECONDS = 24 * 3600


UPLOAD_RECORD = ".upload.json"
INGESTED = ".ingested.json"
DISCARDED_LOG = ".discarded.jsonl"   # in inbox/: who discarded which kept folder, when


class UploadError(Exception):
    """A problem with the upload as a whole; str() is one line. `key` and `words` let the
    page say it in its own language (dashboard.i18n), never the server's paths."""

    def __init__(self, message: str, key: str | None = None, **words):
        super().__init__(message)
        self.key, self.words = key, words


@dataclass
class FilePreview:
    name: str                       # sanitised name, as stored
    given: str                      # name as uploaded
    size: int
    figures: list[dict] = field(default_factory=list)
    refused: str | None = None      # reason, when the file cannot be imported
    is_manifest: bool = False
    manifest_rows: int = 0
    notes: list[str] = field(default_factory=list)  # manifest lines that will not apply


def sanitise(name: str) -> str:
    """A file name that is safe to store: no folders, no control or reserved characters.

    Chinese stays (the date and place in a bulletin's name are evidence); path parts, a
    leading dot, and characters that mean something to a shell or a file system go.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*\x00]', "_", base).strip().lstrip(".").strip()
    if not base:
        base = "upload"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    stem = stem[: MAX_NAME - len(ext) - 1] or "upload"
    return f"{stem}.{ext}" if ext else stem


def inbox_dir(wh) -> Path:
    return Path(wh) / INBOX


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def stage(wh, uploads: list[tuple[str, bytes]], token: str | None = None) -> tuple[Path, list[FilePreview]]:
    """Write uploads (name, bytes) into a fresh staging folder; oversize files are refused."""
    cap = config.max_bytes()
    limit = config.max_upload_files()
    if len(uploads) > limit:
        raise UploadError(f"一次最多导入 {limit} 个文件，本次选择了 {len(uploads)} 个，请分批导入 "
                          f"(at most {limit} files per upload, {len(uploads)} chosen: import them in batches)",
                          "up_too_many", limit=limit, n=len(uploads))
    root = inbox_dir(wh) / STAGING
    sweep_staging(wh)
    if token is not None and not re.fullmatch(r"[0-9a-f]{1,32}", token):
        raise UploadError(f"{token!r}: not a staging token")
    folder = root / (token or uuid.uuid4().hex[:12])
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    out: list[FilePreview] = []
    used: set[str] = set()
    for given, data in uploads:
        name = sanitise(given)
        if name.lower() == MANIFEST:
            name = MANIFEST
        stem, ext = os.path.splitext(name)
        n = 2
        while name.lower() in used:
            name = f"{stem}_{n}{ext}"
            n += 1
        used.add(name.lower())
        fp = FilePreview(name=name, given=given, size=len(data), is_manifest=name == MANIFEST)
        if len(data) > cap:
            fp.refused = f"larger than the size cap ({len(data):,} > {cap:,} bytes)"
        else:
            target = folder / name
            if not _inside(target, folder):  # pragma: no cover - sanitise() already prevents it
                raise UploadError(f"{given}: not a plain file name")
            target.write_bytes(data)
        out.append(fp)
    return folder, out


def preview(folder: Path, files: list[FilePreview]) -> list[FilePreview]:
    """Figures each staged file would add (place, metric, value, sentence), or its refusal.

    The same reading, manifest and extraction as `python -m etl extract`; no warehouse.
    """
    from etl import extract as extract_mod
    from etl.dates import resolve_meta
    from etl.ingest import SUPPORTED_SUFFIXES, _Manifests
    from etl.readers import ReadError, read_document

    cap = config.max_bytes()
    manifests = _Manifests()
    for fp in files:
        if fp.refused:
            continue
        path = folder / fp.name
        if fp.is_manifest:
            try:
                from etl.manifest import load_manifest
                m = load_manifest(str(folder))
                fp.manifest_rows = len(m)
                fp.notes = [str(p) for p in m.problems]
            except Exception as exc:
                fp.refused = f"manifest not loaded: {exc}"
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            fp.refused = f"not a bulletin file type ({path.suffix or 'no extension'}); " \
                         f"bulletins are {' '.join(SUPPORTED_SUFFIXES)}"
            continue
        try:
            doc = read_document(str(path), cap)
            meta = resolve_meta(str(path), doc.text, manifests.row_for(str(path)))
            extraction = extract_mod.extract_document(doc, meta)
        except ReadError as exc:
            fp.refused = exc.reason
            continue
        except Exception as exc:  # one bad file must not hide the others
            fp.refused = f"extraction failed ({type(exc).__name__}: {exc})"
            continue
        fp.figures = [{k: fig.get(k) for k in ("raw", "value", "unit", "metric", "category", "county",
                                               "city", "province", "sentence")}
                      for fig in extraction.figures]
    return files


def commit(wh, folder: Path, files: list[FilePreview], user: str):
    """Move the staged files that can be imported into the inbox, then ingest them.

    Returns (inbox folder, IngestReport or None when another ingest is running).
    """
    wh = Path(wh)
    keep = [fp for fp in files if not fp.refused]
    if not keep:
        raise UploadError("no file can be imported")
    now = dt.datetime.now(dt.timezone.utc)
    dest = inbox_dir(wh) / f"{now.strftime('%Y%m%dT%H%M%S')}-{sanitise(user)[:40]}-{uuid.uuid4().hex[:6]}"
    dest.mkdir(parents=True)
    for fp in keep:
        os.replace(folder / fp.name, dest / fp.name)
    _write_json(dest / UPLOAD_RECORD, {
        "by": user, "at": now.isoformat(timespec="seconds"),
        "files": [{"name": fp.name, "given": fp.given, "size": fp.size} for fp in keep],
        "refused": [[fp.given, fp.refused] for fp in files if fp.refused]})
    shutil.rmtree(folder, ignore_errors=True)
    return dest, ingest_inbox(wh, dest, user)


def _write_json(path: Path, data: dict) -> None:
    """Written whole or not at all (a reader never sees half a record)."""
    import json
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex[:6]}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict | None:
    import json
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return got if isinstance(got, dict) else None


def _inbox_folder(wh, dest) -> Path:
    """`dest` as one upload's folder directly in `<wh>/inbox/` (not staging, not a link)."""
    dest = Path(dest)
    if (dest.is_symlink() or dest.name.startswith(".") or not dest.is_dir()
            or dest.resolve().parent != inbox_dir(wh).resolve()):
        raise UploadError(f"{dest}: not a folder of the warehouse inbox", "up_not_kept")
    return dest


def ingest_inbox(wh, dest: Path, user: str | None = None):
    """Ingest one inbox folder with the command line's rules; None when the lock is held.

    When the ingest has run to its end, `.ingested.json` records it (who, when, snapshot,
    outcome per file): the folder is no longer 'kept but never ingested'."""
    from etl import warehouse
    from etl.ingest import ingest

    dest = _inbox_folder(wh, dest)
    try:
        report = ingest([str(dest)], wh, progress=False)
    except warehouse.WarehouseBusy:
        return None
    if not dest.is_dir():  # discarded by another editor while this ingest waited for the lock
        return report
    _write_json(dest / INGESTED, {
        "by": user, "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "snapshot": snapshot_label(report.snapshot) if report.snapshot else None,
        "new_snapshot": report.new_snapshot, "figures_added": report.figures_added,
        "files": {Path(f.path).name: f.outcome for f in report.files}})
    return report


@dataclass
class Kept:
    """An inbox folder whose files were kept but never ingested."""
    folder: Path
    by: str | None                  # who uploaded them (None: a folder from before the record)
    at: str | None                  # when, UTC ISO 8601
    files: list[tuple[str, int]]    # (stored name, bytes), manifest.csv included
    refused: list[tuple[str, str]]  # (name as uploaded, reason): refused at preview, not kept


def kept(wh) -> list[Kept]:
    """Inbox folders kept but never ingested, oldest first (see the module's docstring)."""
    root = inbox_dir(wh)
    if not root.is_dir():
        return []
    out, legacy = [], []
    for p in sorted(root.iterdir()):
        if p.name.startswith(".") or p.is_symlink() or not p.is_dir() or (p / INGESTED).exists():
            continue
        rec = _read_json(p / UPLOAD_RECORD)
        files = sorted((f.name, f.stat().st_size) for f in p.iterdir()
                       if f.is_file() and not f.name.startswith("."))
        if rec is None:
            m = re.match(r"(\d{8}T\d{6})-(.+)-[0-9a-f]{6}$", p.name)
            at = (dt.datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
                  .isoformat(timespec="seconds") if m else None)
            legacy.append(Kept(p, m.group(2) if m else None, at, files, []))
            continue
        out.append(Kept(p, rec.get("by"), rec.get("at"), files,
                        [tuple(r) for r in rec.get("refused") or [] if len(r) == 2]))
    if legacy:
        known = _known_folders(wh, [k.folder for k in legacy])
        out += [k for k in legacy if k.folder not in known]
    return sorted(out, key=lambda k: (k.at or "", k.folder.name))


def _known_folders(wh, folders: list[Path]) -> set[Path]:
    """Those of `folders` that the current snapshot's ingest record names a file in."""
    from etl import warehouse
    if warehouse.current_snapshot(wh) is None:
        return set()
    con = warehouse.connect_read_only(wh, corrections=False)
    try:
        paths = [r[0] for r in con.execute(
            "SELECT path FROM ingest_files UNION SELECT path FROM bulletins").fetchall() if r[0]]
    finally:
        con.close()
    out = set()
    for f in folders:
        heads = {str(f) + os.sep, str(f.resolve()) + os.sep}
        if any(p.startswith(tuple(heads)) for p in paths):
            out.add(f)
    return out


def discard_kept(wh, dest, user: str) -> list[str]:
    """Remove one kept, never-ingested inbox folder and nothing else; returns its files.

    Under the ingest lock, so that it never removes files an ingest is reading; refused
    for a folder that was ingested (the warehouse's own copy of what it holds). Who
    discarded what, when, is appended to `<wh>/inbox/.discarded.jsonl`."""
    import json

    from etl import warehouse
    dest = _inbox_folder(wh, dest)
    try:
        with warehouse.writer_lock(wh):
            if (dest / INGESTED).exists() or dest.name not in {k.folder.name for k in kept(wh)}:
                raise UploadError(f"{dest.name}: was ingested; not discarded", "up_discard_ingested")
            names = sorted(f.name for f in dest.iterdir() if not f.name.startswith("."))
            shutil.rmtree(dest)
            with open(inbox_dir(wh) / DISCARDED_LOG, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"folder": dest.name, "files": names, "by": user,
                                     "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")},
                                    ensure_ascii=False) + "\n")
    except warehouse.WarehouseBusy:
        raise UploadError(f"{dest.name}: an ingest is running; not discarded", "up_discard_busy") from None
    return names


def discard(folder: Path) -> None:
    """Remove a staging folder (a refused, replaced or abandoned upload); only inside a staging area."""
    folder = Path(folder)
    if folder.parent.name != STAGING or folder.parent.parent.name != INBOX:
        raise UploadError(f"{folder}: not an upload staging folder")
    shutil.rmtree(folder, ignore_errors=True)


def sweep_staging(wh, older_than: float = STALE_STAGING_SECONDS) -> list[Path]:
    """Remove staging folders untouched for `older_than` seconds; returns those removed."""
    import time

    root = inbox_dir(wh) / STAGING
    if not root.is_dir():
        return []
    gone = []
    now = time.time()
    for p in root.iterdir():
        try:
            if now - p.lstat().st_mtime < older_than:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
            gone.append(p)
        except FileNotFoundError:
            continue
    return gone


# ------------------------------------------------------------------ what the page shows

def preview_table(figures: list[dict], lang: str, metric_names: dict[str, str]):
    """A file's figures as staff read them: place and unit in the page's language, metric by name."""
    import pandas as pd

    from dashboard import i18n
    from dashboard.i18n import t
    from etl import reference

    def metric(code):
        if code in metric_names:
            return metric_names[code]
        m = reference.metrics().get(re.sub(r"_(change|share|rate)$", "", str(code))) or reference.metrics().get(code)
        return i18n.name(m.name_zh, m.name_en, lang) if m else code
    df = pd.DataFrame(figures)
    places = df["county"].fillna(df["city"]).fillna(df["province"])
    from dashboard.layout import excerpt
    return pd.DataFrame({
        t("col_place", lang): [i18n.place(p, lang) if isinstance(p, str) else "—" for p in places],
        t("col_raw", lang): df["raw"],
        t("col_metric", lang): [metric(m) for m in df["metric"]],
        # the sentence around its figure: what the figure counts, in one line of the grid
        t("col_excerpt", lang): [excerpt(s, r) for s, r in zip(df["sentence"], df["raw"])],
        t("col_value", lang): df["value"],
        t("col_unit", lang): [(i18n.UNITS_EN.get(u, u) if lang == "en" else u) for u in df["unit"]],
    })


#: the import report (inside the page's `up_report_table` container): the outcome and the count
#: on one line, the file name and the reason wrap
REPORT_CSS = """<style>
.st-key-up_report_table td:nth-child(2), .st-key-up_report_table td:nth-child(2) *,
.st-key-up_report_table td:nth-child(3), .st-key-up_report_table td:nth-child(3) * { white-space: nowrap !important; }
.st-key-up_report_table td, .st-key-up_report_table th { font-size: 0.875rem; }
</style>"""


def report_table(rows: list[dict]):
    """The import report for st.table: a Styler whose every cell and header is markdown-escaped
    (a file name like a_b_.txt or a reason quoting `*` is shown as written, never formatted)."""
    import pandas as pd
    from dashboard.text import escape_markdown
    frame = pd.DataFrame(rows).astype(str)
    return frame.style.format(escape_markdown).format_index(escape_markdown, axis=1)


def inbox_label(wh, dest) -> str:
    """'inbox/20261207T112638-admin-1a2b3c': an inbox folder as a path inside the warehouse."""
    try:
        return Path(dest).resolve().relative_to(Path(wh).resolve()).as_posix()
    except ValueError:
        return Path(dest).name


def snapshot_label(path) -> str:
    """'000002' for 000002-20261207T…-27389.duckdb: the snapshot's number, not its file name."""
    return Path(str(path)).name.split("-", 1)[0]


def _css_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_css(browse: str, drop: str) -> str:
    """Style rules that word the file picker in the page's language.

    Why CSS: st.file_uploader draws its own English button ("Upload") and line ("20MB per
    file • TXT, …") with no option to change them, which left English in the Chinese page.
    Our words (from dashboard.i18n, never user text) are drawn in their place; if a later
    Streamlit changes the markup, the picker simply shows its own words again.
    """
    scope = '[class*="st-key-up_files_"] [data-testid="stFileUploaderDropzone"]'
    return ("<style>"
            f'{scope} button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}'
            f'{scope} button [data-testid="stMarkdownContainer"] p::after {{ content: {_css_string(browse)}; '
            "font-size: 0.875rem; }"
            f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}'
            f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{ '
            f"content: {_css_string(drop)}; font-size: 0.875rem; }}"
            "</style>")
