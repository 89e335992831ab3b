"""Plotly figures for the pages: every mark carries what it is made of.

Why hover text is built here: provenance (principle 2) means a bar says which report it
is (value as written, with its qualifier), whose, from which bulletin date and how many
sources repeat it. `customdata` carries the keys a click sends back to the page, which then
lists the source sentences. Plotly renders a subset of HTML in hover labels, so any text
that came from a bulletin is entity-escaped first.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from dashboard import colors, i18n
from dashboard.i18n import t

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def esc(value) -> str:
    """Escape bulletin text for Plotly's pseudo-HTML labels."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def _date(v, lang) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v):
        return t("unknown", lang)
    return pd.Timestamp(v).date().isoformat()


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    v, out = math.floor(lo / step) * step, []
    while True:
        out.append(round(v, 10))
        if v >= hi - step * 1e-9:
            break
        v += step
    return out


def value_axis(fig: go.Figure, values, lang: str, axis: str = "y") -> None:
    """Chinese readers read large numbers in 万 and 亿, not 40M: label the ticks so."""
    vals = [float(v) for v in values if v is not None and not pd.isna(v)]
    if lang != "zh" or not vals or max(abs(min(vals)), abs(max(vals))) < 1e4:
        return
    ticks = _nice_ticks(min(0.0, min(vals)), max(vals))
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickvals=ticks, ticktext=[i18n.fmt_number(v, lang) for v in ticks])


def _layout(fig: go.Figure, lang: str, **kw) -> go.Figure:
    fig.update_layout(font_family=FONT, margin=dict(l=10, r=10, t=40, b=10),
                      hoverlabel=dict(font_family=FONT), clickmode="event+select", **kw)
    return fig


def _demo(row, lang) -> str:
    return f" [{t('demo_tag', lang)}]" if bool(row.get("synthetic")) else ""


def ranking_bar(df: pd.DataFrame, lang: str, color_map: dict[str, str], title: str) -> go.Figure:
    """Counties ordered by their latest reported value (largest first)."""
    df = df.sort_values(["signed", "ckey"], ascending=[False, True])
    hover = []
    for _, r in df.iterrows():
        hover.append("<br>".join([
            f"<b>{esc(r['county'])}</b>{_demo(r, lang)}",
            f"{t('col_raw', lang)}: {esc(r['raw'])}",
            f"{t('col_value', lang)}: {esc(i18n.fmt_value(r['value'], r['unit'], r['qualifier'], lang))}",
            f"{t('col_date', lang)}: {_date(r['published_on'], lang)}",
            f"{t('col_period', lang)}: {esc(r['period']) or '—'}",
            f"{t('col_sources', lang)}: {int(r['n_sources'])}",
        ]))
    fig = go.Figure(go.Bar(
        x=df["county"].tolist(), y=df["signed"].tolist(),
        marker_color=[color_map.get(c, colors.NEUTRAL) for c in df["ckey"]],
        marker_pattern_shape=[colors.DEMO_PATTERN if s else "" for s in df["synthetic"]],
        # ckey: the county code, or the name of a place without one (丽水经济技术开发区)
        customdata=list(zip(df["ckey"], df["figure_id"])),
        hovertext=hover, hoverinfo="text", name=title,
    ))
    fig.update_xaxes(title_text=t("col_county", lang), categoryorder="array",
                     categoryarray=df["county"].tolist())
    fig.update_yaxes(title_text=f"{title} ({t('col_value', lang)})")
    value_axis(fig, df["signed"], lang)
    return _layout(fig, lang, title_text=title, showlegend=False)


def simplify_geojson(geojson: dict, digits: int = 3) -> dict:
    """Coordinates rounded to ~100 m with repeated points dropped: a third of the bytes
    sent to the browser on every rerun, with no visible change at county scale."""
    def walk(c):
        if c and isinstance(c[0], (int, float)):
            return [round(c[0], digits), round(c[1], digits)]
        out = [walk(x) for x in c]
        if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], float):
            dedup = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
            return dedup if len(dedup) >= 4 else out
        return out
    feats = []
    for ft in geojson.get("features", []):
        g = ft.get("geometry") or {}
        feats.append({"type": "Feature", "properties": ft.get("properties", {}),
                      "geometry": {"type": g.get("type"), "coordinates": walk(g.get("coordinates", []))}})
    return {"type": "FeatureCollection", "features": feats}


