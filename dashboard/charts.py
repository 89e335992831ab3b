"""Plotly figures for the pages: every mark carries what it is made of.

Why hover text is built here: provenance (principle 2) means a bar says which report it
is (value as written, with its qualifier), whose, from which bulletin date and how many
sources repeat it. `customdata` carries the keys a click sends back to the page, which then
lists the source sentences. Plotly renders a subset of HTML in hover labels, so any text
that came from a bulletin is entity-escaped first.

A value a reviewer corrected (figures_effective, issue 9) is not what the bulletin printed,
so a reader must see that on the mark itself: it gets CORRECTED_MARK beside it, a
distinct marker or outline, and its hover says who corrected it, when and why. Reviewers'
names and reasons are typed by people, so they are escaped like bulletin text.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import colors, correction_text, i18n, keymetrics
from dashboard.cards import change_text, value_text
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
    kw.setdefault("margin", dict(l=10, r=10, t=40, b=10))
    fig.update_layout(font_family=FONT, hoverlabel=dict(font_family=FONT), clickmode="event+select", **kw)
    return fig


def _demo(row, lang) -> str:
    return f" [{t('demo_tag', lang)}]" if bool(row.get("synthetic")) else ""


CORRECTED_MARK = correction_text.MARK
#: a corrected point's marker and a corrected bar's outline (the sign is not colour alone)
CORRECTED_SYMBOL, PLAIN_SYMBOL = "diamond", "circle"
CORRECTED_LINE = "#111111"
is_corrected = correction_text.is_corrected


def correction_hover(row, lang: str) -> str:
    """'' or the hover lines of a corrected value, each starting with '<br>': the corrections
    that changed it (who, when, why; a later confirmation after them) and what they changed."""
    said = correction_text.statement(row, lang)
    if not said:
        return ""
    out = "<br><b>" + esc(t("corrected_prefix", lang) + said) + "</b>"
    what = correction_text.changes(row, lang)
    if what:
        out += "<br>" + t("corrected_detail", lang, note=esc(what))
    return out


def correction_legend(fig: go.Figure, rows, lang: str) -> go.Figure:
    """A legend entry saying what ✎ means, only on a chart that draws a corrected value.

    A trace with no points: it draws nothing and carries no customdata, so a click never
    lands on it; its marker is the corrected marker (an outlined diamond)."""
    if any(is_corrected(r) for r in rows):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=t("corrected_legend", lang), showlegend=True,
            marker=dict(symbol=CORRECTED_SYMBOL, size=11, color="#ffffff", line=dict(color=CORRECTED_LINE, width=2)),
            hoverinfo="skip", legendrank=2000))
    return fig


def _rows(df: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts for the per-mark texts: iterrows made a Series per row, and
    with Arrow-backed string columns each one took every column apart (~0.4 ms a row: a
    third of a second per initiatives rerun at a million figures). The same values: the
    chart code reads rows by name and .get only."""
    return df.to_dict("records")


def _marked(text: str, row) -> str:
    return f"{text} {CORRECTED_MARK}" if is_corrected(row) else text


def _point_style(rows: list, size: int = 7) -> dict:
    """Scatter marker lists: a corrected point is a larger outlined diamond."""
    flags = [is_corrected(r) for r in rows]
    return dict(symbol=[CORRECTED_SYMBOL if c else PLAIN_SYMBOL for c in flags],
                size=[size + 5 if c else size for c in flags],
                line=dict(color=CORRECTED_LINE, width=[2 if c else 0 for c in flags]))


