"""区县对比 Counties: a scorecard of the key metrics, one metric ranked and mapped, a profile.

Every colour says good or bad by the metric's direction of good (dashboard.keymetrics);
the map and the profile follow the filters and the county last clicked.
"""
import json

import pandas as pd
import streamlit as st

from dashboard import cards, charts, comparable, i18n, keymetrics, layout, queries, scorecard
from dashboard.text import escape_markdown
from etl import config

GEOJSON = config.REFERENCE_DIR / "zhejiang_counties.geojson"


@st.cache_data(show_spinner=False)
def _geojson(path: str, mtime: float) -> tuple[dict, dict]:
    from shapely.geometry import shape
    with open(path, encoding="utf-8") as fh:
        gj = json.load(fh)
    centroids = {}
    for ft in gj.get("features", []):
        try:
            p = shape(ft["geometry"]).representative_point()
            centroids[ft["properties"]["code"]] = (round(p.x, 4), round(p.y, 4))
        except Exception:   # a broken polygon loses its label, not the map
            continue
    return charts.simplify_geojson(gj), centroids


ctx = layout.page_setup("counties")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap
names = layout.base_metric_names(ctx)

latest = queries.latest_reports(snap, f)
county_latest = latest[latest["county_level"].astype(bool)] if len(latest) else latest
if county_latest.empty:
    st.info(ctx.t("no_rows"))
    st.stop()
key = keymetrics.key_series(latest, 8)
all_series = keymetrics.choose(keymetrics.series_summary(county_latest), 999)


def label_of(metric: str, measure: str) -> str:
    return cards.series_label(names.get(metric, metric), measure, lang)


# ---- scorecard: counties × key metrics, latest value of one compared period, coloured by good or bad
st.subheader(ctx.t("scorecard"))
st.caption(f"{ctx.t('scorecard_note')} {comparable.words(lang)['cell_note']}")
places = county_latest.drop_duplicates("place_key")[["place_key", "place_name", "city_code"]]
board = pd.DataFrame({ctx.t("col_county"): [scorecard.place_label(n, lang) for n in places["place_name"]]},
                     index=places["place_key"].tolist())
cols = scorecard.columns(county_latest, key, names, lang, cards.series_label)
for c in cols:
    board[c.header] = pd.Series([c.values.get(p, float("nan")) for p in board.index], index=board.index,
                                dtype="float64")
TIER_BG = {"good": "background-color: #c8e6c9", "bad": "background-color: #ffcdd2", "middle": "", "neutral": ""}
#: a report of another period: no colour of good or bad, pale blue (a grid cannot hatch)
OTHER_CELL = "background-color: #dce9f5; color: #5b7189"


def _style(frame: pd.DataFrame) -> pd.DataFrame:
    # built as one list per column: a .loc assignment per cell cost ~0.5 ms (90 counties x
    # the key columns, a fifth of the page's rerun at a million figures)
    out = pd.DataFrame("", index=frame.index, columns=frame.columns)
    where: dict = {}
    for i, p in enumerate(frame.index):
        where.setdefault(p, []).append(i)
    for c in cols:      # no report: grey, never mistaken for a middling value
        cells = ["background-color: #e0e0e0; color: #757575" if na else ""
                 for na in frame[c.header].isna().tolist()]
        for p in c.other:
            for i in where.get(p, ()):
                cells[i] = OTHER_CELL
        for p, tr in c.tiers.items():
            for i in where.get(p, ()):
                cells[i] = TIER_BG.get(tr, "")
        out[c.header] = cells
    return out


# a county that reports none of the key metrics is a row of dashes: it says nothing here
headers = [c.header for c in cols]
board = board[board[headers].notna().any(axis=1) | pd.Series([any(p in c.other for c in cols) for p in board.index],
                                                              index=board.index)] if cols else board
# in gazetteer-code order, as the deck's scorecard: a city's counties sit together (a click on a
# header sorts by any column)
board = board.sort_index(key=lambda ix: ix.map(str))
# st.table draws each cell and header as markdown: names and headers are escaped, shown as written
styled = (board.style.apply(_style, axis=None).format(scorecard.number, subset=headers)
          .format(escape_markdown, subset=[ctx.t("col_county")]).format_index(escape_markdown, axis=1))
# a table, not a grid: its headers wrap, so every column is on screen at 1024 px (a grid's
# one-line headers scrolled sideways after three metrics); the legend under it says what each
# short header stands for and which period its column compares
with st.container(key="co_scorecard"):
    st.html(scorecard.TABLE_CSS)
    st.table(styled, hide_index=True, height="content" if len(board) <= scorecard.ROWS_IN_VIEW
             else scorecard.table_height(scorecard.ROWS_IN_VIEW))
# what each short header means and which period its column compares
st.caption("  \n".join(escape_markdown(c.legend(lang)) for c in cols))

# ---- one metric: ranking and map (kept in the URL as `metric=code|measure`)
keys = [f"{m}|{s}" for m, s in zip(all_series["metric"], all_series["measure"])]
if st.session_state.get("co_metric") not in keys:
    wanted = st.query_params.get("metric")
    st.session_state["co_metric"] = wanted if wanted in keys else keys[0]