def county_map(df: pd.DataFrame, geojson: dict, lang: str, title: str,
               codes: list[str] | None = None) -> go.Figure:
    """Choropleth of latest values, drawn from our own GeoJSON on a blank background.

    Counties with a report are coloured; the others are drawn in grey so the outline of the
    province or city stays readable. Each polygon is sent once.
    """
    feats = [ft for ft in geojson.get("features", [])
             if codes is None or ft.get("properties", {}).get("code") in codes]
    have = set(df["county_code"])
    with_data = [ft for ft in feats if ft["properties"].get("code") in have]
    without = [ft for ft in feats if ft["properties"].get("code") not in have]
    data = df[df["county_code"].isin({ft["properties"]["code"] for ft in with_data})]
    hover = ["<br>".join([f"<b>{esc(r['county'])}</b>{_demo(r, lang)}",
                          f"{t('col_raw', lang)}: {esc(r['raw'])}",
                          f"{t('col_date', lang)}: {_date(r['published_on'], lang)}",
                          f"{t('col_sources', lang)}: {int(r['n_sources'])}"])
             for _, r in data.iterrows()]
    lons, lats = [], []
    for ft in feats:
        _collect(ft.get("geometry", {}).get("coordinates", []), lons, lats)
    center = dict(lon=(min(lons) + max(lons)) / 2, lat=(min(lats) + max(lats)) / 2) if lons else \
        dict(lon=120.1, lat=29.2)
    span = max(max(lons) - min(lons), max(lats) - min(lats)) if lons else 5
    # fit the larger side into the ~500 px plot of the 560 px figure (256 px per 360° at zoom 0;
    # latitude is stretched ~1.15x at Zhejiang's latitude, and the title takes its share)
    zoom = max(4.0, min(11.0, math.log2(250 / max(span, 0.05) * 360 / 256)))
    fig = go.Figure()
    if without:
        fig.add_trace(go.Choroplethmap(
            geojson={"type": "FeatureCollection", "features": without},
            locations=[ft["properties"]["code"] for ft in without], featureidkey="properties.code",
            z=[0] * len(without), showscale=False, colorscale=[[0, "#f2f2f2"], [1, "#f2f2f2"]],
            marker_line_color="#999999", marker_line_width=0.6, hoverinfo="text",
            hovertext=[esc(ft["properties"].get("short") or ft["properties"].get("name")) for ft in without],
            name="",
        ))
    fig.add_trace(go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": with_data},
        locations=data["county_code"].tolist(), featureidkey="properties.code",
        z=data["signed"].tolist(), colorscale="Blues", marker_line_color="#555555",
        marker_line_width=0.6, customdata=list(zip(data["county_code"], data["figure_id"])),
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        colorbar_title_text=t("col_value", lang), colorbar_len=0.6, name=title,
    ))
    fig.update_layout(map=dict(style="white-bg", center=center, zoom=zoom))
    return _layout(fig, lang, title_text=title, height=560)


def _collect(coords, lons, lats):
    if not coords:
        return
    if isinstance(coords[0], (int, float)):
        lons.append(coords[0])
        lats.append(coords[1])
        return
    for c in coords:
        _collect(c, lons, lats)


def heatmap(df: pd.DataFrame, x: str, y: str, x_labels: dict, y_labels: dict, lang: str,
            title: str, x_title: str, y_title: str) -> go.Figure:
    """Counts of reported figures (reports, not summed values) on a grid."""
    if df.empty:
        return _layout(go.Figure(), lang, title_text=title)
    piv = df.pivot_table(index=y, columns=x, values="n", aggfunc="sum", fill_value=0)
    xs, ys = list(piv.columns), list(piv.index)
    z = piv.values.tolist()
    hover = [[f"{esc(y_labels.get(yy, yy))} · {esc(x_labels.get(xx, xx))}<br>"
              f"{t('col_figures', lang)}: {int(z[i][j])}" for j, xx in enumerate(xs)]
             for i, yy in enumerate(ys)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[x_labels.get(v, v) for v in xs], y=[y_labels.get(v, v) for v in ys],
        customdata=[[[yy, xx] for xx in xs] for yy in ys], hovertext=hover, hoverinfo="text",
        colorscale="Blues", colorbar_title_text=t("col_figures", lang),
    ))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, autorange="reversed")
    return _layout(fig, lang, title_text=title, height=max(320, 26 * len(ys) + 140))


