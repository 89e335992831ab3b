"""The dashboard's faster queries and page helpers give what the straightforward ones gave
(issue 11, dashboard at size): the same frames on a real warehouse (data/bulletins and a
demo corpus, ingested by the real command), before and after human corrections change
the categories, places and presence of figures.

The reference SQL below is each query as it stood before it was rewritten for speed.
"""
from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from support import run_cli

#: per_bulletin as first written: the joined figures grouped by every bulletin column
#: (bulletin_id added at the end of the order, the tie the rewrite breaks)
PER_BULLETIN_REF = """
    SELECT b.bulletin_id, b.file_name, b.title, b.published_on, b.date_source, b.synthetic,
           count(f.figure_id) AS n_figures,
           count(f.figure_id) FILTER (WHERE f.category = 'other') AS n_other,
           count(f.figure_id) FILTER (WHERE f.county_code IS NULL AND f.county IS NULL AND f.city_code IS NULL
                                      AND f.city IS NULL AND f.province IS NULL) AS n_unresolved
    FROM bulletins b JOIN figures_effective f ON f.bulletin_id = b.bulletin_id
    WHERE {where}
    GROUP BY ALL
    ORDER BY n_other + n_unresolved DESC, b.published_on DESC NULLS FIRST, b.file_name, b.bulletin_id
    LIMIT 500"""

#: options' metric list as first written: derived codes named by a join on every figure
METRICS_REF = """
    SELECT m.code, coalesce(b.name_zh, m.name_zh) AS name_zh, coalesce(b.name_en, m.name_en) AS name_en, m.category,
           m.higher_is_better, coalesce(n.n, 0) AS n
    FROM metrics m LEFT JOIN (SELECT metric, count(*) AS n FROM figures_effective GROUP BY metric) n
      ON n.metric = m.code
    LEFT JOIN metrics b ON b.code = regexp_replace(m.code, '_(change|share)$', '')
    UNION ALL
    SELECT f.metric, coalesce(any_value(b.name_zh), f.metric), coalesce(any_value(b.name_en), f.metric),
           any_value(f.category), any_value(b.higher_is_better), count(*)
    FROM figures_effective f
    LEFT JOIN metrics b ON b.code = regexp_replace(f.metric, '_(change|share|rate)$', '')
    WHERE f.metric NOT IN (SELECT code FROM metrics) GROUP BY f.metric
    ORDER BY 1"""

#: options' places and categories and metric_measures as they stood before they were counted
#: from figure_groups: one pass over every figure in view
PLACES_REF = """
    SELECT city_code, any_value(city) AS city, county_code, any_value(county) AS county, count(*) AS n
    FROM figures_effective WHERE city_code IS NOT NULL OR county_code IS NOT NULL
    GROUP BY city_code, county_code ORDER BY city_code, county_code"""
CATEGORIES_REF = """
    SELECT DISTINCT category FROM (SELECT category FROM metrics UNION ALL
                                   SELECT DISTINCT category FROM figures_effective) ORDER BY 1"""
METRIC_MEASURES_REF = """
    SELECT f.metric, f.measure, any_value(f.category) AS category,
           any_value(m.name_zh) AS name_zh, any_value(m.name_en) AS name_en,
           count(*) AS n, count(DISTINCT f.county_code) AS n_counties
    FROM figures_effective f LEFT JOIN metrics m ON m.code = f.metric
    WHERE {where}
    GROUP BY f.metric, f.measure ORDER BY n DESC, f.metric, f.measure"""

#: the rows for people (queries._detail) as first written: the top n of figures_effective
DETAIL_REF = """
    WITH x AS (SELECT * FROM figures_effective WHERE {cond} ORDER BY {order} LIMIT {limit})
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
    ORDER BY {xorder}"""


def _detail_same(snap, cond, params, limit, order="published_on DESC NULLS LAST, bulletin_id, start"):
    """queries._detail (its top n taken on figures_unreviewed) gives what DETAIL_REF gives."""
    from dashboard import queries, store
    xorder = order.replace("published_on", "x.published_on").replace("bulletin_id", "x.bulletin_id") \
        .replace("start", "x.start")
    got = queries._detail(snap, cond, params, limit, order)
    want = store.query(snap, DETAIL_REF.format(cond=cond, order=order, limit=limit, xorder=xorder), params)
    assert_frame_equal(got, want, obj=f"{cond} {params} {limit}")
    return got


