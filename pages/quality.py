"""数据质量 Data quality: what the extractor could not classify, place or date, and refused files.

The counts are etl.counts', named exactly as `python -m etl status` and the packs name
them. Counts of extracted figures (per county and category) live here, not on the
pages that answer questions about results.
"""
import pandas as pd
import streamlit as st

from dashboard import charts, i18n, layout, queries
from etl import counts

ctx = layout.page_setup("quality")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

q = queries.view_counts(snap, f)
st.subheader(ctx.t("q_counts"))
shown = ("bulletins", "figures", "counties", "unclassified", "unplaced", "undated", "undated_bulletins", "refused")
cols = st.columns(4)
for i, k in enumerate(shown):
    cols[i % 4].metric(counts.label(k, lang), i18n.fmt_number(q[k], lang))

def heading(kind: str) -> str:
    """A count's name as a heading: 'Files not loaded', not 'files not loaded'."""
    name = counts.label(kind, lang)
    return name[:1].upper() + name[1:]


for kind in ("unclassified", "unplaced", "undated"):
    st.subheader(heading(kind))
    layout.source_table(ctx, queries.quality_rows(snap, f, kind), key=f"dq_{kind}")

st.subheader(heading("refused"))
ref = queries.refused_files(snap)
if ref.empty:
    st.caption(ctx.t("q_none"))
else:
    refused = pd.DataFrame({
        ctx.t("col_run"): ref["run_id"],
        ctx.t("col_path"): [layout.shorten(p, 30, keep="start") for p in ref["path"]],   # the file's end
        ctx.t("col_outcome"): [i18n.outcome(o, lang) for o in ref["outcome"]],
        ctx.t("col_reason"): [layout.shorten(r, 40) for r in ref["reason"]],
    })
    st.dataframe(refused, hide_index=True, width="stretch", key="dq_refused",
                 column_config=layout.grid_config(refused, lang))

# ---- figures extracted per county and category: how much the extractor found, where
st.subheader(ctx.t("q_heat"))
heat = queries.heat_county_category(snap, f)
if heat.empty:
    st.caption(ctx.t("no_rows"))
else:
    cnames = {c: i18n.place(n, lang) for c, n in zip(heat["county_code"], heat["county"])}
    cats = {c: i18n.category(c, lang) for c in heat["category"].unique()}

    def cell_sources(custom):
        code, cat = custom[:2]
        return (f"{cnames.get(code, code)} · {cats.get(cat, cat)}",
                queries.sources(snap, f, county_code=code, category=cat))

    layout.clickable_chart(ctx, charts.heatmap(heat, "category", "county_code", cats, cnames, lang,
                                               ctx.t("q_heat"), ctx.t("col_category"), ctx.t("col_county")),
                           "dq_heat", cell_sources)

st.subheader(ctx.t("q_per_bulletin"))
pb = queries.per_bulletin(snap, f)
if pb.empty:
    st.caption(ctx.t("q_none"))
else:
    per = pd.DataFrame({
        ctx.t("col_file"): [layout.shorten(x, 30, keep="start") for x in pb["file_name"]],
        ctx.t("col_bulletin"): [layout.shorten(x) for x in pb["title"]],
        ctx.t("col_date"): [d.date().isoformat() if not pd.isna(d) else ctx.t("unknown")
                            for d in pd.to_datetime(pb["published_on"])],
        ctx.t("col_date_source"): [i18n.date_source(x, lang) for x in pb["date_source"]],
        ctx.t("col_figures"): pb["n_figures"], ctx.t("col_n_other"): pb["n_other"],
        ctx.t("col_n_unresolved"): pb["n_unresolved"],
        ctx.t("col_demo"): [ctx.t("yes") if s else "" for s in pb["synthetic"]],
    })
    st.dataframe(per, hide_index=True, width="stretch", key="dq_bulletins",
                 column_config=layout.grid_config(per, lang))
