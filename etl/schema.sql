-- Warehouse schema of one snapshot. Every snapshot is a whole DuckDB file built from
-- scratch (previous rows copied in, new files appended), so the schema is plain DDL with
-- no migrations: an extractor upgrade rebuilds, corrections live in their own file.

CREATE TABLE bulletins (
    bulletin_id    VARCHAR PRIMARY KEY,  -- sha256 of the file's bytes, first 16 hex digits
    path           VARCHAR NOT NULL,     -- as given to ingest (relative or absolute)
    file_name      VARCHAR NOT NULL,
    format         VARCHAR NOT NULL,     -- txt html docx pdf
    encoding       VARCHAR,              -- utf-8, utf-8-sig, utf-16, gb18030; null for docx/pdf
    size_bytes     BIGINT NOT NULL,
    mtime          DOUBLE,               -- seconds since epoch, for the "unchanged" check
    n_chars        INTEGER NOT NULL,
    title          VARCHAR,              -- headline of the first article
    published_on   DATE,                 -- null when unknown: never invented
    date_source    VARCHAR NOT NULL,     -- manifest | filename | text | unknown
    date_precision VARCHAR,              -- day | month | year | null
    publisher      VARCHAR,
    region         VARCHAR,              -- manifest fallback place
    url            VARCHAR,
    synthetic      BOOLEAN NOT NULL DEFAULT FALSE,
    n_articles     INTEGER NOT NULL,
    n_figures      INTEGER NOT NULL,
    run_id         INTEGER NOT NULL,     -- ingest run that first read it
    abs_path       VARCHAR,              -- absolute path, so "unchanged" holds whatever cwd the path was given from
    extractor      VARCHAR               -- extractor version that produced its rows: a change re-reads the file
);

CREATE TABLE articles (
    bulletin_id  VARCHAR NOT NULL,
    article      INTEGER NOT NULL,       -- 1-based within the bulletin
    title        VARCHAR,
    byline       VARCHAR,
    region       VARCHAR,                -- column label such as 丽水 that the article sits under
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    n_figures    INTEGER NOT NULL,
    PRIMARY KEY (bulletin_id, article)
);

CREATE TABLE figures (
    figure_id     VARCHAR PRIMARY KEY,
    bulletin_id   VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    article       INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    sentence      VARCHAR NOT NULL,
    raw           VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    qualifier     VARCHAR,
    measure       VARCHAR NOT NULL,
    direction     VARCHAR,
    metric        VARCHAR NOT NULL,
    category      VARCHAR NOT NULL,
    county_code   VARCHAR,
    county        VARCHAR,
    city_code     VARCHAR,
    city          VARCHAR,
    province      VARCHAR,
    agency        VARCHAR,
    place_level   VARCHAR,               -- county | city | province | null (unresolved)
    initiative    VARCHAR,
    mechanism     VARCHAR,
    period        VARCHAR,
    period_start  DATE,
    period_end    DATE,
    period_kind   VARCHAR,               -- ytd | year | half | quarter | month | span | point | per_day | per_year | since | unknown (etl/period_kind.py)
    published_on  DATE,
    synthetic     BOOLEAN NOT NULL DEFAULT FALSE,
    place_source  VARCHAR,               -- how the place was decided: clause back_reference paragraph headline article_lead column town outlet manifest none
    metric_source VARCHAR                -- how the metric was decided: trigger paired_list field_word unit_only none
);

CREATE TABLE counties (
    code        VARCHAR PRIMARY KEY,     -- 6-digit GB/T 2260, or an alias code for places without one
    name        VARCHAR NOT NULL,
    short       VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,        -- province | city | county | alias
    city_code   VARCHAR,
    city        VARCHAR,
    province    VARCHAR
);

CREATE TABLE metrics (
    code             VARCHAR PRIMARY KEY,
    name_zh          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,
    category         VARCHAR NOT NULL,
    measure          VARCHAR NOT NULL,
    unit             VARCHAR,
    higher_is_better BOOLEAN
);

CREATE TABLE initiatives (
    code     VARCHAR PRIMARY KEY,
    name_zh  VARCHAR NOT NULL,
    name_en  VARCHAR NOT NULL,
    level    VARCHAR NOT NULL,           -- programme | pillar
    parent   VARCHAR
);

CREATE TABLE ingest_runs (
    run_id       INTEGER PRIMARY KEY,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP NOT NULL,
    snapshot     VARCHAR NOT NULL,
    extractor    VARCHAR NOT NULL,       -- extractor version: a change re-reads every file
    n_read       INTEGER NOT NULL,
    n_unchanged  INTEGER NOT NULL,
    n_duplicate  INTEGER NOT NULL,
    n_failed     INTEGER NOT NULL,
    n_figures_added INTEGER NOT NULL
);

CREATE TABLE ingest_files (
    run_id       INTEGER NOT NULL,
    path         VARCHAR NOT NULL,
    outcome      VARCHAR NOT NULL,       -- read | unchanged | duplicate | failed
    reason       VARCHAR,
    bulletin_id  VARCHAR,
    n_figures    INTEGER
);

-- Derived from `figures` by every snapshot build (etl.warehouse.build_groups in a fresh file,
-- update_groups patching the copied rows in a copy): the dashboard's "latest report per
-- place × metric × measure" at ten million figures is one grouped pass over every filtered
-- figure (seconds); over this table it is a pass over one row per group. One row per place key × metric × measure × every column the
-- dashboard filters by (month for published_on; NULL month = undated), with the group's
-- count and its latest figure (the same order as dashboard.queries.LATEST_KEY) and that
-- figure's report columns. Corrections are not here (they live outside the snapshot): the
-- dashboard recomputes every group a reviewed figure belongs to from figures_effective.
CREATE TABLE figure_groups (
    place_key     VARCHAR,
    metric        VARCHAR NOT NULL,
    measure       VARCHAR NOT NULL,
    category      VARCHAR NOT NULL,
    county_code   VARCHAR,
    county        VARCHAR,
    city_code     VARCHAR,
    initiative    VARCHAR,
    synthetic     BOOLEAN NOT NULL,
    month         DATE,
    n             BIGINT NOT NULL,
    lkey          STRUCT(d DATE, "real" BOOLEAN, b VARCHAR, s INTEGER) NOT NULL,
    figure_id     VARCHAR NOT NULL,
    bulletin_id   VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    qualifier     VARCHAR,
    direction     VARCHAR,
    raw           VARCHAR NOT NULL,
    period        VARCHAR,
    period_start  DATE,
    period_end    DATE,
    period_kind   VARCHAR,
    published_on  DATE,
    sentence      VARCHAR NOT NULL,
    city          VARCHAR,
    province      VARCHAR,
    place_level   VARCHAR,
    start         INTEGER NOT NULL
);
