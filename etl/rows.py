"""What one file's extraction becomes in the warehouse: a bulletins row, articles, figures.

Why a module of its own: pool workers (etl.parallel) build these rows, and importing them
from etl.ingest pulled DuckDB and pandas into every worker (≈60 MB of RSS each, for
nothing). This module needs only the standard library.
"""
from __future__ import annotations

import os


def _meta_value(meta, name, default=None):
    return getattr(meta, name, default) if meta is not None else default


def bulletin_row(doc, meta, extraction, given: str, stat, run_id: int, extractor: str) -> dict:
    row = dict(extraction.bulletin or {})
    row.update(
        bulletin_id=doc.bulletin_id,
        path=str(given),
        file_name=os.path.basename(given),
        size_bytes=stat.st_size,
        mtime=stat.st_mtime,
        run_id=run_id,
        abs_path=os.path.abspath(given),
        extractor=extractor,
        n_articles=len(extraction.articles),
        n_figures=len(extraction.figures),
    )
    row.setdefault("format", doc.format)
    row.setdefault("encoding", doc.encoding)
    row.setdefault("n_chars", len(doc.text))
    for name in ("published_on", "date_source", "date_precision", "publisher", "region",
                 "url", "synthetic"):
        if row.get(name) is None:
            row[name] = _meta_value(meta, name)
    row["date_source"] = row.get("date_source") or "unknown"
    row["synthetic"] = bool(row.get("synthetic"))
    if not row.get("format"):
        row["format"] = doc.format
    return row


def figure_rows(doc, meta, extraction, bulletin: dict) -> list[dict]:
    rows = []
    for fig in extraction.figures:
        r = dict(fig)
        if not r.get("bulletin_id"):
            r["bulletin_id"] = doc.bulletin_id
        if r.get("published_on") is None:
            r["published_on"] = bulletin.get("published_on")
        if r.get("synthetic") is None:
            r["synthetic"] = bulletin["synthetic"]
        r["synthetic"] = bool(r["synthetic"])
        rows.append(r)
    return rows


def article_rows(doc, extraction) -> list[dict]:
    rows = []
    for art in extraction.articles:
        r = dict(art)
        r.setdefault("bulletin_id", doc.bulletin_id)
        if r.get("n_figures") is None:
            r["n_figures"] = 0
        rows.append(r)
    return rows


def county_rows() -> list[dict]:
    """The warehouse's counties table as rows: every gazetteer place, code-less aliases keyed
    `alias:<name>` (one per key, the first kept), as etl.warehouse.reference_frames stores it.

    Here, with the other rows, because it needs the gazetteer, which only the processes
    that extract have loaded: an ingest with a pool asks a worker for it (etl.parallel), so
    the ingest process itself never loads the gazetteer (≈1 s of CPU and 50 MB).
    """
    from etl import places

    out, seen = [], set()
    for p in places.all_places():
        code = p.code or f"alias:{p.name}"
        if code in seen:
            continue
        seen.add(code)
        out.append({"code": code, "name": p.name, "short": p.short or p.name,
                    "level": p.level if p.code else "alias", "city_code": p.city_code,
                    "city": p.city, "province": p.province})
    return out