def _bar_outline(rows: list) -> dict:
    flags = [is_corrected(r) for r in rows]
    return dict(color=CORRECTED_LINE, width=[2.5 if c else 0 for c in flags])


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
    fixed = (df.pivot_table(index=y, columns=x, values="n_corrected", aggfunc="sum", fill_value=0)
             .reindex(index=ys, columns=xs, fill_value=0).values.tolist()
             if "n_corrected" in df.columns else None)
    hover = [[f"{esc(y_labels.get(yy, yy))} · {esc(x_labels.get(xx, xx))}<br>"
              f"{t('col_figures', lang)}: {int(z[i][j])}"
              + (f"<br>{CORRECTED_MARK} {t('corrected_in_cell', lang, n=int(fixed[i][j]))}"
                 if fixed and fixed[i][j] else "") for j, xx in enumerate(xs)]
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
        rows = _rows(g)
        hover = [f"<b>{esc(name)}</b>{_demo(r, lang)}<br>{t('col_raw', lang)}: {esc(r['raw'])}<br>"
                 f"{t('col_date', lang)}: {_date(r['published_on'], lang)}<br>"
                 f"{t('col_sources', lang)}: {int(r['n_reports'])}{correction_hover(r, lang)}" for r in rows]
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(m).date().isoformat() for m in g["month"]], y=g["value"].tolist(),
            mode="lines+markers+text", name=name, line_color=color_map.get(key, None),
            marker=_point_style(rows), text=[CORRECTED_MARK if is_corrected(r) else "" for r in rows],
            textposition="top center", cliponaxis=False,
            customdata=[[key, pd.Timestamp(m).date().isoformat()] for m in g["month"]],
            hovertext=hover, hoverinfo="text",
        ))
    fig.update_xaxes(title_text=t("col_date", lang), tickformat="%Y年%m月" if lang == "zh" else "%b %Y")
    fig.update_yaxes(title_text=f"{title} ({t('col_value', lang)})")
    value_axis(fig, df["value"], lang)
    correction_legend(fig, df.to_dict("records"), lang)
    return _layout(fig, lang, title_text=title, legend_title_text=t("col_place", lang))




# ------------------------------------------------------------------ good and bad

