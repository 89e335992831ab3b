"""数据明细 Figures: every figure with its sentence, searchable, downloadable as shown."""
import pandas as pd
import streamlit as st

from dashboard import layout, queries, spreadsheet

LIMIT = 1000

ctx = layout.page_setup("figures")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

if "fi_search" not in st.session_state:
    st.session_state["fi_search"] = st.query_params.get("q", "")
search = st.text_input(ctx.t("search"), key="fi_search", max_chars=200)
if search:
    st.query_params["q"] = search
elif "q" in st.query_params:
    del st.query_params["q"]

rows, total = queries.figures(snap, f, search, LIMIT)
st.caption(ctx.t("showing", total=total, shown=len(rows)))
if rows.empty:
    st.info(ctx.t("no_rows"))
    st.stop()

table = layout.display_frame(ctx, rows)
# the grid shows each sentence around its figure; the chosen row's whole sentence, with the
# figure highlighted, its bulletin, file and date, is shown under it (escaped: text, never HTML)
layout.figure_grid(ctx, rows, "fi_table", table=table)

c1, c2 = st.columns(2)
# text from bulletins: never a formula in Excel, no character XML refuses (dashboard.spreadsheet)
c1.download_button(ctx.t("download_csv"), data=lambda: spreadsheet.table_csv(table),
                   file_name="pingan_figures.csv", mime="text/csv", key="fi_csv", on_click="ignore")
c2.download_button(ctx.t("download_xlsx"), data=lambda: spreadsheet.table_xlsx(table, "figures"),
                   file_name="pingan_figures.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="fi_xlsx", on_click="ignore")
