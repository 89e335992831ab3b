"""数据明细 Figures: every figure with its sentence, searchable, downloadable as shown."""
import pandas as pd
import streamlit as st

from dashboard import layout, queries, spreadsheet
from dashboard.text import escape_markdown, highlight_markdown

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
ev = st.dataframe(table, hide_index=True, width="stretch", key="fi_table",
                  on_select="rerun", selection_mode="single-row",
                  column_config=layout.name_column_config(table, lang))

# the chosen row's sentence with the figure marked (escaped markdown: text, never HTML)
sel = ev.selection.rows if ev is not None and hasattr(ev, "selection") else []
st.subheader(ctx.t("detail"))
if sel:
    r = rows.iloc[sel[0]]
    st.markdown(highlight_markdown(r["sentence"], r["raw"]))
    day = pd.Timestamp(r['published_on']).date().isoformat() if not pd.isna(r['published_on']) else ctx.t('unknown')
    # a file name or place is text from outside: `**` or `:red[…]` in it must not format
    st.caption(f"{escape_markdown(r['bulletin_file'])} · {day} · {escape_markdown(r['place_name'] or '—')}")
else:
    st.caption(ctx.t("pick_row"))

c1, c2 = st.columns(2)
# text from bulletins: never a formula in Excel, no character XML refuses (dashboard.spreadsheet)
c1.download_button(ctx.t("download_csv"), data=lambda: spreadsheet.table_csv(table),
                   file_name="pingan_figures.csv", mime="text/csv", key="fi_csv", on_click="ignore")
c2.download_button(ctx.t("download_xlsx"), data=lambda: spreadsheet.table_xlsx(table, "figures"),
                   file_name="pingan_figures.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="fi_xlsx", on_click="ignore")
