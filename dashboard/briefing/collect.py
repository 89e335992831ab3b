"""What goes in a briefing pack, read once from the warehouse for all three formats.

The pack follows the design's reading of bulletins: figures are reports, not events. For
each place × metric we show the latest value reported *within the filtered window* (so
the latest is computed here over the filtered rows rather than taken from v_latest, which
ranks across all time and would let a figure published after `--until` win), changes as
reported with their period, and every figure shown carries its bulletin, date and
sentence. The SQL reads only the tables named in etl/schema.sql, the warehouse's stable
contract, with the same WHERE clause, place key and "latest" order as the dashboard pages
(Filters.where(), dashboard/queries.py), so a pack matches the view it was downloaded from.
dashboard.queries itself is not reused because it caches through Streamlit, and the
command line must work without a Streamlit runtime.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.filters import Filters
from dashboard.briefing import labels as L
from dashboard.spreadsheet import xml_safe, xml_safe_frame

#: charts and comparison columns: more than this many metrics stops being a briefing.
MAX_KEY_METRICS = 8
MAX_CHANGES = 10
#: measures that are levels (can be compared across counties); `change` is listed apart.
LEVEL_MEASURES = ("count", "rate", "share", "amount", "duration", "years")
#: what a latest report may be: a level, or a reported change (key metrics may be either)
REPORT_MEASURES = LEVEL_MEASURES + ("change",)


class BriefingError(Exception):
    """A problem the person asking for a pack can act on; str() is one line."""


@dataclass
class KeyMetric:
    metric: str
    measure: str
    name: str
    unit: str
    rows: pd.DataFrame          # county-level latest figures, best first (keymetrics)
    wider: pd.DataFrame         # city/province-level latest figures for the same metric
    higher_is_better: bool | None = None
    others: pd.DataFrame | None = None   # counties whose latest report covers another period: not compared
    compared: object = None              # dashboard.comparable.Comparison: which period is compared

    def note(self, lang: str) -> str:
        """'比较2026年年内累计的报告（24地）；另有15地…未参与比较' (dashboard.comparable)."""
        return self.compared.note(lang) if self.compared is not None else ""


@dataclass
class Pack:
    filters: Filters
    lang: str
    scope: str
    period: str
    generated: dt.date
    figures: pd.DataFrame       # every figure in scope, with provenance
    latest: pd.DataFrame        # latest level figure per place × metric × measure
    key_metrics: list[KeyMetric]
    changes: pd.DataFrame       # largest reported changes of one period (changes_compared)
    cited: pd.DataFrame         # every figure the pack shows, numbered by `ref`
    counties: list[str] = field(default_factory=list)   # county-level places in the comparison
    has_synthetic: bool = False
    counts: dict = field(default_factory=dict)           # etl.counts over the view
    changes_compared: object = None                      # dashboard.comparable.Comparison of `changes`

    def t(self, key: str) -> str:
        return L.t(self.lang, key)

    def value_text(self, row, with_unit: bool = True) -> str:
        """The figure as the pack prints it; '*' marks a synthetic (demo) figure."""
        if row["measure"] == "change":
            text = L.fmt_change(row["value"], row["unit"], row["qualifier"], row["direction"], self.lang)
        else:
            text = L.fmt_value(row["value"], row["unit"], row["qualifier"], self.lang, with_unit)
        return text + ("*" if row.get("synthetic") else "")

    def source_text(self, row) -> str:
        """'[3] 标题（file.txt），2024-02-01' — the short citation used in narrative and notes."""
        title = row.get("bulletin_title") or ""
        name = row.get("file_name") or Path(str(row.get("source") or "")).name
        label = f"{title}（{name}）" if title and self.lang == "zh" else (f"{title} ({name})" if title else name)
        sep = self.t(",")
        return f"[{int(row['ref'])}] {label}{sep}{L.fmt_date(row.get('published_on'), self.lang)}"

    def correction_text(self, row) -> str:
        """'经张三于2024-05-06更正，理由：…' for a corrected figure (figures_effective), else ''.

        Names the corrections that changed the figure, not a later confirmation
        (dashboard.correction_text, the same words as the charts and tables)."""
        from dashboard import correction_text
        return correction_text.statement(row, self.lang)

    def metric_name(self, row) -> str:
        name = row.get("name_en") if self.lang == "en" else row.get("name_zh")
        return name if isinstance(name, str) and name else str(row["metric"])


_FIGURES_SQL = """
SELECT f.*,
       -- a derived code (X_change, X_share) is named by its base metric: the pack states
       -- the measure beside it, as the pages do
       coalesce(mb.name_zh, m.name_zh, f.metric) AS name_zh,
       coalesce(mb.name_en, m.name_en, f.metric) AS name_en,
       coalesce(m.higher_is_better, mb.higher_is_better) AS higher_is_better,
       coalesce(c.name, f.county, cc.name, f.city, f.province) AS place_name,
       -- a county-level place with no GB code (丽水经济技术开发区) is keyed by its name, as
       -- Filters.counties does, so its figures never merge with the city's own
       coalesce(f.county_code, f.county, f.city_code, f.province) AS place_key,
       (f.county_code IS NOT NULL OR f.county IS NOT NULL) AS county_level,
       b.file_name, b.title AS bulletin_title, b.publisher, b.date_precision
