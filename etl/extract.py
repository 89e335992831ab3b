"""Document -> articles and figure records with place, metric, initiative and period.

INTERFACE STUB — being written by the lead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from etl.manifest import Meta
from etl.readers import Document


@dataclass
class Extraction:
    bulletin: dict                 # bulletins row minus size/mtime/run_id (see schema.sql)
    articles: list[dict] = field(default_factory=list)   # articles rows
    figures: list[dict] = field(default_factory=list)    # figures rows (the full record)


def extract_document(doc: Document, meta: Meta | None = None) -> Extraction:
    raise NotImplementedError
