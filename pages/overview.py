"""总览 Overview: the headline numbers, key metrics, trends and the newest figures."""
import pandas as pd
import streamlit as st

from dashboard import charts, colors, i18n, layout, queries

ctx = layout.page_setup("overview")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

k = queries.kpis(snap, f)
c = st.columns(4)
c[0].metric(ctx.t("kpi_bulletins"), i18n.fmt_number(k["bulletins"], lang))
c[1].metric(ctx.t("kpi_figures"), i18n.fmt_number(k["figures"], lang))
c[2].metric(ctx.t("kpi_counties"), i18n.fmt_number(k["counties"], lang))
latest = k["latest"]
c[3].metric(ctx.t("kpi_latest"), ctx.t("unknown") if pd.isna(latest) else pd.Timestamp(latest).date().isoformat())
if not k["figures"]:
    st.info(ctx.t("no_rows"))
    st.stop()

# ---- key metrics: latest report and the report before it, same place
st.subheader(ctx.t("key_metrics"))
st.caption(ctx.t("key_metrics_note"))
km = queries.key_metrics(snap, f)
cols = st.columns(3)
for i, (_, r) in enumerate(km.iterrows()):
    label = f"{layout.metric_label(ctx, r['metric'])} · {r['place_name']}"
    value = r["raw"] if lang == "zh" else i18n.fmt_value(r["value"], r["unit"], r["qualifier"], lang)
    delta, help_text = None, None
    date = "—" if pd.isna(r["published_on"]) else pd.Timestamp(r["published_on"]).date().isoformat()
    if not pd.isna(r["prev_value"]) and r["prev_unit"] == r["unit"]:
        diff = float(r["value"]) - float(r["prev_value"])
        prev_date = "—" if pd.isna(r["prev_published_on"]) else pd.Timestamp(r["prev_published_on"]).date().isoformat()
        # ASCII sign: Streamlit picks the arrow from it (a Unicode minus drew ↑ for a fall)
        delta = f"{'+' if diff >= 0 else '-'}{i18n.fmt_number(abs(diff), lang)} {ctx.t('vs_previous')} ({r['prev_raw']}, {prev_date})"
    help_text = f"{date} · {r['sentence']}"
    cols[i % 3].metric(label, value, delta=delta, delta_color="off", help=help_text.replace("\n", " "))

# ---- trends: reported values over time, one series per place, undated counted
st.subheader(ctx.t("trends"))
mm = queries.metric_measures(snap, f)
series = mm[(mm["category"] != "other") & (mm["measure"] != "change")]
if series.empty:
    st.caption(ctx.t("no_rows"))
else:
    keys = [f"{m}|{s}" for m, s in zip(series["metric"], series["measure"])]
    if st.session_state.get("ov_metric") not in keys:
        st.session_state["ov_metric"] = keys[0]
    choice = st.selectbox(ctx.t("trend_metric"), keys, key="ov_metric",
                          format_func=lambda v: layout.metric_label(ctx, *v.split("|")))
    metric, measure = choice.split("|")
    tr = queries.trend(snap, f, metric, measure)
    cmap = colors.county_colors(queries.county_directory(snap)["code"].tolist())
    title = layout.metric_label(ctx, metric, measure)
    if tr.empty:
        st.caption(ctx.t("no_rows"))
    else:
        def point_sources(custom):
            place_key, month = custom[:2]
            return title, queries.sources(snap, f, place_key=place_key, metric=metric, measure=measure,
                                          month=pd.Timestamp(month).date())

        layout.clickable_chart(ctx, charts.trend_lines(tr, lang, cmap, title), "ov_trend",
                               point_sources, hint=True)
    undated = queries.undated_count(snap, f, metric, measure)
    st.caption(ctx.t("unknown_dates_left_out", n=undated))

# ---- reported changes as diverging bars, with their period and wording
ch = queries.changes(snap, f)
if not ch.empty:
    m = ctx.options["metrics"]
    hib = dict(zip(m["code"], m["higher_is_better"]))
    layout.clickable_chart(ctx, charts.changes_bar(ch, lang, hib, layout.metric_names(ctx)), "ov_changes",
                           lambda custom: (ctx.t("changes"), queries.sources(snap, f, figure_id=custom[0])))

# ---- newest figures with their sources
st.subheader(ctx.t("latest_figures"))
layout.source_table(ctx, queries.latest_figures(snap, f), key="ov_latest")
