-- Views the dashboard reads. Built into every snapshot after its tables are filled.
--
-- Principle 1 of the design: figures are reports, not events. Nothing here sums figures
-- across bulletins. v_facts folds repeats of the same report into one fact with several
-- sources; v_latest picks the latest report per place and metric.

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
FROM figures f
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