choice = st.selectbox(ctx.t("pick_metric"), keys, key="co_metric", format_func=lambda v: label_of(*v.split("|")))
st.query_params["metric"] = choice
metric, measure = choice.split("|")
title = label_of(metric, measure)
# like with like: one period is ranked and mapped; counties whose latest report covers another are listed
cmp = comparable.compare(county_latest[(county_latest["metric"] == metric) & (county_latest["measure"] == measure)],
                         metric)
rank, others = cmp.rows, cmp.others
period_title = f"{title} · {cmp.label(lang)}" if cmp.label(lang) else title


def mark_sources(custom):
    """A bar or an area: exactly the figures it is drawn from (its report and its repeats)."""
    st.session_state["_co_clicked"] = custom[0]
    return title, queries.fact_sources(snap, f, custom[1])


st.subheader(ctx.t("ranking"))
st.caption(f"{ctx.t('ranking_note')} {escape_markdown(cmp.note(lang))}{'.' if lang == 'en' else '。'}")
layout.clickable_chart(ctx, charts.ranking_bar(rank, lang, title, metric, measure, cmp.label(lang)), "co_ranking",
                       mark_sources, hint=True)
layout.others_grid(ctx, others, "co_others")

st.subheader(ctx.t("map"))
st.caption(f"{ctx.t('map_note')} {comparable.words(lang)['map_note']}")
if not GEOJSON.is_file():
    st.info(ctx.t("no_geojson", path=str(GEOJSON)))
else:
    gj, centroids = _geojson(str(GEOJSON), GEOJSON.stat().st_mtime)
    cities = {}
    for ft in gj["features"]:
        p = ft["properties"]
        cities.setdefault(p.get("city_code"), p.get("city"))
    scope_opts = ["330000"] + sorted(c for c in cities if c)
    # the map follows the city filter: a new choice of cities resets its scope
    filt = f.cities[0] if len(f.cities) == 1 and f.cities[0] in scope_opts else "330000"
    if st.session_state.get("_co_scope_for") != f.cities or st.session_state.get("co_scope") not in scope_opts:
        st.session_state["co_scope"] = filt
        st.session_state["_co_scope_for"] = f.cities
    scope = st.selectbox(ctx.t("map_scope"), scope_opts, key="co_scope",
                         format_func=lambda c: ctx.t("whole_province") if c == "330000"
                         else i18n.place(cities.get(c, c), lang, "city"))
    codes = None if scope == "330000" else [ft["properties"]["code"] for ft in gj["features"]
                                            if ft["properties"].get("city_code") == scope]
    if codes is None and f.cities:
        codes = [ft["properties"]["code"] for ft in gj["features"] if ft["properties"].get("city_code") in f.cities]
    data = rank if codes is None else rank[rank["county_code"].isin(codes)]
    layout.clickable_chart(ctx, charts.county_map(data, gj, lang, period_title, metric, measure, codes, centroids,
                                                  selected=st.session_state.get("co_county"), others=others),
                           "co_map", mark_sources)

# ---- county profile: follows the clicked county, else the best-ranked one in view
st.subheader(ctx.t("profile"))
st.caption(ctx.t("profile_follow"))
present = list(rank["place_key"]) + [p for p in places["place_key"] if p not in set(rank["place_key"])]
pnames = dict(zip(places["place_key"], places["place_name"]))
clicked = st.session_state.pop("_co_clicked", None)
if clicked in present and clicked != st.session_state.get("_co_click_applied"):
    # a new click moves the profile; the same selection on later reruns leaves a manual pick alone
    st.session_state["co_county"] = clicked
    st.session_state["_co_click_applied"] = clicked
elif st.session_state.get("co_county") not in present:
    wanted = st.query_params.get("county")
    st.session_state["co_county"] = wanted if wanted in present else present[0]
county = st.selectbox(ctx.t("pick_county"), present, key="co_county",
                      format_func=lambda c: i18n.place(pnames.get(c, c), lang))
st.query_params["county"] = county
prof = queries.county_profile(snap, f, county)
layout.source_table(ctx, prof, key="co_profile")
ini = queries.county_initiatives(snap, f, county)
st.markdown(f"**{ctx.t('profile_initiatives')}**")
if ini.empty:
    st.caption(ctx.t("q_none"))
else:
    ini_table = pd.DataFrame({
        ctx.t("col_initiative"): [i18n.name(z, e, lang) or c for z, e, c in
                                  zip(ini["name_zh"], ini["name_en"], ini["initiative"])],
        ctx.t("col_mechanism"): ["、".join(m) if isinstance(m, (list, tuple)) or hasattr(m, "__len__") and not isinstance(m, str) else "" for m in ini["mechanisms"]],
    })
    st.dataframe(ini_table, hide_index=True, width="stretch", key="co_profile_ini",
                 column_config=layout.grid_config(ini_table, lang))
