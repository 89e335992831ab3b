"""专项工作 Initiatives: programme → pillar → mechanism, where each is reported, and sources."""
import streamlit as st

from dashboard import charts, i18n, layout, queries
from dashboard.charts import esc

ctx = layout.page_setup("initiatives")
lang, f, snap = ctx.lang, ctx.filters, ctx.snap

counts = queries.initiative_counts(snap, f)
ini = ctx.options["initiatives"]
names = {r["code"]: (i18n.name(r["name_zh"], r["name_en"], lang) or r["code"]) for _, r in ini.iterrows()}

if counts.empty:
    st.info(ctx.t("no_rows"))
    st.stop()

# ---- hierarchy: node totals include their children (branchvalues="total")
totals: dict[str, int] = {}
parents: dict[str, str] = {}
labels: dict[str, str] = {}
kinds: dict[str, list] = {}
for _, r in counts.iterrows():
    code = str(r["initiative"])
    n = int(r["n"])
    chain = [code]
    if "." in code:
        chain.append(code.split(".")[0])
    for i, node in enumerate(chain):
        totals[node] = totals.get(node, 0) + n
        labels[node] = names.get(node, node)
        parents[node] = chain[i + 1] if i + 1 < len(chain) else ""
        kinds[node] = [node, ""]
    if isinstance(r["mechanism"], str) and r["mechanism"]:
        mid = f"{code}/{r['mechanism']}"
        totals[mid] = totals.get(mid, 0) + n
        labels[mid] = r["mechanism"]
        parents[mid] = code
        kinds[mid] = [code, r["mechanism"]]
ids = sorted(totals, key=lambda k: (k.count("/") + k.count("."), k))
hover = [f"<b>{esc(labels[i])}</b><br>{ctx.t('col_figures')}: {totals[i]}" for i in ids]
st.subheader(ctx.t("hierarchy"))
def segment_sources(custom):
    code, mech = custom[:2]
    keys = {"initiative": code, **({"mechanism": mech} if mech else {})}
    return labels.get(code, code) + (" · " + mech if mech else ""), queries.sources(snap, f, **keys)


layout.clickable_chart(ctx, charts.sunburst(ids, [labels[i] for i in ids], [parents[i] for i in ids],
                                            [totals[i] for i in ids], hover, [kinds[i] for i in ids],
                                            lang, ctx.t("hierarchy")),
                       "in_sunburst", segment_sources, hint=True)

# ---- initiative × county matrix
st.subheader(ctx.t("matrix"))
mat = queries.initiative_county(snap, f)
if mat.empty:
    st.caption(ctx.t("no_rows"))
else:
    county_names = dict(zip(mat["county_code"], mat["county"]))
    def cell_sources(custom):
        code, county = custom[:2]
        return (names.get(code, code) + " · " + county_names.get(county, county),
                queries.sources(snap, f, initiative=code, county_code=county))

    layout.clickable_chart(ctx, charts.heatmap(mat, "county_code", "initiative", county_names, names, lang,
                                               ctx.t("matrix"), ctx.t("col_county"), ctx.t("col_initiative")),
                           "in_matrix", cell_sources)

# ---- figures per initiative
st.subheader(ctx.t("initiative_figures"))
present = sorted({str(c) for c in counts["initiative"]})
if st.session_state.get("in_pick") not in present:
    wanted = st.query_params.get("initiative_pick")
    st.session_state["in_pick"] = wanted if wanted in present else present[0]
pick = st.selectbox(ctx.t("pick_initiative"), present, key="in_pick",
                    format_func=lambda c: names.get(c, c))
st.query_params["initiative_pick"] = pick
layout.source_table(ctx, queries.sources(snap, f, initiative=pick), key="in_figures")
