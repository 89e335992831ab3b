"""Briefing packs (PowerPoint, Excel, Word 简报) built from what the user is looking at.

The dashboard's download buttons and `python -m dashboard.briefing` call the same three
functions with the same Filters, so a pack always matches the view it came from.
"""
from __future__ import annotations

from dashboard.briefing.collect import BriefingError, Pack, collect


def build_pptx(filters, warehouse) -> bytes:
    from dashboard.briefing.pptx_pack import render
    return render(collect(filters, warehouse))


def build_xlsx(filters, warehouse) -> bytes:
    from dashboard.briefing.xlsx_pack import render
    return render(collect(filters, warehouse))


def build_docx(filters, warehouse) -> bytes:
    """Raises BriefingError naming what to install when no Chromium can draw the charts."""
    from dashboard.briefing.chart_images import warm_up
    from dashboard.briefing.docx_pack import render
    warm_up()               # says what is missing straight away, else starts Chromium meanwhile
    return render(collect(filters, warehouse))


BUILDERS = {"pptx": build_pptx, "xlsx": build_xlsx, "docx": build_docx}

__all__ = ["BUILDERS", "BriefingError", "Pack", "build_docx", "build_pptx", "build_xlsx", "collect"]
