"""专项工作 Initiatives: what each initiative achieved, where and over time.

The treemap sizes each programme and pillar by the number of places reporting it (where it
runs), not by how many figures were extracted (that count is the quality page's). Below,
the chosen initiative's key results: its most important metrics (dashboard.keymetrics),
the latest figure of each place, best first, and its reports over time.
"""
import pandas as pd
import streamlit as st

from dashboard import cards, charts, comparable, i18n, keymetrics, layout, queries
from dashboard.charts import esc
from dashboard.text import escape_markdown

ctx = layout.page_setup("initiatives")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap
metric_names = layout.base_metric_names(ctx)

spread = queries.initiative_places(snap, f)
ini = ctx.options["initiatives"]
names = {r["code"]: (i18n.name(r["name_zh"], r["name_en"], lang) or r["code"]) for _, r in ini.iterrows()}
if spread.empty:
    st.info(ctx.t("no_rows"))
    st.stop()

# ---- where each initiative runs: programme -> pillar, sized by places reporting it
ids, labels, parents, values, hover, custom = [], [], [], [], [], []
programmes: dict[str, int] = {}
for _, r in spread.iterrows():
    code = str(r["initiative"])
    prog = code.split(".")[0]
    if "." in code:
        programmes[prog] = programmes.get(prog, 0) + int(r["n_places"])
for _, r in spread.iterrows():
    code = str(r["initiative"])
    if "." not in code:
        programmes[code] = max(programmes.get(code, 0), int(r["n_places"]))
for prog, n in sorted(programmes.items()):
    ids.append(prog); labels.append(names.get(prog, prog)); parents.append(""); values.append(n)
    hover.append(f"<b>{esc(names.get(prog, prog))}</b><br>{ctx.t('col_places')}: {n}"); custom.append([prog])
own = {}
for _, r in spread.iterrows():
    code = str(r["initiative"])
    if "." in code:
        ids.append(code); labels.append(names.get(code, code)); parents.append(code.split(".")[0])
        values.append(int(r["n_places"])); custom.append([code])
        hover.append(f"<b>{esc(names.get(code, code))}</b><br>{ctx.t('col_places')}: {int(r['n_places'])}")
    else:
        own[code] = int(r["n_places"])
# a programme's figures not filed under a pillar: its own box, so the children add up
for prog, n in own.items():
    kids = sum(v for i, p, v in zip(ids, parents, values) if p == prog)
    if kids and n > 0:
        ids.append(prog + "/"); labels.append(names.get(prog, prog) + ("（综合）" if lang != "en" else " (general)"))
        parents.append(prog); values.append(n); custom.append([prog])
        hover.append(f"<b>{esc(names.get(prog, prog))}</b><br>{ctx.t('col_places')}: {n}")
        values[ids.index(prog)] = kids + n
st.subheader(ctx.t("initiative_map"))


def pick_from_chart(custom):
    st.session_state["_in_clicked"] = custom[0]
    return None


# boxes too small for a name: two or more under one programme become one "其他 N 项" box, and
# every small box is named under the chart, so none is a nameless colour
tree = charts.group_small(charts.Tree(ids, labels, parents, values, hover, custom), lang)
layout.clickable_chart(ctx, charts.treemap(tree.ids, tree.labels, tree.parents, tree.values, tree.hover, tree.custom,
                                           lang, ctx.t("initiative_map")), "in_treemap", pick_from_chart, hint=False)
if tree.small:
    st.caption(escape_markdown(charts.small_note(tree, lang)))

# ---- what the chosen initiative achieved
st.subheader(ctx.t("achievements"))
present = sorted({str(c) for c in spread["initiative"]} | {c.split(".")[0] for c in spread["initiative"]})
clicked = st.session_state.pop("_in_clicked", None)
if clicked in present and clicked != st.session_state.get("_in_click_applied"):
    st.session_state["in_pick"] = clicked
    st.session_state["_in_click_applied"] = clicked
if st.session_state.get("in_pick") not in present:
    wanted = st.query_params.get("initiative_pick")
    st.session_state["in_pick"] = wanted if wanted in present else present[0]