def trend_lines(df: pd.DataFrame, lang: str, color_map: dict[str, str], title: str) -> go.Figure:
    fig = go.Figure()
    for key, g in df.groupby("place_key", sort=True):
        name = str(g["place_name"].iloc[0])
        hover = [f"<b>{esc(name)}</b>{_demo(r, lang)}<br>{t('col_raw', lang)}: {esc(r['raw'])}<br>"
                 f"{t('col_date', lang)}: {_date(r['published_on'], lang)}<br>"
                 f"{t('col_sources', lang)}: {int(r['n_reports'])}" for _, r in g.iterrows()]
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(m).date().isoformat() for m in g["month"]], y=g["value"].tolist(),
            mode="lines+markers", name=name, line_color=color_map.get(key, None),
            customdata=[[key, pd.Timestamp(m).date().isoformat()] for m in g["month"]],
            hovertext=hover, hoverinfo="text",
        ))
    fig.update_xaxes(title_text=t("col_date", lang), tickformat="%Y年%m月" if lang == "zh" else "%b %Y")
    fig.update_yaxes(title_text=f"{title} ({t('col_value', lang)})")
    value_axis(fig, df["value"], lang)
    return _layout(fig, lang, title_text=title, legend_title_text=t("col_place", lang))


def changes_bar(df: pd.DataFrame, lang: str, higher_is_better: dict[str, object],
                names: dict[str, str] | None = None) -> go.Figure:
    """Reported changes as diverging bars, labelled with period and the bulletin's wording."""
    df = df.iloc[::-1]
    labels, hover, cols = [], [], []
    for _, r in df.iterrows():
        metric = (names or {}).get(r["metric"]) or i18n.name(r["name_zh"], r["name_en"], lang) or r["metric"]
        period = r["period"] if isinstance(r["period"], str) and r["period"] else None
        labels.append(f"{r['place_name']} · {metric} · {period or _date(r['published_on'], lang)}")
        hover.append(f"<b>{esc(r['place_name'])}</b>{_demo(r, lang)} · {esc(metric)}<br>"
                     f"{t('col_raw', lang)}: {esc(r['raw'])} ({i18n.direction(r['direction'], lang)})<br>"
                     f"{t('col_period', lang)}: {esc(period) or '—'}<br>"
                     f"{t('col_date', lang)}: {_date(r['published_on'], lang)}")
        hib = higher_is_better.get(r["metric"])
        if hib is None or pd.isna(hib):
            cols.append(colors.NEUTRAL)
        else:
            good = (r["direction"] == "up") == bool(hib)
            cols.append(colors.GOOD if good else colors.BAD)
    fig = go.Figure(go.Bar(
        x=df["signed"].tolist(), y=[esc(v) for v in labels], orientation="h", marker_color=cols,
        text=[esc(v) for v in df["raw"]], textposition="auto",
        customdata=list(zip(df["figure_id"])), hovertext=hover, hoverinfo="text",
    ))
    fig.update_xaxes(title_text=f"{t('col_change', lang)} (%)", zeroline=True, zerolinewidth=2)
    fig.update_yaxes(title_text="")
    return _layout(fig, lang, title_text=t("changes", lang), showlegend=False,
                   height=max(300, 28 * len(df) + 120))


def sunburst(ids, labels, parents, values, hover, custom, lang: str, title: str) -> go.Figure:
    fig = go.Figure(go.Sunburst(
        ids=ids, labels=[esc(v) for v in labels], parents=parents, values=values,
        branchvalues="total", hovertext=hover, hoverinfo="text", customdata=custom,
    ))
    return _layout(fig, lang, title_text=title, height=560)