FROM figures_effective f
LEFT JOIN metrics m ON m.code = f.metric
LEFT JOIN metrics mb ON mb.code = regexp_replace(f.metric, '_(change|share|rate)$', '')
LEFT JOIN counties c ON c.code = f.county_code
LEFT JOIN counties cc ON cc.code = f.city_code
LEFT JOIN bulletins b ON b.bulletin_id = f.bulletin_id
WHERE {where}
ORDER BY f.published_on DESC NULLS LAST, f.synthetic ASC, f.bulletin_id DESC, f.start DESC
"""


def open_warehouse(warehouse):
    """Read-only connection to the snapshot in service, or a one-line BriefingError."""
    from etl.warehouse import WarehouseError, connect_read_only
    wh = Path(warehouse)
    if not wh.exists():
        raise BriefingError(f"{wh}: warehouse directory not found (run `python -m etl ingest PATH --warehouse {wh}` first)")
    try:
        return connect_read_only(wh)
    except WarehouseError as exc:
        raise BriefingError(str(exc)) from None
    except Exception as exc:  # a damaged snapshot file
        raise BriefingError(f"{wh}: cannot open the warehouse snapshot ({exc.__class__.__name__}: "
                            f"{str(exc).splitlines()[0]})") from None


def load_figures(con, filters: Filters) -> pd.DataFrame:
    where, params = filters.where("f")
    df = con.execute(_FIGURES_SQL.format(where=where), params).df()
    df["published_on"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in df["published_on"]]
    for col in ("qualifier", "direction", "period", "bulletin_title", "file_name", "unit"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df["synthetic"] = df["synthetic"].fillna(False).astype(bool)
    from etl.period_kind import period_kind
    if "period_kind" not in df.columns:
        df["period_kind"] = None
    df["period_kind"] = [k if isinstance(k, str) else period_kind(p) for k, p in zip(df["period_kind"], df["period"])]
    df["place_name"] = df["place_name"].fillna(L.t(filters.lang, "place_unknown"))
    # the same fact (place, metric, value, unit, qualifier, period) reported several times
    key = ["place_key", "metric", "measure", "value", "unit", "qualifier", "period"]
    # built column by column (missing values from each column's isna, not pd.isna per cell
    # and a tuple per row): the same text, ~4x faster at the ~560,000 rows of a 10-county
    # pack at 100,000 bulletins
    parts = [["" if na else str(v) for v, na in zip(df[c].tolist(), df[c].isna().tolist())]
             for c in key]
    fact = pd.Series(["|".join(p) for p in zip(*parts)], index=df.index, dtype=object)
    df["n_sources"] = fact.map(fact.value_counts()).astype("int64")
    # bulletin text may hold characters XML refuses (a vertical tab from Word, a PDF's form
    # feed): a space in their place, for all three packs (dashboard.spreadsheet)
    return xml_safe_frame(df)


def _scope_text(con, filters: Filters, lang: str) -> str:
    parts = []
    names = []
    for code in filters.cities:
        row = con.execute("SELECT name FROM counties WHERE code = ?", [code]).fetchone()
        names.append(row[0] if row else code)
    for code in filters.counties:
        row = con.execute("SELECT name FROM counties WHERE code = ? OR name = ?", [code, code]).fetchone()
        names.append(row[0] if row else code)
    parts.append("、".join(names) if names else L.t(lang, "all_places"))
    if filters.categories:
        parts.append("、".join(L.category_name(c, lang) for c in filters.categories))
    if filters.metrics:
        rows = con.execute(f"SELECT code, name_zh, name_en FROM metrics WHERE code IN "
                           f"({', '.join('?' * len(filters.metrics))})", list(filters.metrics)).fetchall()
        by = {r[0]: (r[2] if lang == "en" else r[1]) for r in rows}
        parts.append("、".join(by.get(m, m) for m in filters.metrics))
    return xml_safe(" · ".join(parts))   # codes from a link may hold anything


def _period_text(filters: Filters, figures: pd.DataFrame, lang: str) -> str:
    since, until = filters.since, filters.until
    dates = [d for d in figures["published_on"] if d is not None] if len(figures) else []
    lo = since or (min(dates) if dates else None)
    hi = until or (max(dates) if dates else None)
    if lo is None and hi is None:
        return L.t(lang, "all_dates")
    sep = f" {L.t(lang, 'to')} "
    text = f"{lo.isoformat() if lo else '…'}{sep}{hi.isoformat() if hi else '…'}"
    if len(figures) and any(d is None for d in figures["published_on"]) and not (since or until):
        text += f"（含{L.t(lang, 'date_unknown')}）" if lang == "zh" else f" (some {L.t(lang, 'date_unknown')})"
    return text


def _latest(figures: pd.DataFrame) -> pd.DataFrame:
    """Per place × metric × measure, the latest report (rows arrive newest first), the same
    rule as dashboard.queries.latest_reports."""
    lv = figures[figures["measure"].isin(REPORT_MEASURES) & figures["place_key"].notna()]
    out = lv.drop_duplicates(["place_key", "metric", "measure"], keep="first").reset_index(drop=True)
    out["signed"] = [-float(v) if d == "down" else float(v) for v, d in zip(out["value"], out["direction"])]
    return out


def _key_metrics(latest: pd.DataFrame, lang: str, limit: int) -> list[KeyMetric]:
    """The key series chosen by dashboard.keymetrics, as the dashboard chooses them."""
    from dashboard import cards, comparable, keymetrics
    chosen = keymetrics.key_series(latest, limit)
    out = []
    for _, s in chosen.iterrows():
        rows = latest[(latest["metric"] == s["metric"]) & (latest["measure"] == s["measure"])]
        # like with like, as on the pages: counties compared over one period only
        cmp = comparable.compare(rows[rows["county_level"]], s["metric"])
        county = cmp.rows
        wider = rows[~rows["county_level"]].sort_values("place_name")
        first = rows.iloc[0]
        name = first["name_en"] if lang == "en" else first["name_zh"]
        name = name if isinstance(name, str) and name else str(first["metric"])
        unit = rows["unit"].mode().iloc[0] if rows["unit"].notna().any() else ""
        out.append(KeyMetric(s["metric"], s["measure"], cards.series_label(name, s["measure"], lang), unit,
                             county.reset_index(drop=True), wider.reset_index(drop=True),
                             keymetrics.higher_is_better(s["metric"]), cmp.others.copy(), cmp))
    return out


def _changes(latest: pd.DataFrame, limit: int):
    """The largest of the latest reported changes that cover one period (dashboard.comparable:
    the overview's changes chart compares the same ones), and that Comparison."""
    from dashboard import comparable
    cmp = comparable.changes(latest)
    ch = cmp.rows
    if ch.empty:
        return ch, cmp
    ch = ch.assign(_abs=ch["value"].abs())
    return (ch.sort_values(["_abs", "place_name"], ascending=[False, True]).head(limit)
            .drop(columns=["_abs"]).reset_index(drop=True)), cmp


def collect(filters: Filters, warehouse, *, max_metrics: int = MAX_KEY_METRICS,
            max_changes: int = MAX_CHANGES, today: dt.date | None = None) -> Pack:
    """Everything the packs show, in the filters' language."""
    lang = filters.lang if filters.lang in ("zh", "en") else "zh"
    con = open_warehouse(warehouse)
    try:
        figures = load_figures(con, filters)
        scope = _scope_text(con, filters, lang)
        from etl import counts as etl_counts
        where, params = filters.where()
        view_counts = etl_counts.all_counts(con, where, params)
    finally:
        con.close()
    latest = _latest(figures)
    keys = _key_metrics(latest, lang, max_metrics)
    changes, changes_cmp = _changes(latest, max_changes)

    shown = [k.rows for k in keys] + [k.wider for k in keys] + [changes] + [k.others for k in keys]
    cited = pd.concat([s for s in shown if len(s)], ignore_index=True) if any(len(s) for s in shown) \
        else figures.head(0).copy()
    cited = cited.drop_duplicates("figure_id").reset_index(drop=True)
    cited["ref"] = range(1, len(cited) + 1)
    ref_of = dict(zip(cited["figure_id"], cited["ref"]))
    for k in keys:
        k.rows["ref"] = [ref_of[f] for f in k.rows["figure_id"]]
        k.wider["ref"] = [ref_of[f] for f in k.wider["figure_id"]]
        k.others["ref"] = [ref_of[f] for f in k.others["figure_id"]]
    changes["ref"] = [ref_of[f] for f in changes["figure_id"]]

    # comparison rows in gazetteer-code order, so a city's counties sit together
    seen: dict[str, str] = {}
    for k in keys:
        for part in (k.rows, k.others):     # a county of another period is a row too, marked so
            for key, name in zip(part["place_key"], part["place_name"]):
                seen.setdefault(name, str(key))
    counties = sorted(seen, key=lambda name: (seen[name], name))
    return Pack(filters=filters, lang=lang, scope=scope,
                period=_period_text(filters, figures, lang),
                generated=today or dt.date.today(), figures=figures, latest=latest,
                key_metrics=keys, changes=changes, cited=cited, counties=counties, changes_compared=changes_cmp,
                has_synthetic=bool(cited["synthetic"].any()) if len(cited) else False,
                counts=view_counts)