#: latest_reports as it stood before figure_groups: one grouped pass over the filtered figures
#: (itself checked against a row_number() window in tests/test_app_keymetrics.py's era)
LATEST_REF = """
    WITH pick AS (
        SELECT arg_max(figure_id, {latest_key}) AS figure_id, count(*) AS n_reports
        FROM figures_effective WHERE {where} AND {place_key} IS NOT NULL
        GROUP BY {place_key}, metric, measure
    )
    SELECT {columns}, period_kind, {place_key} AS place_key, {place_name} AS place_name,
           (county_code IS NOT NULL OR county IS NOT NULL) AS county_level, pick.n_reports,
           CASE WHEN direction = 'down' THEN -value ELSE value END AS signed
    FROM figures_effective JOIN pick USING (figure_id)
    WHERE {where}
    ORDER BY metric, measure, place_key"""


def _latest_ref(snap, f):
    from dashboard import queries, store
    where, params = f.where()
    sql = LATEST_REF.format(where=where, latest_key=queries.LATEST_KEY, place_key=queries.PLACE_KEY,
                            place_name=queries.PLACE_NAME, columns=queries.REPORT_COLUMNS)
    return queries._with_kinds(store.query(snap, sql, params + params))


def _date_views(snap):
    """Views whose dates cut months (figure_groups holds whole months) and views that do not,
    taken from the dates the warehouse holds so that each cut month has figures."""
    import datetime as dt

    from dashboard import store
    from dashboard.filters import Filters
    days = store.query(snap, "SELECT DISTINCT published_on AS d FROM figures WHERE published_on IS NOT NULL "
                             "AND day(published_on) BETWEEN 2 AND 27 ORDER BY 1")["d"].tolist()
    assert len(days) > 4
    a, b, c = (pd.Timestamp(days[int(len(days) * q)]).date() for q in (0.25, 0.5, 0.75))
    return [Filters(since=a.replace(day=1)), Filters(since=a), Filters(until=c), Filters(since=a, until=c),
            Filters(since=b, until=b + dt.timedelta(days=1)), Filters(since=b, until=c, categories=("disputes",)),
            Filters(include_demo=False, since=a)]


def _missing_alike(df):
    df = df.astype(object)
    return df.where(df.notna(), None)


