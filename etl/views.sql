-- Views the dashboard reads. Built into every snapshot after its tables are filled.
--
-- Principle 1 of the design: figures are reports, not events. Nothing here sums figures
-- across bulletins. v_facts folds repeats of the same report into one fact with several
-- sources; v_latest picks the latest report per place and metric.
--
-- Every view reads `figures_effective`, never `figures`: the figures as extracted with the
-- human corrections applied and rejected figures left out (etl/corrections.py).

-- Corrections live in <wh>/corrections.sqlite, not here. These two tables are empty in
-- every snapshot; a reader's connection shadows them with TEMP tables of the same name
-- filled from the store (etl.corrections.install), so figures_effective shows the
-- corrections of the moment without a re-ingest. Without install it equals `figures`.
CREATE TABLE IF NOT EXISTS corrections (
    seq BIGINT, correction_id VARCHAR, figure_id VARCHAR, action VARCHAR, field VARCHAR,
    "before" VARCHAR, "after" VARCHAR, reason VARCHAR, "by" VARCHAR, "at" TIMESTAMP,
    undoes VARCHAR, undone BOOLEAN
);
CREATE TABLE IF NOT EXISTS figure_overrides (
    figure_id VARCHAR, review_status VARCHAR, rejected BOOLEAN, confirmed BOOLEAN,
    corrected BOOLEAN, corrected_fields VARCHAR, reviewed_by VARCHAR, reviewed_at TIMESTAMP,
    review_reason VARCHAR, correction_note VARCHAR, review_log VARCHAR,
    value_set BOOLEAN, value DOUBLE, unit_set BOOLEAN, unit VARCHAR,
    qualifier_set BOOLEAN, qualifier VARCHAR, measure_set BOOLEAN, measure VARCHAR,
    direction_set BOOLEAN, direction VARCHAR, metric_set BOOLEAN, metric VARCHAR, category VARCHAR,
    place_set BOOLEAN, county_code VARCHAR, county VARCHAR, city_code VARCHAR, city VARCHAR,
    province VARCHAR, place_level VARCHAR, initiative_set BOOLEAN, initiative VARCHAR,
    period_set BOOLEAN, period VARCHAR, period_start DATE, period_end DATE,
    date_set BOOLEAN, published_on DATE
);