def _unit_title(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    if lang == "en":
        return i18n.UNITS_EN.get(unit, unit) or ""
    return unit


def short_text(r, lang: str) -> str:
    """A bar's label: the value with its sign ('-40.9%', '6300余起'), '*' for a demo figure."""
    body = i18n.fmt_value(r["value"], r["unit"], r.get("qualifier"), lang)
    if lang == "en" and r["unit"] == "个百分点":
        body = body.replace("percentage points", "pp")
    sign = "-" if r.get("direction") == "down" else ("+" if r.get("direction") == "up" else "")
    q = r.get("qualifier")
    if sign and isinstance(q, str) and q and (lang == "en" or q in i18n.QUAL_BEFORE):
        # '-over 20%' reads as a number below minus twenty: a change with a qualifier in front
        # of its number says its direction in words ('down over 20%', '下降超20%')
        body = i18n.fmt_change(r["value"], r["unit"], q, r.get("direction"), lang)
        if lang == "en" and r["unit"] == "个百分点":
            body = body.replace("percentage points", "pp")
        sign = ""
    return f"{sign}{body}{'*' if r.get('synthetic') else ''}"


def tiers(values: list[float], hib) -> list[str]:
    """'good' / 'middle' / 'bad' by thirds of the ranking, 'neutral' with no direction of good."""
    if hib is None or not values:
        return ["neutral"] * len(values)
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=bool(hib))
    n = len(values)
    out = ["middle"] * n
    third = max(1, n // 3) if n >= 3 else 0
    for rank, i in enumerate(order):
        if n < 3:
            out[i] = "good" if rank == 0 and n == 2 else ("bad" if rank == n - 1 and n == 2 else "middle")
        elif rank < third:
            out[i] = "good"
        elif rank >= n - third:
            out[i] = "bad"
    return out


TIER_COLORS = {"good": colors.GOOD, "middle": "#9e9e9e", "bad": colors.BAD, "neutral": "#1f4e79"}
#: a map of reported changes: red for bad news, green for good, darker the larger; the middle
#: (no change) is near white, so the smallest good change is still plainly green
CHANGE_SCALE = [[0.0, "#b71c1c"], [0.45, "#f6c9c4"], [0.5, "#f7f7f7"], [0.55, "#c7e9c0"], [1.0, "#1a7837"]]
#: a county smaller than this (degrees², its bounding box) keeps its name off a province map
#: when it has no data: the city districts of Hangzhou or Ningbo would print on each other
SMALL_AREA = 0.06


def ranking_bar(df: pd.DataFrame, lang: str, title: str, code: str, measure: str, period: str = "") -> go.Figure:
    """Counties best first (by the metric's direction of good), names beside the bars; `period`
    (the one period compared, dashboard.comparable) is said in the chart's title.

    One trace per tier (better third, middle, worse third), so the legend says what the
    colours mean; a change is drawn signed (下降 to the left) with its sign in the label."""
    df = keymetrics.best_first(df, code).reset_index(drop=True)
    hib = keymetrics.higher_is_better(code)
    if measure == "change":
        good = [keymetrics.is_good(code, d) for d in df["direction"]]
        tier = ["neutral" if g is None else ("good" if g else "bad") for g in good]
    else:
        tier = tiers(df["signed"].astype(float).tolist(), hib)
    names = [i18n.place(n, lang) for n in df["place_name"]]
    fig = go.Figure()
    labels = {"good": t("tier_good_change" if measure == "change" else "tier_good", lang),
              "middle": t("tier_middle", lang),
              "bad": t("tier_bad_change" if measure == "change" else "tier_bad", lang),
              "neutral": t("tier_neutral", lang)}
    for tr in ("good", "middle", "bad", "neutral"):
        idx = [i for i, x in enumerate(tier) if x == tr]
        if not idx:
            continue
        sub = df.iloc[idx]
        rows = _rows(sub)
        text = [_marked(short_text(r, lang), r) for r in rows]
        hover = ["<br>".join([f"<b>{esc(names[i])}</b>", f"{t('col_raw', lang)}: {esc(r['raw'])}",
                              f"{t('col_period', lang)}: {esc(i18n.period(r['period'], lang)) or '—'}",
                              f"{t('col_date', lang)}: {_date(r['published_on'], lang)}"])
                 + correction_hover(r, lang) for i, r in zip(idx, rows)]
        fig.add_trace(go.Bar(
            y=[names[i] for i in idx], x=sub["signed"].tolist(), orientation="h",
            marker=dict(color=TIER_COLORS[tr], line=_bar_outline(rows)), name=labels[tr],
            text=[esc(x) for x in text],
            textposition="outside", cliponaxis=False, textfont_size=11,
            customdata=[[r["place_key"], r["figure_id"]] for r in rows],
            hovertext=hover, hoverinfo="text"))
    unit = df["unit"].mode().iloc[0] if len(df) and df["unit"].notna().any() else ""
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", automargin=True,
                     title_text="")
    fig.update_xaxes(title_text=f"{title}（{_unit_title(unit, lang)}）" if lang != "en" and unit
                     else (f"{title} ({_unit_title(unit, lang)})" if unit else title),
                     zeroline=True, zerolinewidth=1.5, zerolinecolor="#444", automargin=True)
    if measure != "change":
        value_axis(fig, df["signed"], lang, axis="x")
    span = max([abs(float(v)) for v in df["signed"]] or [1])
    lo = min(0.0, float(df["signed"].min())) if len(df) else 0
    hi = max(0.0, float(df["signed"].max())) if len(df) else 1
    fig.update_xaxes(range=[lo - (0.3 * span if lo < 0 else 0), hi + (0.3 * span if hi > 0 else 0)])
    order = t("order_best_first", lang) if hib is not None else t("order_largest_first", lang)
    correction_legend(fig, df.to_dict("records"), lang)
    # the compared period and the order on a line of their own: one line cut them off at 1024 px
    sub = " · ".join(x for x in (period, order) if x)
    return _layout(fig, lang, title_text=f"{title}<br><span style='font-size:12px'>{esc(sub)}</span>",
                   barmode="overlay", showlegend=True,
                   legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title_text=""),
                   height=max(240, 24 * len(df) + 170), margin=dict(l=10, r=30, t=100, b=40))


