"""Entry point: `streamlit run app.py`. Sign-in and navigation; each page sets itself up.

The warehouse comes from PINGAN_WAREHOUSE or data/warehouse/ (etl.config), so the
command needs no arguments. On a fresh server Streamlit may first run this file as a page
of its legacy `pages/` mode; `leave_legacy_pages_mode` reruns it cleanly instead. Nobody
gets a menu before signing in (dashboard.auth), and a viewer's menu has no review or
import page; the pages check the role again themselves.
"""
import streamlit as st

from dashboard import auth, layout

# The favicon first: the frontend otherwise takes the menu's icon (":material/…"), which the
# browser fetches from fonts.gstatic.com: a console error offline.
st.set_page_config(page_icon=layout.PAGE_ICON, layout="wide")
lang = layout.current_lang()
layout.leave_legacy_pages_mode(lang)
user = auth.gate(lang, chrome=False, hidden_pages=lambda: layout.navigation_pages(lang))
st.navigation(layout.navigation_pages(lang, user.role), position="sidebar").run()