def _same_everywhere(wh) -> None:
    import datetime as dt

    from dashboard import cards, comparable, queries, store
    from dashboard.filters import Filters
    snap = store.current(wh)
    views = [Filters(), Filters(include_demo=False), Filters(since=dt.date(2024, 1, 1)),
             Filters(categories=("disputes", "other"))]
    for f in views:
        where, params = f.where("f")
        got = queries.per_bulletin(snap, f)
        assert len(got), f
        assert_frame_equal(got, store.query(snap, PER_BULLETIN_REF.format(where=where), params))
        latest = queries.latest_reports(snap, f)
        assert len(latest) > 5, f
        assert_frame_equal(latest, _latest_ref(snap, f))
        assert comparable.classes(latest) == [comparable.period_class(r) for _, r in latest.iterrows()]
    cities = store.query(snap, "SELECT DISTINCT city_code FROM figures WHERE city_code IS NOT NULL ORDER BY 1")
    programmes = store.query(snap, "SELECT DISTINCT split_part(initiative, '.', 1) AS p FROM figures "
                                   "WHERE initiative IS NOT NULL ORDER BY 1")
    more = _date_views(snap) + [Filters(cities=(cities["city_code"].iloc[0],)),
                            Filters(initiatives=(programmes["p"].iloc[0],), include_demo=False)]
    for f in more:
        assert_frame_equal(queries.latest_reports(snap, f), _latest_ref(snap, f), obj=repr(f))
    reviewed = store.query(snap, "SELECT figure_id FROM figure_overrides")["figure_id"].tolist()
    for f in views + more[:2]:    # the top n of the view, and the whole view (every reviewed figure in it)
        where, params = f.where()
        n = store.query(snap, f"SELECT count(*) AS n FROM figures_effective WHERE {where}", params)["n"].iloc[0]
        assert queries.figures(snap, f, "", 5)[1] == n
        assert queries.figures(snap, f, "县", 5)[1] == store.query(
            snap, f"SELECT count(*) AS n FROM figures_effective WHERE {where} AND (sentence ILIKE ? OR raw ILIKE ? "
                  "OR agency ILIKE ?)", params + ["%县%"] * 3)["n"].iloc[0]
        for limit in (10, 10_000_000):
            got = _detail_same(snap, where, params, limit)
        assert len(got) or f.include_demo is False
        assert set(reviewed) - set(got["figure_id"]) == set(store.query(
            snap, f"SELECT figure_id FROM figure_overrides o WHERE NOT EXISTS "
                  f"(SELECT 1 FROM figures_effective e WHERE e.figure_id = o.figure_id AND {where})", params)["figure_id"])
        _detail_same(snap, f"{where} AND category = 'other'", params, 50, "bulletin_id, start")
    # the first figures by id are the ones the corrections below move away and reject: the top
    # ten without them reach past the first ten figures nobody reviewed
    _detail_same(snap, "county_code IS NOT NULL AND category <> 'other'", [], 10, "figure_id")
    for f in views + more:    # counted from figure_groups: dates that cut months, corrections
        where, params = f.where("f")
        got = queries.metric_measures(snap, f)
        assert_frame_equal(got, store.query(snap, METRIC_MEASURES_REF.format(where=where), params), obj=repr(f))
    assert len(queries.metric_measures(snap, Filters())) > 5
    # a card's delta: the one report previous_reports reads is the one the whole series gives
    deltas = 0
    for f in [Filters(), Filters(since=_date_views(snap)[1].since)]:
        latest = queries.latest_reports(snap, f)
        for _, row in latest[latest["measure"] != "change"].iterrows():
            whole = cards.previous_comparable(
                queries.series_reports(snap, f, row["metric"], row["measure"], row["place_key"]), row)
            one = cards.previous_comparable(queries.previous_reports(snap, f, row), row)
            assert (whole is None) == (one is None), (f, row["figure_id"])
            if whole is not None:
                assert (whole[0]["figure_id"], whole[1]) == (one[0]["figure_id"], one[1])
                deltas += 1
    assert deltas > 0     # the test corpus has few series with an earlier comparable report
    # a trend's kinds counted in SQL, and one kind's reports, are the whole series' own
    for _, row in queries.latest_reports(snap, Filters()).head(40).iterrows():
        whole = queries.series_reports(snap, Filters(), row["metric"], row["measure"], row["place_key"])
        kinds = queries.series_kinds(snap, Filters(), row["metric"], row["measure"], row["place_key"])
        assert dict(zip(kinds["period_kind"], kinds["n"])) == whole["period_kind"].value_counts().to_dict()
        assert int(kinds["n_undated"].sum()) == int(whole["published_on"].isna().sum())
        for kind in kinds["period_kind"]:
            one = queries.series_reports(snap, Filters(), row["metric"], row["measure"], row["place_key"], period_kind=kind)
            # a column all NULL in the subset comes back as object (None), not as string (nan): the
            # values are compared with every missing value alike (the charts read both as missing)
            same = whole[whole["period_kind"] == kind].reset_index(drop=True)
            assert_frame_equal(_missing_alike(one), _missing_alike(same))
    from etl import counts
    for f in views + more:      # the figure counts taken on figures_unreviewed: etl's own SQL's numbers
        where, params = f.where()
        want = {c.key: int(store.query(snap, counts.sql(c.key, where),
                                       params if c.table != "ingest_files" else []).iloc[0, 0])
                for c in counts.COUNTS}
        assert queries.view_counts(snap, f) == want, f
    stamp = queries.data_stamp(snap)
    assert stamp["figures"] == store.query(snap, "SELECT count(*) AS n FROM figures_effective")["n"].iloc[0]
    opts = queries.options(snap)
    metrics = opts["metrics"]
    assert_frame_equal(metrics, store.query(snap, METRICS_REF))
    assert_frame_equal(opts["places"], store.query(snap, PLACES_REF))
    assert_frame_equal(opts["categories"], store.query(snap, CATEGORIES_REF))
    assert len(opts["places"]) > 5
    assert (metrics["n"] > 0).any()