def _color_at(scale, z: float) -> str:
    """The colour of a Plotly colour scale at z in [0, 1] (linear between stops)."""
    z = min(1.0, max(0.0, float(z)))
    for (z0, c0), (z1, c1) in zip(scale, scale[1:]):
        if z <= z1:
            f = 0 if z1 == z0 else (z - z0) / (z1 - z0)
            a = [int(c0[i:i + 2], 16) for i in (1, 3, 5)]
            b = [int(c1[i:i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b))
    return scale[-1][1]


def _rings(geometry: dict) -> tuple[list, list]:
    """x (lon) and y (lat) of a polygon's outer rings, None between them (one filled trace)."""
    xs, ys = [], []
    coords = geometry.get("coordinates") or []
    polys = [coords] if geometry.get("type") == "Polygon" else coords
    for poly in polys:
        if not poly:
            continue
        ring = poly[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def county_map(df: pd.DataFrame, geojson: dict, lang: str, title: str, code: str, measure: str,
               codes: list[str] | None = None, centroids: dict | None = None,
               selected: str | None = None, others: pd.DataFrame | None = None) -> go.Figure:
    """Counties coloured by how good their latest figure is (green good, red bad), no-data
    grey with its own legend entry, every county named. `others`: counties whose latest report
    covers another period (dashboard.comparable): hatched, never coloured good or bad.

    Drawn as plain SVG shapes in longitude/latitude (no map tiles, no web fonts): a map
    library's text labels need glyphs fetched from the internet, which this app never does.
    Each county's name sits on a point that carries what a click opens."""
    feats = [ft for ft in geojson.get("features", [])
             if codes is None or ft.get("properties", {}).get("code") in codes]
    df = df[df["county_code"].notna()]
    data = df.drop_duplicates("county_code").set_index("county_code")
    hib = keymetrics.higher_is_better(code)
    z: dict[str, float] = {}
    if len(data):
        if measure == "change" and hib is not None:
            top = max(float(data["value"].max()), 1e-9)
            for c, r in zip(data.index, _rows(data)):
                g = keymetrics.is_good(code, r["direction"])
                z[c] = 0.55 + 0.45 * float(r["value"]) / top if g else 0.45 - 0.45 * float(r["value"]) / top
        elif hib is not None:
            good = pd.Series({c: keymetrics.goodness(code, v) for c, v in data["signed"].items()})
            z = good.rank(pct=True, method="average").to_dict()
        else:
            lo, hi = float(data["signed"].min()), float(data["signed"].max())
            z = {c: (0.5 if hi == lo else (float(v) - lo) / (hi - lo)) for c, v in data["signed"].items()}
    scale = colors.GOOD_BAD_SCALE if hib is not None else colors.NEUTRAL_SCALE
    if measure == "change" and hib is not None:
        scale = CHANGE_SCALE     # a small fall in crime is still good news: light green, never yellow
    fig = go.Figure()
    size: dict[str, float] = {}
    nx, ny, ox, oy = [], [], [], []
    other = (others if others is not None and len(others) else pd.DataFrame(columns=["county_code"]))
    other = other[other["county_code"].notna()].drop_duplicates("county_code").set_index("county_code")
    # every trace a plain dict, all added in one go at the end: add_trace(go.Scatter) validated
    # each county's coordinates twice (the trace, then its copy in the figure), and reading
    # them back from fig.data for the label extent cost as much again; the same JSON
    traces: list[dict] = []
    for ft in feats:
        c = ft["properties"].get("code")
        xs, ys = _rings(ft.get("geometry") or {})
        px_, py_ = [x for x in xs if x is not None], [y for y in ys if y is not None]
        size[c] = (max(px_) - min(px_)) * (max(py_) - min(py_)) if px_ else 0.0
        if c in z:
            traces.append(dict(type="scatter", x=xs, y=ys, fill="toself", fillcolor=_color_at(scale, z[c]),
                              mode="lines", line=dict(color="#ffffff", width=0.8), hoverinfo="skip",
                              showlegend=False))
        elif c in other.index:
            ox += xs
            oy += ys
        else:
            nx += xs
            ny += ys
    if ox:
        from dashboard.comparable import words
        traces.append(dict(type="scatter", x=ox, y=oy, fill="toself", fillcolor="#f3efe6", mode="lines",
                           fillpattern=dict(shape="/", fgcolor="#b0a58c", bgcolor="#f3efe6", size=6),
                           line=dict(color="#ffffff", width=0.8), hoverinfo="skip",
                           name=words(lang)["map_other"], showlegend=True))
    if nx:
        traces.append(dict(type="scatter", x=nx, y=ny, fill="toself", fillcolor=colors.NO_DATA, mode="lines",
                           line=dict(color="#ffffff", width=0.8), hoverinfo="skip",
                           name=t("no_data", lang), showlegend=True))
    if selected:
        sel = [ft for ft in feats if ft["properties"].get("code") == selected]
        if sel:
            xs, ys = _rings(sel[0].get("geometry") or {})
            traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color="#000000", width=2.5),
                               hoverinfo="skip", name=t("selected", lang), showlegend=True))
    # names, and the points a click lands on
    pts = [(ft["properties"]["code"], (centroids or {}).get(ft["properties"]["code"]),
            ft["properties"].get("short") or ft["properties"].get("name")) for ft in feats]
    pts = [p for p in pts if p[1]]
    with_pts = [p for p in pts if p[0] in z]
    if with_pts:
        # one .loc for all the counties, not one per county (~5 ms each at 90 counties);
        # county_code is unique in `data` (drop_duplicates above), so the rows are the same
        rows = _rows(data.loc[[c for c, _, _ in with_pts]])
        hover = ["<br>".join([f"<b>{esc(i18n.place(r['place_name'], lang))}</b>{_demo(r, lang)}",
                              esc(change_text(r, lang) if measure == "change" else value_text(r, lang)),
                              f"{t('col_period', lang)}: {esc(i18n.period(r['period'], lang)) or '—'}",
                              f"{t('col_date', lang)}: {_date(r['published_on'], lang)}"])
                 + correction_hover(r, lang) for r in rows]
        if hib is None:
            bar = dict(title_text=t("col_value", lang), len=0.6, tickvals=[0, 1],
                       ticktext=[i18n.number(float(data["signed"].min()), lang), i18n.number(float(data["signed"].max()), lang)])
        else:
            bar = dict(title_text="", tickvals=[0.02, 0.98], ticktext=[t("worse", lang), t("better", lang)], len=0.6)
        traces.append(dict(
            type="scatter", x=[p[1][0] for p in with_pts], y=[p[1][1] for p in with_pts], mode="markers+text",
            text=[esc(_marked(i18n.place(n, lang), r)) for (_, _, n), r in zip(with_pts, rows)],
            textposition="middle center",
            textfont=dict(size=10 if codes is None else 12, color="#111111"),
            marker=dict(size=22, color=[z[c] for c, _, _ in with_pts], colorscale=scale, cmin=0, cmax=1,
                        opacity=0.01, showscale=True, colorbar=bar),
            customdata=[[r["place_key"], r["figure_id"]] for r in rows], hovertext=hover, hoverinfo="text",
            showlegend=False, name=title))
    rest = [p for p in pts if p[0] not in z]
    if codes is None:   # the whole province: a small city district's grey name would sit on its neighbours'
        rest = [p for p in rest if size.get(p[0], 0.0) >= SMALL_AREA]
    if rest:   # a grey name only where it meets no other name (dashboard.maplabels); other periods first
        from dashboard.maplabels import apart
        extent = [(x, y) for tr in traces for x, y in zip(tr.get("x") or [], tr.get("y") or [])
                  if x is not None and y is not None]
        keep = apart([(p[1][0], p[1][1], i18n.place(p[2], lang)) for p in with_pts],
                     [(p[1][0], p[1][1], i18n.place(p[2], lang), size.get(p[0], 0.0) + (1e3 if p[0] in other.index else 0))
                      for p in rest], 10 if codes is None else 12, extent)
        rest = [p for p, k in zip(rest, keep) if k]
    if rest:
        traces.append(dict(
            type="scatter", x=[p[1][0] for p in rest], y=[p[1][1] for p in rest], mode="text",
            text=[esc(i18n.place(n, lang)) for _, _, n in rest], textposition="middle center",
            textfont=dict(size=10 if codes is None else 12, color="#555555"),
            hovertext=[f"{esc(i18n.place(n, lang))}<br>" + (
                f"{esc(change_text(other.loc[c], lang) if measure == 'change' else value_text(other.loc[c], lang))}"
                f" · {esc(i18n.period(other.loc[c]['period'], lang)) or '—'}" if c in other.index
                else t('no_data', lang)) for c, _, n in rest],
            hoverinfo="text", showlegend=False, name=""))
    if traces:
        fig.add_traces(traces)
    correction_legend(fig, rows if with_pts else [], lang)   # a trace of None only: no latitude
    lats = [y for tr in traces for y in (tr.get("y") or []) if y is not None]
    mid = (min(lats) + max(lats)) / 2 if lats else 29.2
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid)))
    return _layout(fig, lang, title_text=title, height=620, plot_bgcolor="#ffffff",
                   legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title_text=""),
                   margin=dict(l=10, r=10, t=70, b=10))