pick = st.selectbox(ctx.t("pick_initiative"), present, key="in_pick", format_func=lambda c: names.get(c, c))
st.query_params["initiative_pick"] = pick
rep = queries.initiative_reports(snap, f, pick)
key = keymetrics.key_series(rep, 4)
if key.empty:
    st.caption(ctx.t("no_rows"))
for i, (_, k) in enumerate(key.iterrows()):
    s = rep[(rep["metric"] == k["metric"]) & (rep["measure"] == k["measure"])]
    if s["county_level"].astype(bool).any():      # counties ranked with counties, not with the province
        s = s[s["county_level"].astype(bool)]
    cmp = comparable.compare(s, k["metric"])       # like with like: one period ranked, the rest listed
    s = cmp.rows
    title = f"{names.get(pick, pick)} · {cards.series_label(metric_names.get(k['metric'], k['metric']), k['measure'], lang)}"

    def bar_sources(custom, title=title):
        return title, queries.fact_sources(snap, f, custom[1])

    if s["place_key"].nunique() == 1 and i > 0:
        # one place's one figure: a number with its place, period and sentence, not a lone bar
        r = s.iloc[0]
        st.metric(title, cards.change_text(r, lang) if r["measure"] == "change" else cards.value_text(r, lang))
        st.caption(escape_markdown(" · ".join(x for x in (i18n.place(r["place_name"], lang), i18n.period(r["period"], lang),
                                                           layout.excerpt(r["sentence"], r["raw"])) if x)))
        layout.others_grid(ctx, cmp.others, f"in_key_{i}_others")
        continue
    layout.clickable_chart(ctx, charts.ranking_bar(s, lang, title, k["metric"], k["measure"], cmp.label(lang)),
                           f"in_key_{i}", bar_sources, hint=(i == 0))
    st.caption(escape_markdown(cmp.note(lang)) + ("." if lang == "en" else "。"))
    layout.others_grid(ctx, cmp.others, f"in_key_{i}_others")

st.subheader(ctx.t("over_time"))
if not key.empty:
    # the first key result over time, for the place that reports it most, like with like
    k0 = key.iloc[0]
    fi = f.with_(initiatives=(pick,))
    reporting = queries.series_places(snap, fi, k0["metric"], k0["measure"], dated_only=True)
    if len(reporting):
        place = pd.Series(reporting["n"].to_numpy(), index=reporting["place_key"]).sort_values(
            ascending=False).index[0]
        pref = ("ytd", "year", "half", "quarter", "month", "point", "per_day", "per_year", "span")
        # the dated kinds counted first, then the reports of the kind drawn only
        per_kind = queries.series_kinds(snap, fi, k0["metric"], k0["measure"], place)
        if per_kind is None:
            mine = queries.series_reports(snap, fi, k0["metric"], k0["measure"], place)
            mine = mine[mine["published_on"].notna()]
            dated = set(mine["period_kind"])
        else:
            dated = set(per_kind.loc[per_kind["n"] > per_kind["n_undated"], "period_kind"])
        kinds = [kd for kd in pref if kd in dated]
        if kinds:
            drawn = (mine[mine["period_kind"] == kinds[0]] if per_kind is None
                     else queries.series_reports(snap, fi, k0["metric"], k0["measure"], place,
                                                    period_kind=kinds[0]))
            drawn = drawn[drawn["published_on"].notna()]
            ttl = (f"{i18n.place(drawn['place_name'].iloc[0], lang)} · "
                   f"{cards.series_label(metric_names.get(k0['metric'], k0['metric']), k0['measure'], lang)} · "
                   f"{i18n.period_kind(kinds[0], lang)}")
            layout.clickable_chart(ctx, charts.comparable_trend(drawn, lang, ttl, kinds[0]), "in_trend",
                                   lambda custom: (ttl, queries.fact_sources(snap, f, custom[0])))
layout.source_table(ctx, queries.figures(snap, f.with_(initiatives=(pick,)), "", 200)[0], key="in_figures")
