"""The SQL behind every page: parameterised, filtered by Filters.where(), run in DuckDB.

Why "latest" is computed here rather than read from v_latest: the user's filters (a date
range above all) change which report is the latest one, so the ranking has to be taken
over the filtered figures. The rule is the warehouse's (DESIGN.md principle 1): per
place × metric × measure, the latest report by publication date, then bulletin, then
offset, unknown dates last; values are never summed across bulletins.

Aggregates read the `figures` table (Filters.where() names its columns) so that a
million-row warehouse answers in milliseconds; rows shown to people read `v_figures`,
which adds names and provenance.

A row that stands for one figure carries CORRECTION_COLUMNS, so a chart can mark a value
a reviewer corrected and say who did it, when and why (issue 9); a row that stands for
several figures takes them from the figure whose value it shows.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.filters import Filters
from dashboard.store import Snapshot, query
from etl import warehouse as etl_warehouse

#: a county-level place without a GB code (丽水经济技术开发区) is keyed by its name: it must
#: never fold into its city's own figures
PLACE_KEY = etl_warehouse.PLACE_KEY_SQL    # coalesce(county_code, county, city_code, province)
PLACE_NAME = ("CASE WHEN county_code IS NOT NULL OR county IS NOT NULL THEN coalesce(county, county_code) "
              "WHEN city_code IS NOT NULL THEN coalesce(city, city_code) ELSE province END")
LATEST_ORDER = "published_on DESC NULLS LAST, synthetic ASC, bulletin_id DESC, start DESC"
#: the same order as one sortable value, for arg_max (much cheaper than a window at 1M rows)
LATEST_KEY = etl_warehouse.LATEST_KEY_SQL   # etl builds figure_groups by the same key
#: columns a chart click may narrow the source list by (whitelist: never user-supplied SQL)
SOURCE_KEYS = {"place_key": PLACE_KEY, "metric": "metric", "measure": "measure",
               "category": "category", "county_code": "county_code", "initiative": "initiative",
               "mechanism": "mechanism", "month": "date_trunc('month', published_on)",
               "figure_id": "figure_id", "direction": "direction"}
DETAIL_COLUMNS = ("figure_id, bulletin_id, source, article, start, \"end\", sentence, raw, value, unit, "
                  "qualifier, measure, direction, metric, metric_zh, metric_en, category, county_code, "
                  "county, city_code, city, province, agency, place_key, place_name, initiative, "
                  "initiative_zh, initiative_en, mechanism, period, published_on, synthetic, "
                  "bulletin_title, bulletin_file, corrected, correction_note, reviewed_by, reviewed_at, "
                  "review_reason, review_log")


#: the review state figures_effective gives each figure, for charts to mark corrected values
CORRECTION_COLUMNS = ("corrected", "correction_note", "reviewed_by", "reviewed_at", "review_reason",
                      "review_log")


def _w(f: Filters, alias: str = "") -> tuple[str, list]:
    return f.where(alias)


def _detail(snap: Snapshot, cond: str, params: list, limit: int,
            order: str = "published_on DESC NULLS LAST, bulletin_id, start") -> pd.DataFrame:
    """Rows for people: top-n on the bare table first, then names joined to those rows only.

    Same columns as v_figures gives (the view joins every row before filtering, which
    costs a tenth of a second at a million figures).

    The top n is taken on figures_unreviewed, where DuckDB skips the row groups that cannot
    make it and reads the wide columns of the winners only: through figures_effective's
    anti-join with the review records it read every column of every row (1.4 s at ten
    million figures for the newest thousand, 0.03 s this way). Exactly the same rows: the
    top n of figures_effective is among the top n + k figures nobody reviewed (k records
    can push out at most k) and the reviewed figures, read by id.
    """
    top, top_params = _top_effective(snap, cond, params, order, limit)
    return query(snap, f"""
        WITH x AS ({top})
        SELECT x.figure_id, x.bulletin_id, x.source, x.article, x.start, x."end", x.sentence,
               x.raw, x.value, x.unit, x.qualifier, x.measure, x.direction, x.metric,
               m.name_zh AS metric_zh, m.name_en AS metric_en, x.category, x.county_code,
               x.county, x.city_code, x.city, x.province, x.agency,
               coalesce(x.county_code, x.county, x.city_code, x.province) AS place_key,
               CASE WHEN x.county_code IS NOT NULL OR x.county IS NOT NULL THEN coalesce(x.county, x.county_code)
                    WHEN x.city_code IS NOT NULL THEN coalesce(x.city, x.city_code)
                    ELSE x.province END AS place_name,
               x.initiative, i.name_zh AS initiative_zh, i.name_en AS initiative_en, x.mechanism,
               x.period, x.published_on, x.synthetic, b.title AS bulletin_title,
               b.file_name AS bulletin_file, x.corrected, x.correction_note, x.reviewed_by,
               x.reviewed_at, x.review_reason, x.review_log
        FROM x LEFT JOIN metrics m ON m.code = x.metric
        LEFT JOIN initiatives i ON i.code = x.initiative
        LEFT JOIN bulletins b ON b.bulletin_id = x.bulletin_id
        ORDER BY {order.replace('published_on', 'x.published_on').replace('bulletin_id', 'x.bulletin_id').replace('start', 'x.start')}""",
                 top_params)


def _override_ids(snap: Snapshot) -> list[str]:
    """The figures with a live review record (figure_overrides), in order; cached per
    corrections version like every query."""
    return query(snap, "SELECT figure_id FROM figure_overrides ORDER BY figure_id")["figure_id"].tolist()


#: snapshot file -> does it hold figures_unreviewed (a file never changes: asked once)
_HAS_UNREVIEWED: dict[str, bool] = {}


def _has_unreviewed(snap: Snapshot) -> bool:
    """Does the snapshot hold figures_unreviewed? One built before it is read through
    figures_effective only (whatever TEMP views a connection lays over it)."""
    key = str(snap.path)
    if key not in _HAS_UNREVIEWED:
        df = query(snap, "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'figures_unreviewed' "
                         "AND database_name = current_database() AND schema_name = 'main'")
        _HAS_UNREVIEWED[key] = bool(int(df["n"].iloc[0]))
    return _HAS_UNREVIEWED[key]


def _top_effective(snap: Snapshot, cond: str, params: list, order: str, limit: int) -> tuple[str, list]:
    """SELECT of the top `limit` rows of figures_effective WHERE cond ORDER BY order (see _detail)."""
    if not _has_unreviewed(snap):
        return (f"SELECT * FROM figures_effective WHERE {cond} ORDER BY {order} LIMIT {int(limit)}",
                list(params))
    ids = _override_ids(snap)
    sql = f"""SELECT * FROM (SELECT * FROM figures_unreviewed WHERE {cond} ORDER BY {order}
                                 LIMIT {int(limit) + len(ids)}) u
                WHERE NOT EXISTS (SELECT 1 FROM figure_overrides o WHERE o.figure_id = u.figure_id)"""
    out = list(params)
    if ids:
        sql += (f" UNION ALL SELECT * FROM figures_effective WHERE ({cond}) "
                f"AND figure_id IN ({', '.join('?' * len(ids))})")
        out += list(params) + ids
    return f"SELECT * FROM ({sql}) ORDER BY {order} LIMIT {int(limit)}", out


# ------------------------------------------------------------------ reference lists

def options(snap: Snapshot) -> dict[str, pd.DataFrame]:
    """Choices for the sidebar, from the whole snapshot (not the filtered view).

    Counted from figure_groups (_counted: one row per group, corrections applied) where the
    snapshot has it: three passes over every figure were the slowest queries at ten million
    figures (0.3-0.8 s each, every session's first page), over the groups they are one.
    """
    src, params = _counted(snap, Filters(), ("city_code", "city", "county_code", "county", "metric", "category"))
    places = query(snap, f"""
        WITH c AS ({src})
        SELECT city_code, any_value(city) AS city, county_code, any_value(county) AS county,
               CAST(sum(n) AS BIGINT) AS n
        FROM c WHERE city_code IS NOT NULL OR county_code IS NOT NULL
        GROUP BY city_code, county_code ORDER BY city_code, county_code""", params)
    metrics = query(snap, f"""
        WITH c AS ({src}),
        per AS (SELECT metric, any_value(category) AS category, CAST(sum(n) AS BIGINT) AS n FROM c GROUP BY metric)
        -- a derived code (X_change, X_share) is named by its base metric: labels add the measure
        SELECT m.code, coalesce(b.name_zh, m.name_zh) AS name_zh, coalesce(b.name_en, m.name_en) AS name_en, m.category,
               m.higher_is_better, coalesce(n.n, 0) AS n
        FROM metrics m LEFT JOIN per n ON n.metric = m.code
        LEFT JOIN metrics b ON b.code = regexp_replace(m.code, '_(change|share)$', '')
        UNION ALL
        -- codes the extractor derives from a taxonomy metric (X_change, X_share) take its names;
        -- counted per code first, then named: joining the taxonomy by a regexp on every figure
        -- cost 0.2 s at a million figures (metrics.code is the key: one name per code either way)
        SELECT f.metric, coalesce(b.name_zh, f.metric), coalesce(b.name_en, f.metric),
               f.category, b.higher_is_better, f.n
        FROM (SELECT * FROM per WHERE metric NOT IN (SELECT code FROM metrics)) f
        LEFT JOIN metrics b ON b.code = regexp_replace(f.metric, '_(change|share|rate)$', '')
        ORDER BY 1""", params)
    initiatives = query(snap, "SELECT code, name_zh, name_en, level, parent FROM initiatives ORDER BY code")
    categories = query(snap, f"""
        WITH c AS ({src})
        SELECT DISTINCT category FROM (SELECT category FROM metrics UNION ALL
                                       SELECT DISTINCT category FROM c) ORDER BY 1""", params)
    return {"places": places, "metrics": metrics, "initiatives": initiatives,
            "categories": categories}


# ------------------------------------------------------------------------ overview

def kpis(snap: Snapshot, f: Filters) -> dict:
    where, params = _w(f)
    df = query(snap, f"""
        SELECT count(DISTINCT bulletin_id) AS bulletins, count(*) AS figures,
               count(DISTINCT county_code) AS counties, max(published_on) AS latest,
               count(*) FILTER (WHERE synthetic) AS synthetic,
               count(*) FILTER (WHERE published_on IS NULL) AS undated
        FROM figures_effective WHERE {where}""", params)
    return df.iloc[0].to_dict()


def metric_measures(snap: Snapshot, f: Filters) -> pd.DataFrame:
    """(metric, measure) series in the view, most reported first: what the pickers offer.

    Counted from figure_groups where it can (_counted): at ten million figures a pass over
    every filtered figure took half a second.
    """
    src, params = _counted(snap, f, ("metric", "measure", "category", "county_code"))
    return query(snap, f"""
        WITH c AS ({src})
        SELECT c.metric, c.measure, any_value(c.category) AS category,
               any_value(m.name_zh) AS name_zh, any_value(m.name_en) AS name_en,
               CAST(sum(c.n) AS BIGINT) AS n, count(DISTINCT c.county_code) AS n_counties
        FROM c LEFT JOIN metrics m ON m.code = c.metric
        GROUP BY c.metric, c.measure ORDER BY n DESC, c.metric, c.measure""", params)


def trend(snap: Snapshot, f: Filters, metric: str, measure: str, max_places: int = 12) -> pd.DataFrame:
    """Per place and month, the latest value reported that month (a series of reports).

    Limited to the places that report the metric most often, so the chart stays legible;
    undated figures are left out here and counted by trend_undated().
    """
    where, params = _w(f)
    return query(snap, f"""
        WITH f AS (
            SELECT *, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name
            FROM figures_effective WHERE {where} AND metric = ? AND measure = ? AND published_on IS NOT NULL
              AND {PLACE_KEY} IS NOT NULL
        ), top AS (
            SELECT place_key FROM f GROUP BY place_key ORDER BY count(*) DESC, place_key
            LIMIT {int(max_places)}
        )
        SELECT place_key, any_value(place_name) AS place_name,
               date_trunc('month', published_on) AS month,
               arg_max(value, {LATEST_KEY}) AS value, arg_max(raw, {LATEST_KEY}) AS raw,
               arg_max(unit, {LATEST_KEY}) AS unit, max(published_on) AS published_on,
               count(*) AS n_reports, bool_or(synthetic) AS synthetic,
               -- the point shows the month's latest report: it is marked if that one was corrected
               -- (arg_max_null: plain arg_max skips NULLs and would take an older report's note)
               arg_max(figure_id, {LATEST_KEY}) AS figure_id,
               coalesce(arg_max(corrected, {LATEST_KEY}), FALSE) AS corrected,
               arg_max_null(correction_note, {LATEST_KEY}) AS correction_note,
               arg_max_null(reviewed_by, {LATEST_KEY}) AS reviewed_by,
               arg_max_null(reviewed_at, {LATEST_KEY}) AS reviewed_at,
               arg_max_null(review_reason, {LATEST_KEY}) AS review_reason,
               arg_max_null(review_log, {LATEST_KEY}) AS review_log,
               bool_or(corrected) AS any_corrected
        FROM f JOIN top USING (place_key)
        GROUP BY place_key, month ORDER BY place_key, month""", params + [metric, measure])




def changes(snap: Snapshot, f: Filters, n: int = 15) -> pd.DataFrame:
    """Latest reported change per place × metric × direction, as worded (%, period)."""
    where, params = _w(f)
    return query(snap, f"""
        WITH c AS (
            SELECT * FROM figures_effective WHERE {where} AND measure = 'change' AND {PLACE_KEY} IS NOT NULL
        ), latest AS (
            SELECT arg_max(figure_id, {LATEST_KEY}) AS figure_id FROM c
            GROUP BY {PLACE_KEY}, metric, direction
        )
        SELECT c.figure_id, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name, c.metric,
               m.name_zh, m.name_en, c.value, c.unit, c.qualifier, c.direction, c.raw, c.period,
               c.published_on, c.sentence, c.synthetic, c.corrected, c.correction_note,
               c.reviewed_by, c.reviewed_at, c.review_reason, c.review_log,
               CASE WHEN c.direction = 'down' THEN -c.value ELSE c.value END AS signed
        FROM c JOIN latest USING (figure_id) LEFT JOIN metrics m ON m.code = c.metric
        ORDER BY c.published_on DESC NULLS LAST, abs(c.value) DESC, c.figure_id LIMIT {int(n)}""", params)


def latest_figures(snap: Snapshot, f: Filters, n: int = 10) -> pd.DataFrame:
    where, params = _w(f)
    return _detail(snap, f"{where} AND category <> 'other'", params, n,
                   "published_on DESC NULLS LAST, bulletin_id DESC, start")


# ------------------------------------------------------------------------ counties

def ranking(snap: Snapshot, f: Filters, metric: str, measure: str) -> pd.DataFrame:
    """Latest reported value per county for one metric series; with its number of sources."""
    where, params = _w(f)
    return query(snap, f"""
        WITH f AS (
            SELECT *, coalesce(county_code, county) AS ckey FROM figures_effective
            WHERE {where} AND metric = ? AND measure = ? AND (county_code IS NOT NULL OR county IS NOT NULL)
        ), latest AS (
            SELECT ckey, arg_max(figure_id, {LATEST_KEY}) AS figure_id, count(*) AS n_reports
            FROM f GROUP BY ckey
        ), x AS (
            SELECT f.*, latest.n_reports FROM f JOIN latest USING (figure_id)
        ), sources AS (
            SELECT x.figure_id, count(*) AS n_sources FROM x JOIN f g
              ON g.ckey = x.ckey AND g.value = x.value AND g.unit = x.unit
             AND g.qualifier IS NOT DISTINCT FROM x.qualifier AND g.period IS NOT DISTINCT FROM x.period
             AND g.direction IS NOT DISTINCT FROM x.direction
            GROUP BY x.figure_id
        )
        SELECT figure_id, county_code, ckey, coalesce(county, county_code) AS county, city_code, city,
               value, unit, qualifier, direction, raw, period, published_on, sentence, bulletin_id,
               synthetic, n_sources, n_reports, corrected, correction_note, reviewed_by, reviewed_at,
               review_reason, review_log,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
        FROM x JOIN sources USING (figure_id)
        ORDER BY signed DESC, county""", params + [metric, measure])


def heat_county_category(snap: Snapshot, f: Filters) -> pd.DataFrame:
    where, params = _w(f)
    return query(snap, f"""
        SELECT county_code, any_value(county) AS county, category, count(*) AS n,
               count(DISTINCT bulletin_id) AS n_bulletins, max(published_on) AS last_published,
               count(*) FILTER (WHERE corrected) AS n_corrected
        FROM figures_effective WHERE {where} AND county_code IS NOT NULL
        GROUP BY county_code, category ORDER BY county_code, category""", params)


def county_profile(snap: Snapshot, f: Filters, county_code: str) -> pd.DataFrame:
    """All latest figures of one county (one per metric × measure), with sources."""
    where, params = _w(f)
    return query(snap, f"""
        SELECT {DETAIL_COLUMNS},
               count(*) OVER (PARTITION BY metric, measure) AS n_reports
        FROM v_figures WHERE {where} AND county_code = ?
        QUALIFY row_number() OVER (PARTITION BY metric, measure ORDER BY {LATEST_ORDER}) = 1
        ORDER BY category, metric, measure""", params + [county_code])


def county_initiatives(snap: Snapshot, f: Filters, county_code: str) -> pd.DataFrame:
    where, params = _w(f)
    return query(snap, f"""
        SELECT initiative, any_value(initiative_zh) AS name_zh, any_value(initiative_en) AS name_en,
               list(DISTINCT mechanism) FILTER (WHERE mechanism IS NOT NULL) AS mechanisms,
               count(*) AS n
        FROM v_figures WHERE {where} AND county_code = ? AND initiative IS NOT NULL
        GROUP BY initiative ORDER BY n DESC""", params + [county_code])


# ------------------------------------------------------------------ figures & sources

def _search(text: str) -> tuple[str, list]:
    text = (text or "").strip()
    if not text:
        return "", []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (" AND (sentence ILIKE ? ESCAPE '\\' OR raw ILIKE ? ESCAPE '\\' "
            "OR agency ILIKE ? ESCAPE '\\')"), [pattern, pattern, pattern]


def figures(snap: Snapshot, f: Filters, search: str = "", limit: int = 1000) -> tuple[pd.DataFrame, int]:
    """The rows the Figures page shows (newest first) and how many match in all."""
    where, params = _w(f)
    s_sql, s_params = _search(search)
    rows = _detail(snap, f"{where}{s_sql}", params + s_params, limit)
    total = query(snap, *_count_effective(snap, f"{where}{s_sql}", params + s_params))
    return rows, int(total["n"].iloc[0])


def _count_effective(snap: Snapshot, cond: str, params: list) -> tuple[str, list]:
    """SELECT count(*) AS n of figures_effective WHERE cond, and its parameters, counted as
    the figures nobody reviewed that match, less the reviewed ones among them (as extracted),
    plus the reviewed ones that match as corrected (read by id).

    Why: through figures_effective's anti-join every figure's id is read and probed (0.3 s at
    ten million figures for a bare count); a count on figures_unreviewed reads the filtered
    columns only, or nothing at all.
    """
    if not _has_unreviewed(snap):
        return f"SELECT count(*) AS n FROM figures_effective WHERE {cond}", list(params)
    ids = _override_ids(snap)
    if not ids:
        return f"SELECT count(*) AS n FROM figures_unreviewed WHERE {cond}", list(params)
    marks = ", ".join("?" * len(ids))
    return (f"""SELECT (SELECT count(*) FROM figures_unreviewed WHERE {cond})
                     - (SELECT count(*) FROM figures_unreviewed WHERE ({cond}) AND figure_id IN ({marks}))
                     + (SELECT count(*) FROM figures_effective WHERE ({cond}) AND figure_id IN ({marks})) AS n""",
            list(params) + list(params) + ids + list(params) + ids)


def sources(snap: Snapshot, f: Filters, limit: int = 200, **keys) -> pd.DataFrame:
    """The figures a chart mark is made of: the click target of every chart."""
    where, params = _w(f)
    conds = []
    for key, value in keys.items():
        col = SOURCE_KEYS[key]  # KeyError for anything not whitelisted
        if value is None:
            conds.append(f"{col} IS NULL")
        else:
            conds.append(f"{col} = ?")
            params = params + [value]
    extra = "".join(f" AND {c}" for c in conds)
    return _detail(snap, f"{where}{extra}", params, limit)


# ---------------------------------------------------------------------- quality

def quality_rows(snap: Snapshot, f: Filters, kind: str, limit: int = 500) -> pd.DataFrame:
    from etl import counts
    conds = {k: counts.BY_KEY[k].condition for k in ("unclassified", "unplaced", "undated")}
    conds["unresolved"] = conds["unplaced"]
    where, params = _w(f)
    return _detail(snap, f"{where} AND {conds[kind]}", params, limit, "bulletin_id, start")


def refused_files(snap: Snapshot) -> pd.DataFrame:
    return query(snap, """
        SELECT run_id, path, outcome, reason FROM ingest_files
        WHERE outcome IN ('failed', 'duplicate') ORDER BY run_id DESC, path""")


def per_bulletin(snap: Snapshot, f: Filters) -> pd.DataFrame:
    # counted per bulletin_id on the figures first, then the bulletins' columns joined to the
    # counts: grouping the joined rows by all six bulletin columns hashed four strings per
    # figure (a third of a second at a million figures). bulletin_id is the bulletins' key,
    # so the groups are the same; bulletin_id last in the order only breaks ties it left open.
    where, params = _w(f, "f")
    return query(snap, f"""
        WITH n AS (
            SELECT f.bulletin_id, count(f.figure_id) AS n_figures,
                   count(f.figure_id) FILTER (WHERE f.category = 'other') AS n_other,
                   count(f.figure_id) FILTER (WHERE f.county_code IS NULL AND f.county IS NULL AND f.city_code IS NULL
                                              AND f.city IS NULL AND f.province IS NULL) AS n_unresolved
            FROM figures_effective f WHERE {where} GROUP BY f.bulletin_id
        )
        SELECT b.bulletin_id, b.file_name, b.title, b.published_on, b.date_source, b.synthetic,
               n.n_figures, n.n_other, n.n_unresolved
        FROM bulletins b JOIN n ON n.bulletin_id = b.bulletin_id
        ORDER BY n.n_other + n.n_unresolved DESC, b.published_on DESC NULLS FIRST, b.file_name, b.bulletin_id
        LIMIT 500""", params)


# ------------------------------------------------------- key metrics, like with like

#: every column a latest-report row carries (pages and cards read these)
REPORT_COLUMNS = ("figure_id, bulletin_id, metric, measure, category, value, unit, qualifier, direction, raw, "
                  "period, period_start, period_end, published_on, sentence, synthetic, county_code, county, "
                  "city_code, city, province, place_level, start, " + ", ".join(CORRECTION_COLUMNS))


def _kind_col(snap: Snapshot) -> str:
    """period_kind, or NULL in a snapshot built before the column existed (computed later)."""
    df = query(snap, "SELECT count(*) AS n FROM information_schema.columns "
                     "WHERE table_name = 'figures' AND column_name = 'period_kind'")
    return "period_kind" if int(df["n"].iloc[0]) else "CAST(NULL AS VARCHAR) AS period_kind"


def _with_kinds(df: pd.DataFrame) -> pd.DataFrame:
    from etl.period_kind import period_kind
    if "period_kind" in df.columns and len(df):
        missing = df["period_kind"].isna()
        if missing.any():
            df.loc[missing, "period_kind"] = [period_kind(p if isinstance(p, str) else None)
                                              for p in df.loc[missing, "period"]]
    return df


def latest_reports(snap: Snapshot, f: Filters) -> pd.DataFrame:
    """The latest report per place × metric × measure in the view (county, city or province).

    The same rule as the packs (dashboard.briefing.collect): newest publication date, real
    before demo, then bulletin and offset; `signed` turns a 下降 into a negative number.

    Read from the snapshot's figure_groups (etl.warehouse.build_groups: one row per group of
    figures alike in every filtered column and month, with its count and latest report)
    where it can be: a grouped pass over every filtered figure was the floor of every
    overview, counties and initiatives rerun (0.17 s of CPU at a million figures, ten times
    that at ten million). The figures themselves are read only where the groups cannot
    answer: the part of a month a date filter cuts through, and every series holding a
    reviewed figure (under its extracted or its corrected key: a correction or a rejection
    may take away a group's latest report, and a maximum has no runner-up), so a corrected
    or rejected figure shows exactly as it does in figures_effective.
    """
    if not _has_groups(snap):
        return _latest_reports_scan(snap, f)
    where, params = _w(f)
    g_where, g_params, part, part_params = _month_split(f)
    dirty = _reviewed_series(snap)
    d_sql, d_params = "", []
    if dirty:
        d_sql = ", ".join("(?, ?, ?)" for _ in dirty)
        d_params = [x for key in dirty for x in key]
    # the figures read one by one (few): those of the cut months, and the reviewed series whole
    # (the metric list first, as constants, so that the scan drops most rows before the join)
    loose = [part] if part else []
    loose_params = list(part_params)
    if dirty:
        metrics = sorted({m for _, m, _ in dirty})
        loose.append(f"metric IN ({', '.join('?' * len(metrics))}) AND EXISTS (SELECT 1 FROM dirty d "
                     f"WHERE d.place_key = {PLACE_KEY} AND d.metric = f.metric AND d.measure = f.measure)")
        loose_params += metrics
    clean = (" AND NOT EXISTS (SELECT 1 FROM dirty d WHERE d.place_key = g.place_key AND d.metric = g.metric "
             "AND d.measure = g.measure)") if dirty else ""
    ctes = [f"dirty(place_key, metric, measure) AS (VALUES {d_sql})"] if dirty else []
    cte_params = list(d_params)
    ctes.append(f"""grouped AS (
            SELECT place_key, metric, measure, figure_id, lkey, n, FALSE AS loose
            FROM figure_groups g WHERE {g_where} AND place_key IS NOT NULL{clean})""")
    cte_params += g_params
    if loose:
        ctes.append(f"""x AS (
            SELECT *, {PLACE_KEY} AS place_key FROM figures_effective f
            WHERE {where} AND {PLACE_KEY} IS NOT NULL AND ({" OR ".join(f"({c})" for c in loose)}))""")
        cte_params += params + loose_params
        ctes.append(f"""cand AS (
            SELECT * FROM grouped UNION ALL
            SELECT place_key, metric, measure, figure_id, {LATEST_KEY} AS lkey, 1 AS n, TRUE AS loose FROM x)""")
    else:
        ctes.append("cand AS (SELECT * FROM grouped)")
    ctes.append("""pick AS (
            SELECT arg_max({'id': figure_id, 'loose': loose}, lkey) AS p, CAST(sum(n) AS BIGINT) AS n_reports
            FROM cand GROUP BY place_key, metric, measure)""")
    tail = f"""{_kind_col(snap)}, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name,
               (county_code IS NOT NULL OR county IS NOT NULL) AS county_level, pick.n_reports,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed"""
    unreviewed = ("FALSE AS corrected, CAST(NULL AS VARCHAR) AS correction_note, "
                  "CAST(NULL AS VARCHAR) AS reviewed_by, CAST(NULL AS TIMESTAMP) AS reviewed_at, "
                  "CAST(NULL AS VARCHAR) AS review_reason, CAST(NULL AS VARCHAR) AS review_log")
    report = REPORT_COLUMNS.replace(", " + ", ".join(CORRECTION_COLUMNS), "")
    parts = [f"""SELECT {report}, {unreviewed}, period_kind, place_key, {PLACE_NAME} AS place_name,
               (county_code IS NOT NULL OR county IS NOT NULL) AS county_level, pick.n_reports,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
        FROM figure_groups g JOIN pick ON pick.p.id = g.figure_id AND NOT pick.p.loose"""]
    if loose:
        parts.append(f"""SELECT {REPORT_COLUMNS}, {tail}
        FROM x JOIN pick ON pick.p.id = x.figure_id AND pick.p.loose""")
    df = query(snap, f"""
        WITH {", ".join(ctes)}
        {" UNION ALL ".join(parts)}
        ORDER BY metric, measure, place_key""", cte_params)
    return _with_kinds(df)


def _has_groups(snap: Snapshot) -> bool:
    """Does the snapshot hold figure_groups? One built before it did is read figure by figure."""
    df = query(snap, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'figure_groups' "
                     "AND database_name = current_database() AND schema_name = 'main'")
    return bool(int(df["n"].iloc[0]))


def _month_split(f: Filters) -> tuple[str, list, str, list]:
    """The view on figure_groups (whole months only) and the condition picking, among the
    view's figures, those of a month the date filter cuts through ("" when none is cut).

    A group row is a month of figures: it is in the view only if the whole month is.
    """
    lo = hi = None     # first day of the first whole month; first day after the last whole month
    cut_parts, cut_params = [], []
    if f.since:
        lo = f.since if f.since.day == 1 else _next_month(f.since)
        if lo != f.since:
            cut_parts.append("published_on < ?")
            cut_params.append(lo)
    if f.until:
        after = f.until + dt.timedelta(days=1)
        hi = after if after.day == 1 else f.until.replace(day=1)
        if hi != after:
            cut_parts.append("published_on >= ?")
            cut_params.append(hi)
    where, params = f.with_(since=None, until=None).where()
    if lo is not None:
        where += " AND month >= ?"
        params = params + [lo]
    if hi is not None:
        where += " AND month < ?"
        params = params + [hi]
    return where, params, " OR ".join(cut_parts), cut_params


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _reviewed_series(snap: Snapshot) -> list[tuple]:
    """(place key, metric, measure) of every series a reviewed figure is in, as extracted or
    as corrected (a rejected one under its extracted key, read from figures_unreviewed: each
    figure as extracted): the series figure_groups cannot
    answer. Empty without a live review record; read once per corrections version (cached).

    The ids go in as constants so that DuckDB finds them through the figures' primary key
    instead of joining every figure.
    """
    ids = _override_ids(snap)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    df = query(snap, f"""
        SELECT DISTINCT place_key, metric, measure FROM (
            SELECT {PLACE_KEY} AS place_key, metric, measure FROM figures_unreviewed WHERE figure_id IN ({marks})
            UNION ALL
            SELECT {PLACE_KEY} AS place_key, metric, measure FROM figures_effective WHERE figure_id IN ({marks}))
        WHERE place_key IS NOT NULL ORDER BY ALL""", ids + ids)
    return list(df.itertuples(index=False, name=None))


#: columns _counted can group by: figure_groups' keys and `city` (the name of the group's
#: latest report; a group holds one city_code, so any of its figures' names is any_value's)
COUNTED_COLUMNS = ("place_key", "metric", "measure", "category", "county_code", "county", "city_code",
                   "initiative", "synthetic", "city")


def _counted(snap: Snapshot, f: Filters, cols: tuple[str, ...]) -> tuple[str, list]:
    """A SELECT of (cols..., n) whose rows, n summed, count exactly figures_effective's
    figures in view `f` by `cols` (and its parameters): what count(*), count(DISTINCT col)
    and any_value over the view's figures need.

    Read from figure_groups where it can be: the group rows of the whole months in view, and
    the figures themselves (n = 1) of the months a date filter cuts. With review records,
    the reviewed figures are taken out of their groups as extracted (n = -1, by id) and put
    back as corrected (n = 1, by id), and the rows are summed per key, a key kept only while
    its count stays above zero (so a group all of whose figures were rejected is gone, as
    count(DISTINCT …) needs). Why not the reviewed series whole, as latest_reports reads them:
    a count needs no runner-up, and at ten million figures a series of one place is 100,000
    reports (a dozen records made options slower than the pass over every figure).
    `city` is not a group key: it is taken from the rows that add figures (any_value's
    contract: one of the figures' names). A snapshot without figure_groups is counted figure
    by figure.
    """
    bad = [c for c in cols if c not in COUNTED_COLUMNS]
    if bad:
        raise ValueError(f"not countable from figure_groups: {bad}")
    fig_cols = ", ".join(f"{PLACE_KEY} AS place_key" if c == "place_key" else c for c in cols)
    where, params = _w(f)
    if not _has_groups(snap):
        return f"SELECT {fig_cols}, 1 AS n FROM figures_effective WHERE {where}", list(params)
    g_where, g_params, part, part_params = _month_split(f)
    ids = _override_ids(snap)
    if ids and not _has_unreviewed(snap):
        return f"SELECT {fig_cols}, 1 AS n FROM figures_effective WHERE {where}", list(params)
    sql = f"SELECT {', '.join(cols)}, n FROM figure_groups g WHERE {g_where}"
    out = list(g_params)
    if part:
        sql += f" UNION ALL SELECT {fig_cols}, 1 AS n FROM figures_effective WHERE {where} AND ({part})"
        out += list(params) + list(part_params)
    if not ids:
        return sql, out
    marks = ", ".join("?" * len(ids))
    # the whole months in view, said of a figure (a month's first day is the bound either way)
    whole = g_where.replace(" AND month >= ?", " AND published_on >= ?").replace(" AND month < ?",
                                                                                " AND published_on < ?")
    sql += f" UNION ALL SELECT {fig_cols}, -1 AS n FROM figures_unreviewed WHERE ({whole}) AND figure_id IN ({marks})"
    out += list(g_params) + ids
    sql += f" UNION ALL SELECT {fig_cols}, 1 AS n FROM figures_effective WHERE ({where}) AND figure_id IN ({marks})"
    out += list(params) + ids
    if part:
        sql += f" AND NOT ({part})"
        out += list(part_params)
    keys = [c for c in cols if c != "city"]
    city = ", any_value(city) FILTER (WHERE n > 0) AS city" if "city" in cols else ""
    return (f"SELECT {', '.join(keys)}{city}, CAST(sum(n) AS BIGINT) AS n FROM ({sql}) "
            f"GROUP BY ALL HAVING sum(n) > 0", out)


def _latest_reports_scan(snap: Snapshot, f: Filters) -> pd.DataFrame:
    """latest_reports on a snapshot without figure_groups: one grouped pass over the figures."""
    where, params = _w(f)
    # the pick reads only the columns the groups and the order need; the report columns are
    # fetched for the picked figures only (a CTE of every filtered row with all of them was
    # materialised: 7 s of CPU at 10 million figures, 2.8 s this way)
    df = query(snap, f"""
        WITH pick AS (
            SELECT arg_max(figure_id, {LATEST_KEY}) AS figure_id, count(*) AS n_reports
            FROM figures_effective WHERE {where} AND {PLACE_KEY} IS NOT NULL
            GROUP BY {PLACE_KEY}, metric, measure
        )
        SELECT {REPORT_COLUMNS}, {_kind_col(snap)}, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name,
               (county_code IS NOT NULL OR county IS NOT NULL) AS county_level, pick.n_reports,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
        FROM figures_effective JOIN pick USING (figure_id)
        WHERE {where}
        ORDER BY metric, measure, place_key""", params + params)
    return _with_kinds(df)


def series_reports(snap: Snapshot, f: Filters, metric: str, measure: str,
                   place_key: str | None = None, period_kind: str | None = None) -> pd.DataFrame:
    """Every report of one series (one place, or all), newest first: trends and deltas.

    `period_kind`: only the reports of that kind (what a trend draws; see series_kinds).
    """
    where, params = _w(f)
    extra, p2 = "", []
    if place_key is not None:
        extra, p2 = f" AND {PLACE_KEY} = ?", [place_key]
    if period_kind is not None:
        if not _has_kind_col(snap):
            df = series_reports(snap, f, metric, measure, place_key)
            return df[df["period_kind"] == period_kind]
        extra, p2 = extra + " AND period_kind = ?", p2 + [period_kind]
    df = query(snap, f"""
        SELECT {REPORT_COLUMNS}, {_kind_col(snap)}, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
        FROM figures_effective WHERE {where} AND metric = ? AND measure = ? AND {PLACE_KEY} IS NOT NULL{extra}
        ORDER BY {LATEST_ORDER}""", params + [metric, measure] + p2)
    return _with_kinds(df)


def previous_reports(snap: Snapshot, f: Filters, row) -> pd.DataFrame:
    """The one report cards.previous_comparable would pick for `row` (a latest_reports row),
    as a series_reports frame of at most one row (empty where it picks none without looking:
    no date, a period kind that has no comparison); None where this snapshot cannot say it
    in SQL (no period_kind column: the kinds are worked out in Python).

    Why: a card's delta read the place's whole series, and at ten million figures one
    series of one place is a hundred thousand reports (0.4-0.9 s of CPU each, three per
    overview rerun) for one row. The conditions are previous_comparable's, in its order.
    """
    if not _has_kind_col(snap):
        return None
    kind = row.get("period_kind")
    published = row.get("published_on")
    if published is None or pd.isna(published) or not isinstance(kind, str) or kind in ("unknown", "since"):
        return pd.DataFrame()
    where, params = _w(f)
    conds = [f"{PLACE_KEY} = ?", "metric = ?", "measure = ?", "figure_id <> ?", "unit = ?",
             "published_on IS NOT NULL", "period_kind = ?", "published_on < ?"]
    p2 = [row["place_key"], row["metric"], row["measure"], row["figure_id"], row["unit"], kind,
          pd.Timestamp(published).date()]
    if kind == "ytd":      # the same months of the year before (1-9月 with last year's 1-9月)
        end = row.get("period_end")
        if end is None or pd.isna(end):
            return pd.DataFrame()
        end = pd.Timestamp(end)
        conds.append("year(period_end) = ? AND month(period_end) = ?")
        p2 += [end.year - 1, end.month]
    df = query(snap, f"""
        SELECT {REPORT_COLUMNS}, period_kind, {PLACE_KEY} AS place_key, {PLACE_NAME} AS place_name,
               CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
        FROM figures_effective WHERE {where} AND {" AND ".join(conds)}
        ORDER BY {LATEST_ORDER} LIMIT 1""", params + p2)
    return _with_kinds(df)


def _has_kind_col(snap: Snapshot) -> bool:
    return _kind_col(snap) == "period_kind"


def series_kinds(snap: Snapshot, f: Filters, metric: str, measure: str, place_key: str) -> pd.DataFrame | None:
    """Per period kind of one place's series: its reports (n), the undated ones (n_undated)
    and those without an end date (n_no_end), most reported first. None for a snapshot
    without the period_kind column (then the kinds are worked out from the whole series).

    Why: a trend draws one kind, and at ten million figures a place's whole series was a
    hundred thousand reports read into pandas to learn which kinds it has.
    """
    if not _has_kind_col(snap):
        return None
    where, params = _w(f)
    df = query(snap, f"""
        SELECT period_kind, count(*) AS n, count(*) FILTER (WHERE published_on IS NULL) AS n_undated,
               count(*) FILTER (WHERE period_end IS NULL) AS n_no_end
        FROM figures_effective WHERE {where} AND metric = ? AND measure = ? AND {PLACE_KEY} = ?
        GROUP BY period_kind ORDER BY n DESC, period_kind""", params + [metric, measure, place_key])
    # a figure without a stored kind gets one in Python (_with_kinds): not countable here
    return None if df["period_kind"].isna().any() else df


def series_places(snap: Snapshot, f: Filters, metric: str, measure: str,
                  dated_only: bool = False) -> pd.DataFrame:
    """The places reporting one series, by place key: how many reports each (n) and its name
    as its oldest report gives it (what a dict over series_reports' rows would keep).

    Why not series_reports for all places: a trend shows one place, and at a million
    figures the whole series is tens of thousands of rows read into pandas for a list of
    names and counts.
    """
    where, params = _w(f)
    dated = " AND published_on IS NOT NULL" if dated_only else ""
    return query(snap, f"""
        SELECT {PLACE_KEY} AS place_key, arg_min({PLACE_NAME}, {LATEST_KEY}) AS place_name,
               count(*) AS n
        FROM figures_effective
        WHERE {where} AND metric = ? AND measure = ? AND {PLACE_KEY} IS NOT NULL{dated}
        GROUP BY 1 ORDER BY 1""", params + [metric, measure])


def fact_sources(snap: Snapshot, f: Filters, figure_id: str, limit: int = 200) -> pd.DataFrame:
    """Exactly the figures a mark is drawn from: its figure and every repeat of the same fact
    (same place, metric, measure, direction, value, unit, qualifier and period)."""
    where, params = _w(f, "g")
    return query(snap, f"""
        WITH x AS (SELECT * FROM figures_effective WHERE figure_id = ?),
        ids AS (
            SELECT g.figure_id FROM figures_effective g, x
            WHERE {where} AND coalesce(g.county_code, g.county, g.city_code, g.province)
                  IS NOT DISTINCT FROM coalesce(x.county_code, x.county, x.city_code, x.province)
              AND g.metric = x.metric AND g.measure = x.measure AND g.value = x.value AND g.unit = x.unit
              AND g.direction IS NOT DISTINCT FROM x.direction AND g.qualifier IS NOT DISTINCT FROM x.qualifier
              AND g.period IS NOT DISTINCT FROM x.period
            UNION SELECT figure_id FROM x
        )
        SELECT {DETAIL_COLUMNS} FROM v_figures WHERE figure_id IN (SELECT figure_id FROM ids)
        ORDER BY published_on DESC NULLS LAST, bulletin_id, start LIMIT {int(limit)}""",
                 [figure_id] + params)


def data_stamp(snap: Snapshot) -> dict:
    """What the sidebar says about the data: when it was last loaded and how much there is.

    The figures counted by _count_effective (a count through figures_effective's anti-join
    read every figure's id: 0.1 s at a million figures, 0.3 s at ten million)."""
    count, params = _count_effective(snap, "TRUE", [])
    df = query(snap, f"""
        SELECT (SELECT max(finished_at) FROM ingest_runs) AS loaded_at,
               (SELECT count(*) FROM bulletins) AS bulletins, ({count}) AS figures,
               (SELECT max(published_on) FROM bulletins) AS latest""", params)
    return df.iloc[0].to_dict()


def view_counts(snap: Snapshot, f: Filters) -> dict[str, int]:
    """etl.counts over the current view: the same definitions and names as `etl status`.

    A plain count of figures (a condition on figures, no DISTINCT) is taken by
    _count_effective on the same condition: through figures_effective's anti-join each one
    read every figure's id (five such passes per call, 0.3 s each at ten million figures).
    """
    from etl import counts
    where, params = _w(f)
    out = {}
    for c in counts.COUNTS:
        p = params if c.table != "ingest_files" else []
        sql = counts.sql(c.key, where)
        if c.table == "figures" and sql.startswith("SELECT count(*) FROM figures_effective WHERE"):
            sql, p = _count_effective(snap, f"({where}) AND ({c.condition})", params)
        df = query(snap, sql, p)
        out[c.key] = int(df.iloc[0, 0])
    return out


def initiative_reports(snap: Snapshot, f: Filters, initiative: str) -> pd.DataFrame:
    """Latest report per place × metric × measure among one initiative's figures (a programme
    includes its pillars)."""
    return latest_reports(snap, f.with_(initiatives=(initiative,)))


def initiative_places(snap: Snapshot, f: Filters) -> pd.DataFrame:
    """Per initiative: how many places report it and its latest bulletin date (not figure counts)."""
    where, params = _w(f)
    return query(snap, f"""
        SELECT initiative, count(DISTINCT {PLACE_KEY}) AS n_places, max(published_on) AS last_published,
               list(DISTINCT mechanism) FILTER (WHERE mechanism IS NOT NULL) AS mechanisms
        FROM figures_effective WHERE {where} AND initiative IS NOT NULL
        GROUP BY initiative ORDER BY initiative""", params)