def changes_bar(df: pd.DataFrame, lang: str, names: dict[str, str], title: str) -> go.Figure:
    """Reported changes of one unit as signed bars (下降 to the left, labelled '-40.9%'), with
    what each compares with (同比/环比) and its period; the legend says which colour is good."""
    df = df.iloc[::-1].reset_index(drop=True)
    fig = go.Figure()
    ys = []
    for r in _rows(df):
        metric = names.get(r["metric"]) or r["metric"]
        per = i18n.period(r["period"], lang) or _date(r["published_on"], lang)
        ys.append(f"{esc(i18n.place(r['place_name'], lang))} · {esc(metric)}<br>{esc(per)}")
    good = [keymetrics.is_good(m, d) for m, d in zip(df["metric"], df["direction"])]
    tier = ["neutral" if g is None else ("good" if g else "bad") for g in good]
    labels = {"good": t("tier_good_change", lang), "bad": t("tier_bad_change", lang),
              "neutral": t("tier_neutral", lang)}
    unit = df["unit"].iloc[0] if len(df) else "%"
    for tr in ("good", "bad", "neutral"):
        idx = [i for i, x in enumerate(tier) if x == tr]
        if not idx:
            continue
        sub = df.iloc[idx]
        text = []
        rows = _rows(sub)
        for r in rows:
            basis = keymetrics.comparison_basis(r["sentence"], r["raw"])
            text.append(_marked(f"{short_text(r, lang)} {keymetrics.basis_text(basis, lang) if lang != 'en' else ''}".strip(), r))
        fig.add_trace(go.Bar(
            y=[ys[i] for i in idx], x=sub["signed"].tolist(), orientation="h",
            marker=dict(color=TIER_COLORS[tr], line=_bar_outline(rows)),
            name=labels[tr], text=[esc(x) for x in text], textposition="outside", cliponaxis=False,
            textfont_size=11, customdata=[[r["figure_id"]] for r in rows],
            hovertext=[f"<b>{ys[i]}</b><br>{t('col_raw', lang)}: {esc(r['raw'])}<br>"
                       f"{esc(r['sentence'])[:120]}{correction_hover(r, lang)}" for i, r in zip(idx, rows)],
            hoverinfo="text"))
    span = max([abs(float(v)) for v in df["signed"]] or [1])
    lo, hi = min(0.0, float(df["signed"].min())), max(0.0, float(df["signed"].max()))
    fig.update_xaxes(title_text=f"{t('col_change', lang)} ({_unit_title(unit, lang)})", zeroline=True,
                     zerolinewidth=1.5, zerolinecolor="#444",
                     range=[lo - (0.45 * span if lo < 0 else 0.05 * span), hi + (0.45 * span if hi > 0 else 0.05 * span)])
    fig.update_yaxes(categoryorder="array", categoryarray=ys, automargin=True, title_text="")
    correction_legend(fig, df.to_dict("records"), lang)
    return _layout(fig, lang, title_text=title, barmode="overlay", showlegend=True,
                   legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title_text=""),
                   height=max(260, 36 * len(df) + 150), margin=dict(l=10, r=30, t=80, b=40))


