"""总览 Overview: how the chosen area is doing, on one screen.

Key metrics first (dashboard.keymetrics decides which, the same as the packs), each with
the area's latest comparable change and its best and worst places; then what changed in
the latest bulletins; then one metric over time, like with like.
"""
import pandas as pd
import streamlit as st

from dashboard import cards, charts, comparable, i18n, keymetrics, layout, queries
from dashboard.text import escape_markdown

ctx = layout.page_setup("overview")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

k = queries.kpis(snap, f)
if not k["figures"]:
    st.info(ctx.t("no_rows"))
    st.stop()

latest = queries.latest_reports(snap, f)
names = layout.base_metric_names(ctx)
key = keymetrics.key_series(latest, 6)

c = st.columns(3)
c[0].metric(ctx.t("kpi_bulletins"), i18n.fmt_number(k["bulletins"], lang))
c[1].metric(ctx.t("kpi_places"), i18n.fmt_number(latest["place_key"].nunique(), lang))
c[2].metric(ctx.t("kpi_latest"), ctx.t("unknown") if pd.isna(k["latest"]) else pd.Timestamp(k["latest"]).date().isoformat())

# ---- key metrics: the area's own figure or how many places moved the good way, best and worst
st.subheader(ctx.t("key_metrics"))
st.caption(ctx.t("key_metrics_rule"))
deck = cards.build(latest, key, f, lang, names,
                   reports_of=lambda m, s, p: queries.series_reports(snap, f, m, s, p),
                   previous_of=lambda row: queries.previous_reports(snap, f, row))
cols = st.columns(3)
for i, card in enumerate(deck):
    with cols[i % 3].container(border=True, key=f"ov_card_{i}"):
        help_text = None
        if card.area is not None:
            help_text = f"{card.area['raw']} · {card.area['sentence']}".replace("\n", " ")
        st.metric(card.label, card.value, delta=card.delta, delta_color=card.delta_color, delta_arrow=card.delta_arrow,
                  help=help_text)
        # where and when the headline number holds, then the best and worst places with theirs
        lines = [escape_markdown(x) for x in (card.where, card.compared, card.caption) if x]
        if lines:
            st.caption("  \n".join(lines))

# ---- what changed in the latest bulletins: reported changes of one period, one chart per unit
chc = comparable.changes(latest)
if len(chc.rows):
    ch = chc.rows.assign(_abs=chc.rows["value"].abs()).sort_values(
        ["published_on", "_abs", "figure_id"], ascending=[False, False, True], na_position="last").head(15)
    for unit, g in ch.groupby("unit", sort=False):
        title = ctx.t("recent_changes_pp") if unit == "个百分点" else ctx.t("recent_changes")
        st.subheader(title)
        st.caption(escape_markdown(chc.note(lang)) + ("." if lang == "en" else "。"))
        layout.clickable_chart(ctx, charts.changes_bar(g, lang, names, chc.label(lang)),
                               f"ov_changes{'' if unit == '%' else '_' + str(abs(hash(unit)) % 1000)}",
                               lambda custom: (ctx.t("changes"), queries.fact_sources(snap, f, custom[0])),
                               hint=True)
    layout.others_grid(ctx, chc.others, "ov_changes_others")

# ---- one metric over time: one place, one kind of period
st.subheader(ctx.t("trends"))
st.caption(ctx.t("trend_note"))
series = keymetrics.choose(keymetrics.series_summary(latest), 99)
if series.empty:
    st.caption(ctx.t("no_rows"))
else:
    keys = [f"{m}|{s}" for m, s in zip(series["metric"], series["measure"])]
    wanted = st.query_params.get("trend")
    if st.session_state.get("ov_metric") not in keys:
        st.session_state["ov_metric"] = wanted if wanted in keys else keys[0]
    # a place's name (景宁畲族自治县, Lishui Development Zone) needs the room of a metric's
    t1, t2, t3 = st.columns([3, 3, 2])
    choice = t1.selectbox(ctx.t("trend_metric"), keys, key="ov_metric",
                          format_func=lambda v: cards.series_label(names.get(v.split("|")[0], v.split("|")[0]),
                                                                   v.split("|")[1], lang))
    st.query_params["trend"] = choice
    metric, measure = choice.split("|")
    reporting = queries.series_places(snap, f, metric, measure)   # one row per place
    area = cards.area_key(f)
    by_place = pd.Series(reporting["n"].to_numpy(), index=reporting["place_key"]).sort_values(ascending=False)
    place_opts = list(by_place.index)
    if area and area[0] in place_opts:
        place_opts.remove(area[0])
        place_opts.insert(0, area[0])
    place_names = dict(zip(reporting["place_key"], reporting["place_name"]))
    if st.session_state.get("ov_place") not in place_opts:
        st.session_state["ov_place"] = place_opts[0]
    place = t2.selectbox(ctx.t("trend_place"), place_opts, key="ov_place",
                         format_func=lambda p: i18n.place(place_names.get(p, p), lang))
    # comparable kinds first, year-to-date before the rest (the usual way bulletins report)
    pref = ("ytd", "year", "half", "quarter", "month", "point", "per_day", "per_year", "span")
    # the kinds and their counts first, then the reports of the kind drawn only (the whole
    # series is read only where the kinds cannot be counted in SQL or none is comparable)
    per_kind = queries.series_kinds(snap, f, metric, measure, place)
    mine = None
    if per_kind is None or not set(pref) & set(per_kind["period_kind"]):
        mine = queries.series_reports(snap, f, metric, measure, place)
    have = set(mine["period_kind"]) if mine is not None else set(per_kind["period_kind"])
    kinds = [kd for kd in pref if kd in have]
    if not kinds:
        kinds = list(mine["period_kind"].value_counts().index)
    if st.session_state.get("ov_kind") not in kinds:
        st.session_state["ov_kind"] = kinds[0]
    kind = t3.selectbox(ctx.t("trend_kind"), kinds, key="ov_kind", format_func=lambda kd: i18n.period_kind(kd, lang))
    drawn = (mine[mine["period_kind"] == kind] if mine is not None
             else queries.series_reports(snap, f, metric, measure, place, period_kind=kind))
    title = f"{i18n.place(place_names.get(place, place), lang)} · " \
            f"{cards.series_label(names.get(metric, metric), measure, lang)} · {i18n.period_kind(kind, lang)}"
    layout.clickable_chart(ctx, charts.comparable_trend(drawn, lang, title, kind), "ov_trend",
                           lambda custom: (title, queries.fact_sources(snap, f, custom[0])))
    undated = int(mine["published_on"].isna().sum()) if mine is not None else int(per_kind["n_undated"].sum())
    left_out = undated + (int(drawn["period_end"].isna().sum()) if kind == "ytd" else 0)
    if left_out:
        st.caption(ctx.t("trend_left_out", n=left_out))

# ---- newest figures with their sources
st.subheader(ctx.t("latest_figures"))
layout.source_table(ctx, queries.latest_figures(snap, f), key="ov_latest")
