"""Briefing packs for the current view, one click from every page's sidebar.

The packs are built only when a button is clicked (Streamlit's deferred `data=callable`),
with the filters the page is showing: a rerun costs nothing, and the file matches the view.
The Word 简报 needs Chromium for its charts; when there is none the button is disabled and
says what to install, instead of failing after the click.
"""
from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from dashboard.briefing import BriefingError, build_docx, build_pptx, build_xlsx
from dashboard.briefing.chart_images import find_browser
from dashboard.i18n import t

MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BUILD = {"pptx": build_pptx, "xlsx": build_xlsx, "docx": build_docx}


def briefing_buttons(filters, warehouse, lang: str) -> None:
    sb = st.sidebar
    sb.subheader(t("briefing_title", lang))
    stamp = dt.date.today().strftime("%Y%m%d")
    missing = None
    try:
        find_browser()
    except BriefingError as err:
        missing = str(err)
    for fmt in ("pptx", "xlsx", "docx"):
        disabled = fmt == "docx" and missing is not None
        sb.download_button(
            t(f"briefing_{fmt}", lang),
            data=partial(BUILD[fmt], filters, warehouse),
            file_name=f"{t('briefing_file', lang)}_{stamp}.{fmt}",
            mime=MIME[fmt], key=f"dl_{fmt}", disabled=disabled,
            help=missing if disabled else t("briefing_help", lang),
            on_click="ignore", width="stretch")