def comparable_trend(df: pd.DataFrame, lang: str, title: str, kind: str) -> go.Figure:
    """Reports of one place and one period kind only.

    Year-to-date figures are drawn as same-period comparisons: x is the month the figure
    runs to (1-9月), one line per year, so this year's 1-9月 sits above last year's 1-9月
    instead of a line falling every January."""
    fig = go.Figure()
    unit = df["unit"].mode().iloc[0] if len(df) and df["unit"].notna().any() else ""
    palette = ["#1f4e79", "#e08214", "#2e7d32", "#8e24aa", "#c62828"]
    drawn: list = []  # the rows a point is drawn for (the legend explains ✎ only if one is marked)
    if kind == "ytd":
        d = df[df["period_end"].notna()].copy()
        d["year"] = [pd.Timestamp(x).year for x in d["period_end"]]
        d["month"] = [pd.Timestamp(x).month for x in d["period_end"]]
        d = d.sort_values("published_on", ascending=False).drop_duplicates(["year", "month"])
        for i, (year, g) in enumerate(sorted(d.groupby("year"), key=lambda x: x[0])):
            g = g.sort_values("month")
            rows = _rows(g)
            drawn += rows
            fig.add_trace(go.Scatter(
                x=g["month"].tolist(), y=g["signed"].tolist(), mode="lines+markers+text",
                name=str(year) if lang == "en" else f"{year}年", line_color=palette[i % len(palette)],
                marker=_point_style(rows),
                text=[esc(_marked(value_text(r, lang), r)) for r in rows], textposition="top center",
                textfont_size=10, cliponaxis=False,
                customdata=[[r["figure_id"]] for r in rows],
                hovertext=[f"{esc(r['raw'])} · {esc(i18n.period(r['period'], lang))} · {_date(r['published_on'], lang)}"
                           f"{correction_hover(r, lang)}" for r in rows], hoverinfo="text"))
        months = list(range(1, 13))
        fig.update_xaxes(tickvals=months, ticktext=[(f"1-{m}月" if m > 1 else "1月") if lang != "en" else
                                                     (f"Jan–{i18n._MONTHS[m - 1]}" if m > 1 else "Jan")
                                                     for m in months], range=[0.5, 12.5],
                         title_text=t("ytd_axis", lang))
    else:
        g = df[df["published_on"].notna()].sort_values("published_on")
        rows = _rows(g)
        drawn += rows
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(x).date().isoformat() for x in g["published_on"]], y=g["signed"].tolist(),
            mode="lines+markers+text", name=i18n.period_kind(kind, lang), line_color=palette[0],
            marker=_point_style(rows), text=[CORRECTED_MARK if is_corrected(r) else "" for r in rows],
            textposition="top center", cliponaxis=False,
            customdata=[[r["figure_id"]] for r in rows],
            hovertext=[f"{esc(r['raw'])} · {esc(i18n.period(r['period'], lang)) or '—'} · {_date(r['published_on'], lang)}"
                       f"{correction_hover(r, lang)}" for r in rows], hoverinfo="text"))
        fig.update_xaxes(title_text=t("col_date", lang))
    fig.update_yaxes(title_text=_unit_title(unit, lang) or t("col_value", lang), automargin=True)
    value_axis(fig, df["signed"], lang)
    correction_legend(fig, drawn, lang)
    return _layout(fig, lang, title_text=title, showlegend=True,
                   legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, title_text=""),
                   height=420, margin=dict(l=10, r=20, t=80, b=40))