-- Every figure as extracted, with the review columns of a figure nobody reviewed. Read by
-- figures_effective for the figures without a live record; a reader whose corrections
-- store is empty reads it as figures_effective directly (etl.corrections.install lays a
-- TEMP view of that name over this file's), which is the bare table plus constants.
CREATE OR REPLACE VIEW figures_unreviewed AS
SELECT
    f.*,
    FALSE                         AS corrected,
    FALSE                         AS confirmed,
    CAST(NULL AS VARCHAR)         AS review_status,
    CAST(NULL AS VARCHAR)         AS corrected_fields,
    CAST(NULL AS VARCHAR)         AS reviewed_by,
    CAST(NULL AS TIMESTAMP)       AS reviewed_at,
    CAST(NULL AS VARCHAR)         AS review_reason,
    CAST(NULL AS VARCHAR)         AS correction_note,
    CAST(NULL AS VARCHAR)         AS review_log
FROM figures f;

-- The one view every read goes through: each figure as extracted, with the live
-- correction of each field applied, rejected figures removed, and the review state.
--
-- Written as the figures nobody reviewed (straight from the table) followed by the
-- reviewed ones (joined to their record), not as one LEFT JOIN: a filter on a corrected
-- column (county_code, metric, published_on, …) cannot pass a LEFT JOIN whose CASE decides
-- its value, so every read scanned and joined every row (4-10x a bare read, and at 10
-- million figures over a second per query). Split, the filters reach the table's scan for
-- the bulk of the rows; only the few reviewed figures are joined. Same rows; figures
-- without a record come first.
CREATE OR REPLACE VIEW figures_effective AS
SELECT u.* FROM figures_unreviewed u
WHERE NOT EXISTS (SELECT 1 FROM figure_overrides o WHERE o.figure_id = u.figure_id)
UNION ALL
SELECT
    f.* REPLACE (
        CASE WHEN o.value_set      THEN o.value       ELSE f.value       END AS value,
        CASE WHEN o.unit_set       THEN o.unit        ELSE f.unit        END AS unit,
        CASE WHEN o.qualifier_set  THEN o.qualifier   ELSE f.qualifier   END AS qualifier,
        CASE WHEN o.measure_set    THEN o.measure     ELSE f.measure     END AS measure,
        CASE WHEN o.direction_set  THEN o.direction   ELSE f.direction   END AS direction,
        CASE WHEN o.metric_set     THEN o.metric      ELSE f.metric      END AS metric,
        CASE WHEN o.metric_set     THEN coalesce(o.category, f.category) ELSE f.category END AS category,
        CASE WHEN o.place_set      THEN o.county_code ELSE f.county_code END AS county_code,
        CASE WHEN o.place_set      THEN o.county      ELSE f.county      END AS county,
        CASE WHEN o.place_set      THEN o.city_code   ELSE f.city_code   END AS city_code,
        CASE WHEN o.place_set      THEN o.city        ELSE f.city        END AS city,
        CASE WHEN o.place_set      THEN o.province    ELSE f.province    END AS province,
        CASE WHEN o.place_set      THEN o.place_level ELSE f.place_level END AS place_level,
        CASE WHEN o.initiative_set THEN o.initiative  ELSE f.initiative  END AS initiative,
        CASE WHEN o.period_set     THEN o.period      ELSE f.period      END AS period,
        CASE WHEN o.period_set     THEN o.period_start ELSE f.period_start END AS period_start,
        CASE WHEN o.period_set     THEN o.period_end  ELSE f.period_end  END AS period_end,
        CASE WHEN o.date_set       THEN o.published_on ELSE f.published_on END AS published_on,
        -- a place or metric set by a person is no longer the extractor's guess
        CASE WHEN o.place_set      THEN 'review'  ELSE f.place_source  END AS place_source,
        CASE WHEN o.metric_set     THEN 'review'  ELSE f.metric_source END AS metric_source
    ),
    coalesce(o.corrected, FALSE)  AS corrected,
    coalesce(o.confirmed, FALSE)  AS confirmed,
    o.review_status               AS review_status,
    o.corrected_fields            AS corrected_fields,
    o.reviewed_by                 AS reviewed_by,
    o.reviewed_at                 AS reviewed_at,
    o.review_reason               AS review_reason,
    o.correction_note             AS correction_note,
    -- JSON, oldest first: every live correction and confirmation (field, before, after, by,
    -- at, reason), so a mark can name the corrections that changed its value even after a
    -- later confirmation (reviewed_by/at/reason are the last record, whatever it was)
    o.review_log                  AS review_log
FROM figures f
JOIN figure_overrides o ON o.figure_id = f.figure_id
WHERE NOT coalesce(o.rejected, FALSE);

-- Every figure with its names, its place key and its provenance (bulletin, article).
CREATE OR REPLACE VIEW v_figures AS
SELECT
    f.*,
    m.name_zh            AS metric_zh,
    m.name_en            AS metric_en,
    m.higher_is_better   AS higher_is_better,
    i.name_zh            AS initiative_zh,
    i.name_en            AS initiative_en,
    i.parent             AS initiative_parent,
    -- a county-level place without a GB code (丽水经济技术开发区) is keyed by its name:
    -- it must never fold into its city's own figures
    coalesce(f.county_code, f.county, f.city_code, f.province) AS place_key,
    CASE
        WHEN f.county_code IS NOT NULL OR f.county IS NOT NULL THEN coalesce(f.county, cc.short, cc.name)
        WHEN f.city_code   IS NOT NULL THEN coalesce(f.city, ct.short, ct.name)
        ELSE f.province
    END                  AS place_name,
    coalesce(f.place_level,
             CASE WHEN f.county_code IS NOT NULL THEN 'county'
                  WHEN f.county      IS NOT NULL THEN 'county'
                  WHEN f.city_code   IS NOT NULL THEN 'city'
                  WHEN f.province    IS NOT NULL THEN 'province' END) AS place_key_level,
    b.title              AS bulletin_title,
    b.path               AS bulletin_path,
    b.file_name          AS bulletin_file,
    b.publisher          AS publisher,
    b.url                AS url,
    b.date_source        AS date_source,
    b.date_precision     AS date_precision,
    a.title              AS article_title
FROM figures_effective f
LEFT JOIN metrics     m  ON m.code = f.metric
LEFT JOIN initiatives i  ON i.code = f.initiative
LEFT JOIN counties    cc ON cc.code = f.county_code
LEFT JOIN counties    ct ON ct.code = f.city_code
LEFT JOIN bulletins   b  ON b.bulletin_id = f.bulletin_id
LEFT JOIN articles    a  ON a.bulletin_id = f.bulletin_id AND a.article = f.article;

-- One row per fact: the same place, metric, measure, direction, value, unit, qualifier and
-- period reported in several bulletins is one fact with several sources. A figure whose
-- place is unknown is its own fact: without a place we cannot tell two reports apart.
-- Synthetic (demo) figures never merge with real ones.
CREATE OR REPLACE VIEW v_facts AS
WITH keyed AS (
    SELECT *,
           CASE WHEN place_key IS NULL THEN figure_id END AS unplaced_key
    FROM v_figures
)
SELECT
    substr(md5(concat_ws('|', coalesce(place_key, '?' || unplaced_key), metric, measure,
                         coalesce(direction, ''), CAST(value AS VARCHAR), unit,
                         coalesce(qualifier, ''), coalesce(period, ''),
                         CAST(synthetic AS VARCHAR))), 1, 16)      AS fact_id,
    place_key,
    any_value(place_name)                                    AS place_name,
    any_value(place_key_level)                               AS place_level,
    any_value(county_code)                                   AS county_code,
    any_value(county)                                        AS county,
    any_value(city_code)                                     AS city_code,
    any_value(city)                                          AS city,
    any_value(province)                                      AS province,
    metric,
    any_value(metric_zh)                                     AS metric_zh,
    any_value(metric_en)                                     AS metric_en,
    any_value(category)                                      AS category,
    measure,
    direction,
    value,
    unit,
    qualifier,
    period,
    min(period_start)                                        AS period_start,
    max(period_end)                                          AS period_end,
    synthetic,
    count(DISTINCT bulletin_id)                              AS n_sources,
    count(*)                                                 AS n_figures,
    list(figure_id ORDER BY published_on DESC NULLS LAST, bulletin_id, start) AS figure_ids,
    list(DISTINCT bulletin_id)                               AS bulletin_ids,
    min(published_on)                                        AS first_published,
    max(published_on)                                        AS last_published,
    first(raw      ORDER BY published_on DESC NULLS LAST, bulletin_id, start) AS raw,
    first(sentence ORDER BY published_on DESC NULLS LAST, bulletin_id, start) AS sentence
FROM keyed
GROUP BY place_key, unplaced_key, metric, measure, direction, value, unit, qualifier, period,
         synthetic;

-- The latest reported figure per place × metric (and measure: a count and a change of the
-- same metric are different series). Latest by publication date, then bulletin, then the
-- later offset; figures with an unknown date rank after every dated one. Figures with no
-- place at all have no row here. Synthetic and real data are ranked apart so that a
-- filter on `synthetic` never hides a real figure behind a demo one.
CREATE OR REPLACE VIEW v_latest AS
SELECT * EXCLUDE (rn)
FROM (
    SELECT v.*,
           row_number() OVER (
               PARTITION BY place_key, metric, measure, synthetic
               ORDER BY published_on DESC NULLS LAST, bulletin_id DESC, start DESC
           ) AS rn,
           count(*) OVER (PARTITION BY place_key, metric, measure, synthetic) AS n_reports
    FROM v_figures v
    WHERE place_key IS NOT NULL
)
WHERE rn = 1;
