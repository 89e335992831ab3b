"""Entry point: `streamlit run app.py`. Navigation only; each page sets itself up.

The warehouse comes from PINGAN_WAREHOUSE or data/warehouse/ (etl.config), so the
command needs no arguments.
"""
import streamlit as st

from dashboard import layout

st.navigation(layout.navigation_pages(layout.current_lang()), position="sidebar").run()