def wrap_label(text: str, lang: str) -> str:
    """A box label over lines of a few words (English) or characters (Chinese), escaped: a
    treemap shrinks a long one-line label to an unreadable size instead of wrapping it."""
    text = str(text)
    if lang == "en":
        lines, cur = [], ""
        for word in text.split():
            if cur and len(cur) + 1 + len(word) > 13:
                lines.append(cur)
                cur = word
            else:
                cur = f"{cur} {word}".strip()
        lines.append(cur)
    else:
        lines = [text[i:i + 6] for i in range(0, len(text), 6)] or [""]
    return "<br>".join(esc(x) for x in lines)


#: a box with less than this share of the whole is too small for its name at 1024 px (the
#: treemap is ~550 x 440 px there; a wrapped English name needs ~90 x 60 px)
SMALL_SHARE = 0.04


@dataclass
class Tree:
    """A treemap's boxes (plotly's parallel lists) and `small`: the boxes too small to carry
    their names, each as (name of its box, the names it stands for with their counts)."""
    ids: list
    labels: list
    parents: list
    values: list
    hover: list
    custom: list
    small: list = field(default_factory=list)


def _item(name: str, n: int, lang: str) -> str:
    return t("treemap_small_item_1" if n == 1 else "treemap_small_item", lang, name=name, n=n)


