"""区县对比 Counties: one metric across counties (ranking, map), categories, a county profile."""
import json

import pandas as pd
import streamlit as st

from dashboard import charts, colors, i18n, layout, queries
from etl import config

GEOJSON = config.REFERENCE_DIR / "zhejiang_counties.geojson"


@st.cache_data(show_spinner=False)
def _geojson(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return charts.simplify_geojson(json.load(fh))


ctx = layout.page_setup("counties")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

mm = queries.metric_measures(snap, f)
series = mm[(mm["category"] != "other") & (mm["n_counties"] > 0)]
if series.empty:
    st.info(ctx.t("no_rows"))
    st.stop()

# metric choice (kept in the URL as `metric=code|measure` so a link opens the same chart)
keys = [f"{m}|{s}" for m, s in zip(series["metric"], series["measure"])]
if st.session_state.get("co_metric") not in keys:
    wanted = st.query_params.get("metric")
    st.session_state["co_metric"] = wanted if wanted in keys else keys[0]
choice = st.selectbox(ctx.t("pick_metric"), keys, key="co_metric",
                      format_func=lambda v: f"{layout.metric_label(ctx, *v.split('|'))}")
st.query_params["metric"] = choice
metric, measure = choice.split("|")
title = layout.metric_label(ctx, metric, measure)

rank = queries.ranking(snap, f, metric, measure)
directory = queries.county_directory(snap)["code"].tolist()
cmap = colors.county_colors(directory)


def ranked_sources(custom):
    """A ranking bar or map area: the figures of that place for the metric shown."""
    return title, queries.sources(snap, f, place_key=custom[0], metric=metric, measure=measure)


st.subheader(ctx.t("ranking"))
st.caption(ctx.t("ranking_note"))
if rank.empty:
    st.caption(ctx.t("no_rows"))
else:
    layout.clickable_chart(ctx, charts.ranking_bar(rank, lang, cmap, title), "co_ranking",
                           ranked_sources, hint=True)

# ---- map: whole province or one city, offline (our GeoJSON, no tiles)
st.subheader(ctx.t("map"))
if not GEOJSON.is_file():
    st.info(ctx.t("no_geojson", path=str(GEOJSON)))
else:
    gj = _geojson(str(GEOJSON), GEOJSON.stat().st_mtime)
    cities = {}
    for ft in gj["features"]:
        p = ft["properties"]
        cities.setdefault(p.get("city_code"), p.get("city"))
    scope_opts = ["330000"] + sorted(c for c in cities if c)
    if st.session_state.get("co_scope") not in scope_opts:
        default = f.cities[0] if len(f.cities) == 1 and f.cities[0] in scope_opts else "330000"
        st.session_state["co_scope"] = default
    scope = st.selectbox(ctx.t("map_scope"), scope_opts, key="co_scope",
                         format_func=lambda c: ctx.t("whole_province") if c == "330000" else cities.get(c, c))
    codes = None if scope == "330000" else [ft["properties"]["code"] for ft in gj["features"]
                                            if ft["properties"].get("city_code") == scope]
    data = rank if codes is None else rank[rank["county_code"].isin(codes)]
    layout.clickable_chart(ctx, charts.county_map(data, gj, lang, title, codes), "co_map",
                           ranked_sources)

# ---- county × category heat map (numbers of reports, never summed values)
st.subheader(ctx.t("heatmap"))
heat = queries.heat_county_category(snap, f)
if heat.empty:
    st.caption(ctx.t("no_rows"))
else:
    names = dict(zip(heat["county_code"], heat["county"]))
    cats = {c: i18n.category(c, lang) for c in heat["category"].unique()}
    def cell_sources(custom):
        code, cat = custom[:2]
        return (f"{names.get(code, code)} · {cats.get(cat, cat)}",
                queries.sources(snap, f, county_code=code, category=cat))

    layout.clickable_chart(ctx, charts.heatmap(heat, "category", "county_code", cats, names, lang,
                                               ctx.t("heatmap"), ctx.t("col_category"), ctx.t("col_county")),
                           "co_heat", cell_sources)

# ---- county profile: every latest figure of one county, its initiatives, its sources
st.subheader(ctx.t("profile"))
places = ctx.options["places"].dropna(subset=["county_code"])
county_names = {str(r["county_code"]): str(r["county"]) for _, r in places.iterrows()}
present = [c for c in heat["county_code"].unique()] if not heat.empty else []
if not present:
    st.caption(ctx.t("no_rows"))
else:
    if st.session_state.get("co_county") not in present:
        wanted = st.query_params.get("county")
        st.session_state["co_county"] = wanted if wanted in present else present[0]
    county = st.selectbox(ctx.t("pick_county"), present, key="co_county",
                          format_func=lambda c: county_names.get(c, c))
    st.query_params["county"] = county
    prof = queries.county_profile(snap, f, county)
    layout.source_table(ctx, prof, key="co_profile")
    ini = queries.county_initiatives(snap, f, county)
    st.markdown(f"**{ctx.t('profile_initiatives')}**")
    if ini.empty:
        st.caption(ctx.t("q_none"))
    else:
        st.dataframe(pd.DataFrame({
            ctx.t("col_initiative"): [i18n.name(z, e, lang) or c for z, e, c in
                                      zip(ini["name_zh"], ini["name_en"], ini["initiative"])],
            ctx.t("col_mechanism"): ["、".join(m) if isinstance(m, (list, tuple)) or hasattr(m, "__len__") and not isinstance(m, str) else "" for m in ini["mechanisms"]],
            ctx.t("col_figures"): ini["n"],
        }), hide_index=True, width="stretch", key="co_profile_ini")