def test_snapshot_groups_cover_every_figure_once(warehouse_dir):
    """figure_groups (built by etl with the snapshot) counts every figure once, and each row's
    latest figure is one of its own group's."""
    from support import query
    assert query(warehouse_dir, "SELECT sum(n) FROM figure_groups")[0][0] == \
        query(warehouse_dir, "SELECT count(*) FROM figures")[0][0]
    bad = query(warehouse_dir, """
        SELECT count(*) FROM figure_groups g JOIN figures f USING (figure_id)
        WHERE g.place_key IS DISTINCT FROM coalesce(f.county_code, f.county, f.city_code, f.province)
           OR g.metric <> f.metric OR g.measure <> f.measure OR g.category <> f.category
           OR g.initiative IS DISTINCT FROM f.initiative OR g.synthetic <> f.synthetic
           OR g.month IS DISTINCT FROM CAST(date_trunc('month', f.published_on) AS DATE)
           OR g.value <> f.value OR g.sentence <> f.sentence""")[0][0]
    assert bad == 0


def test_fast_queries_equal_the_straightforward_ones_before_and_after_corrections(warehouse_copy):
    from dashboard import store
    from support import query
    wh = warehouse_copy
    _same_everywhere(wh)

    # a county figure becomes unclassified and unplaced, another leaves every view
    rows = query(wh, "SELECT figure_id FROM figures_effective WHERE county_code IS NOT NULL "
                     "AND category <> 'other' ORDER BY figure_id LIMIT 2")
    moved, gone = rows[0][0], rows[1][0]
    # and the latest report of a series with several loses its place twice over: one is dated
    # back (its runner-up must show, from another month), one rejected
    from dashboard import queries
    from dashboard.filters import Filters
    latest = queries.latest_reports(store.current(wh), Filters())
    several = latest[(latest["n_reports"] > 2) & latest["published_on"].notna()].sort_values("figure_id")
    dated_back, dropped = several["figure_id"].iloc[0], several["figure_id"].iloc[1]
    before = store.query(store.current(wh), "SELECT count(*) FILTER (WHERE category = 'other') AS o, count(*) AS n "
                                            "FROM figures_effective").iloc[0]
    for fid, args in ((moved, ("--set", "metric=other", "place=none")), (gone, ("--reject",)),
                      (dated_back, ("--set", "date=2001-02-03", "value=7")), (dropped, ("--reject",))):
        proc = run_cli("correct", fid, *args, "--by", "张三", "--reason", "测试", "--warehouse", wh)
        assert proc.returncode == 0, proc.stderr
    after = store.query(store.current(wh), "SELECT count(*) FILTER (WHERE category = 'other') AS o, count(*) AS n "
                                           "FROM figures_effective").iloc[0]
    assert (after["o"], after["n"]) == (before["o"] + 1, before["n"] - 2)   # the corrections are read
    _same_everywhere(wh)
    now = queries.latest_reports(store.current(wh), Filters())
    assert not now["figure_id"].isin([dated_back, dropped]).any()      # runners-up took their place
    old = store.query(store.current(wh), "SELECT figure_id, corrected FROM figures_effective WHERE figure_id = ?",
                      [dated_back])
    assert old["corrected"].tolist() == [True]
    pb = store.query(store.current(wh), "SELECT figure_id FROM figures_effective WHERE figure_id = ?", [gone])
    assert pb.empty
    assert isinstance(pb, pd.DataFrame)


def test_grid_text_widths_are_the_per_character_sum():
    """layout.text_px and _em look each character's width up once and cache whole texts:
    the same numbers as summing _char_em over the text."""
    import random

    from dashboard import layout
    rng = random.Random(1)
    chars = "abcijlMW@ 123中文，。！ＡＢ-_/()…【】"
    for _ in range(3000):
        s = "".join(rng.choice(chars) for _ in range(rng.randint(0, 40)))
        assert layout._em(s) == sum(layout._char_em(c) for c in s)
        for px in (12, 14):
            assert layout.text_px(s, px) == int(round(sum(layout._char_em(c) for c in s) * px))
    assert layout.text_px(20250101) == layout.text_px("20250101")