def group_small(tree: Tree, lang: str, share: float = SMALL_SHARE) -> Tree:
    """Boxes a reader can name without hovering: under one parent, two or more leaves each under
    `share` of the whole become one box, '其他 3 项' / '3 others' (its hover lists them); every box
    still under `share` (a lone small leaf, a small programme, the grouped box) is listed in
    `small`, which the page prints under the chart, so no box is a nameless colour."""
    top = sum(v for p, v in zip(tree.parents, tree.values) if p == "")
    cut = share * top
    has_kids = set(tree.parents)
    rows = list(zip(tree.ids, tree.labels, tree.parents, tree.values, tree.hover, tree.custom))
    label_of = dict(zip(tree.ids, tree.labels))
    tiny = {}
    for r in rows:
        if r[2] and r[0] not in has_kids and r[3] < cut:
            tiny.setdefault(r[2], []).append(r)
    grouped = {p for p, rs in tiny.items() if len(rs) >= 2}
    out = Tree([], [], [], [], [], [])
    for r in rows:
        if r[2] in grouped and r in tiny[r[2]]:
            continue
        for lst, v in zip((out.ids, out.labels, out.parents, out.values, out.hover, out.custom), r):
            lst.append(v)
    for p in sorted(grouped):
        members = sorted(tiny[p], key=lambda r: (-r[3], str(r[1])))
        n = sum(r[3] for r in members)
        name = t("treemap_others", lang, n=len(members))
        listed = [_item(r[1], r[3], lang) for r in members]
        out.ids.append(f"{p}/__others")
        out.labels.append(name)
        out.parents.append(p)
        out.values.append(n)
        out.custom.append([p])
        out.hover.append(f"<b>{esc(label_of.get(p, p))} · {esc(name)}</b><br>" + "<br>".join(esc(x) for x in listed))
        out.small.append((f"{label_of.get(p, p)} · {name}", listed))
    for i, lab, par, v in zip(out.ids, out.labels, out.parents, out.values):
        if v < cut and not i.endswith("/__others") and i not in has_kids:
            name = f"{label_of.get(par, par)} · {lab}" if par else lab
            out.small.append((name, [_item(name, v, lang)]))
    return out


def small_note(tree: Tree, lang: str) -> str:
    """'图中较小的方块（可能放不下名称）：四大警务 · 其他 2 项：跨域融合（2地）、…。' or ''."""
    if not tree.small:
        return ""
    sep, colon = ("; ", ": ") if lang == "en" else ("；", "：")
    inner = ", " if lang == "en" else "、"
    items = [f"{box}{colon}{inner.join(names)}" if box.endswith(t("treemap_others", lang, n=len(names)))
             else names[0] for box, names in tree.small]
    return t("treemap_small", lang, items=sep.join(items))


def treemap(ids, labels, parents, values, hover, custom, lang: str, title: str) -> go.Figure:
    # a box with boxes inside keeps its name on one line: it is drawn in a header one line high
    has_kids = set(parents)
    fig = go.Figure(go.Treemap(
        ids=ids, labels=[esc(v) if i in has_kids else wrap_label(v, lang) for i, v in zip(ids, labels)],
        parents=parents, values=values,
        branchvalues="total", hovertext=hover, hoverinfo="text", customdata=custom, textinfo="label+value",
        textfont_size=13, tiling_pad=2, root_color="#f5f5f5"))
    # a box too small for its label at 11 px shows none (its hover still names it), never a smudge
    return _layout(fig, lang, title_text=title, height=520, margin=dict(l=5, r=5, t=50, b=5),
                   uniformtext=dict(minsize=10, mode="hide"))
