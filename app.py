"""Entry point: `streamlit run app.py`. Navigation only; each page sets itself up.

The warehouse comes from PINGAN_WAREHOUSE or data/warehouse/ (etl.config), so the
command needs no arguments. On a fresh server Streamlit may first run this file as a page
of its legacy `pages/` mode; `leave_legacy_pages_mode` reruns it cleanly instead.
"""
import streamlit as st

from dashboard import layout

# The favicon first: the frontend otherwise takes the menu's icon (":material/…"), which the
# browser fetches from fonts.gstatic.com: a console error offline.
st.set_page_config(page_icon=layout.PAGE_ICON, layout="wide")
lang = layout.current_lang()
layout.leave_legacy_pages_mode(lang)
st.navigation(layout.navigation_pages(lang), position="sidebar").run()
