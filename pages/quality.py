"""数据质量 Data quality: what the extractor could not classify, place or date, and refused files."""
import pandas as pd
import streamlit as st

from dashboard import i18n, layout, queries

ctx = layout.page_setup("quality")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

q = queries.quality_counts(snap, f)
c = st.columns(4)
c[0].metric(ctx.t("q_unclassified"), i18n.fmt_number(q["unclassified"], lang))
c[1].metric(ctx.t("q_unresolved"), i18n.fmt_number(q["unresolved"], lang))
c[2].metric(ctx.t("q_unknown_dates"), i18n.fmt_number(q["undated"], lang))
c[3].metric(ctx.t("q_refused"), i18n.fmt_number(q["refused"], lang))

for kind, label in (("unclassified", "q_unclassified"), ("unresolved", "q_unresolved"),
                    ("undated", "q_unknown_dates")):
    st.subheader(ctx.t(label))
    layout.source_table(ctx, queries.quality_rows(snap, f, kind), key=f"dq_{kind}")

st.subheader(ctx.t("q_refused"))
ref = queries.refused_files(snap)
if ref.empty:
    st.caption(ctx.t("q_none"))
else:
    st.dataframe(pd.DataFrame({
        ctx.t("col_run"): ref["run_id"], ctx.t("col_path"): ref["path"],
        ctx.t("col_outcome"): [i18n.outcome(o, lang) for o in ref["outcome"]],
        ctx.t("col_reason"): ref["reason"],
    }), hide_index=True, width="stretch", key="dq_refused")

st.subheader(ctx.t("q_per_bulletin"))
pb = queries.per_bulletin(snap, f)
if pb.empty:
    st.caption(ctx.t("q_none"))
else:
    st.dataframe(pd.DataFrame({
        ctx.t("col_file"): pb["file_name"], ctx.t("col_bulletin"): pb["title"],
        ctx.t("col_date"): [d.date().isoformat() if not pd.isna(d) else ctx.t("unknown")
                            for d in pd.to_datetime(pb["published_on"])],
        ctx.t("col_date_source"): pb["date_source"],
        ctx.t("col_figures"): pb["n_figures"], ctx.t("col_n_other"): pb["n_other"],
        ctx.t("col_n_unresolved"): pb["n_unresolved"],
        ctx.t("col_demo"): [ctx.t("yes") if s else "" for s in pb["synthetic"]],
    }), hide_index=True, width="stretch", key="dq_bulletins")
