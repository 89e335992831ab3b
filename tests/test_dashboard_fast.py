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


def _same_everywhere(wh) -> None:
    import datetime as dt

    from dashboard import comparable, queries, store
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
        assert comparable.classes(latest) == [comparable.period_class(r) for _, r in latest.iterrows()]
    metrics = queries.options(snap)["metrics"]
    assert_frame_equal(metrics, store.query(snap, METRICS_REF))
    assert (metrics["n"] > 0).any()


def test_fast_queries_equal_the_straightforward_ones_before_and_after_corrections(warehouse_copy):
    from dashboard import store
    from support import query
    wh = warehouse_copy
    _same_everywhere(wh)

    # a county figure becomes unclassified and unplaced, another leaves every view
    rows = query(wh, "SELECT figure_id FROM figures_effective WHERE county_code IS NOT NULL "
                     "AND category <> 'other' ORDER BY figure_id LIMIT 2")
    moved, gone = rows[0][0], rows[1][0]
    before = store.query(store.current(wh), "SELECT count(*) FILTER (WHERE category = 'other') AS o, count(*) AS n "
                                            "FROM figures_effective").iloc[0]
    for args in (("--set", "metric=other", "place=none"), ("--reject",)):
        fid = moved if args[0] == "--set" else gone
        proc = run_cli("correct", fid, *args, "--by", "张三", "--reason", "测试", "--warehouse", wh)
        assert proc.returncode == 0, proc.stderr
    after = store.query(store.current(wh), "SELECT count(*) FILTER (WHERE category = 'other') AS o, count(*) AS n "
                                           "FROM figures_effective").iloc[0]
    assert (after["o"], after["n"]) == (before["o"] + 1, before["n"] - 1)   # the corrections are read
    _same_everywhere(wh)
    pb = store.query(store.current(wh), "SELECT figure_id FROM figures_effective WHERE figure_id = ?", [gone])
    assert pb.empty
    assert isinstance(pb, pd.DataFrame)
