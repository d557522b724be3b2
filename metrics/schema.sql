-- The one schema of the engine. Every statement is idempotent so that opening
-- an existing database never changes it.

-- One row per dossier_code. Timestamps are local time (Asia/Ho_Chi_Minh) without
-- a zone; the *_date columns are derived once at import so that every metric
-- compares local calendar dates without recomputing them per query.
CREATE TABLE IF NOT EXISTS dossiers (
    dossier_code      VARCHAR NOT NULL,
    procedure_code    VARCHAR,
    procedure_name    VARCHAR,
    field_name        VARCHAR,
    agency_code       VARCHAR,
    agency_name       VARCHAR,
    tier              VARCHAR,      -- department | district | commune | NULL (unknown)
    channel           VARCHAR,      -- online | direct | postal | NULL: the export had no channel column
    received_at       TIMESTAMP,
    due_at            TIMESTAMP,
    resolved_at       TIMESTAMP,
    returned_at       TIMESTAMP,
    status            TINYINT NOT NULL,  -- 1..10, see metrics/record.py
    supplement_count  INTEGER,
    apology_issued_at TIMESTAMP,
    rating            TINYINT,      -- 1..5
    received_date     DATE,
    due_date          DATE,
    end_date          DATE,         -- date of resolved_at, else of returned_at
    bad_timeline      BOOLEAN NOT NULL, -- breaks a data-quality rule that corrupts on-time metrics
    import_id         INTEGER NOT NULL,
    source_row        INTEGER NOT NULL,
    -- Whether the export had the column a KPI needs (docs/data-contract.md §4): false makes the
    -- dossier "unknown" for that KPI (left out of its denominator and counted as
    -- "không rõ"), never on time / unrated / without supplements by default.
    due_known         BOOLEAN DEFAULT true,   -- on_time_rate (both definitions)
    rating_known      BOOLEAN DEFAULT true,   -- satisfaction_rate
    supplement_known  BOOLEAN DEFAULT true,   -- on_time_rate 766 (more than one supplement is late)
    as_of             TIMESTAMP               -- when the export holding this state was taken, if it said
);
-- Databases created before these columns existed.
ALTER TABLE dossiers ALTER COLUMN channel DROP NOT NULL;
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS due_known BOOLEAN DEFAULT true;
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS rating_known BOOLEAN DEFAULT true;
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS supplement_known BOOLEAN DEFAULT true;
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS as_of TIMESTAMP;

CREATE TABLE IF NOT EXISTS imports (
    import_id         INTEGER NOT NULL,
    file_name         VARCHAR NOT NULL,
    content_hash      VARCHAR NOT NULL,
    file_format       VARCHAR NOT NULL,
    rows_read         BIGINT NOT NULL,
    rows_accepted     BIGINT NOT NULL,
    rows_quarantined  BIGINT NOT NULL,
    rows_duplicate    BIGINT NOT NULL,
    rows_skipped      BIGINT NOT NULL,  -- column-number, total and signature rows
    columns_dropped   VARCHAR NOT NULL, -- personal/unknown columns not stored, '; '-joined
    imported_at       TIMESTAMP NOT NULL,
    seconds           DOUBLE NOT NULL,
    -- ingest_macros.RULES_VERSION: a file imported under other rules is not "already imported"
    rules_version     VARCHAR,
    rows_superseded   BIGINT DEFAULT 0  -- rows older than the stored state of their dossier
);
ALTER TABLE imports ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE imports ADD COLUMN IF NOT EXISTS rows_superseded BIGINT DEFAULT 0;

-- The per-file import report (ingest.ImportReport): sheets or lists read, header row,
-- source column -> canonical column, columns ignored (personal data named), KPIs the
-- file cannot support, rows read / accepted / quarantined by reason / duplicate /
-- superseded. One JSON document per import.
CREATE TABLE IF NOT EXISTS import_reports (
    import_id   INTEGER NOT NULL,
    report      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    import_id   INTEGER NOT NULL,
    file_name   VARCHAR NOT NULL,
    source_row  INTEGER NOT NULL,
    raw         VARCHAR NOT NULL,   -- JSON object of the row's canonical raw values
    reason_vi   VARCHAR NOT NULL,
    reason_en   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS targets (
    metric      VARCHAR NOT NULL,
    tier        VARCHAR NOT NULL,   -- department | district | commune | all
    valid_from  DATE NOT NULL,
    valid_to    DATE,               -- NULL: still in force
    target      DOUBLE NOT NULL,    -- a fraction: 0.97
    source      VARCHAR NOT NULL
);

-- Units are effective-dated: a code is valid from valid_from to valid_to (NULL:
-- open-ended) and, once abolished, its dossiers pass to successor_code (the 2025
-- reform ended the district tier and merged communes under new codes).
CREATE TABLE IF NOT EXISTS units (
    unit_code      VARCHAR NOT NULL,
    unit_name      VARCHAR NOT NULL,
    tier           VARCHAR NOT NULL,
    valid_from     DATE,
    valid_to       DATE,
    successor_code VARCHAR
);
ALTER TABLE units ADD COLUMN IF NOT EXISTS valid_from DATE;
ALTER TABLE units ADD COLUMN IF NOT EXISTS valid_to DATE;
ALTER TABLE units ADD COLUMN IF NOT EXISTS successor_code VARCHAR;

-- Which file each reference table was last loaded from, and its content hash: an
-- edited file is reloaded on the next connection (metrics/reference.py).
CREATE TABLE IF NOT EXISTS reference_sources (
    table_name   VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    loaded_at    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS procedures (
    procedure_code  VARCHAR NOT NULL,
    procedure_name  VARCHAR NOT NULL,
    field_name      VARCHAR,
    online_service  VARCHAR NOT NULL  -- full | partial | none (Decree 42/2022)
);

-- Each unit's data date: the newest timestamp any import has shown for it (an
-- export's own date counts: the file says its units are current to then). An
-- open dossier is overdue only up to this date (nothing newer is known about it),
-- and a unit whose data stops short of a period's end is "behind" (coverage).
-- Refreshed by every import (sql/store.sql); filled here for older databases.
CREATE TABLE IF NOT EXISTS unit_data_dates (
    agency_code VARCHAR NOT NULL,
    data_date   DATE NOT NULL
);
INSERT INTO unit_data_dates
SELECT agency_code, CAST(max(greatest(received_at, resolved_at, returned_at, as_of)) AS DATE)
FROM dossiers
WHERE agency_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit_data_dates)
GROUP BY agency_code
HAVING max(greatest(received_at, resolved_at, returned_at, as_of)) IS NOT NULL;

-- One row per unit code: the span it was valid (open ends as far dates), its tier
-- and name (from its latest row) and its successor. The units "as they were" need
-- nothing more (sql/kpi_cube.sql reads this, not the recursive catalogue below).
CREATE OR REPLACE VIEW unit_spans AS
SELECT
    unit_code,
    arg_max(unit_name, coalesce(valid_from, DATE '0001-01-01')) AS unit_name,
    arg_max(tier, coalesce(valid_from, DATE '0001-01-01')) AS tier,
    min(coalesce(valid_from, DATE '0001-01-01')) AS valid_from,
    max(coalesce(valid_to, DATE '9999-12-31')) AS valid_to,
    arg_max(successor_code, coalesce(valid_from, DATE '0001-01-01')) AS successor_code
FROM units
GROUP BY unit_code;

-- unit_spans and the unit that holds each unit's dossiers today, reached by
-- following successor_code to its end ("as it is now").
CREATE OR REPLACE VIEW unit_catalogue AS
WITH RECURSIVE spans AS (SELECT * FROM unit_spans),
chain(unit_code, current_code, depth) AS (
    SELECT unit_code, unit_code, 0 FROM spans
    UNION ALL
    SELECT c.unit_code, s.successor_code, c.depth + 1
    FROM chain c JOIN spans s ON s.unit_code = c.current_code
    -- reference.py refuses cycles; the depth bound keeps a bad copy from looping
    WHERE s.successor_code IS NOT NULL AND c.depth < 64
),
latest AS (SELECT unit_code, arg_max(current_code, depth) AS current_code FROM chain GROUP BY unit_code)
SELECT s.*, l.current_code, n.unit_name AS current_name, n.tier AS current_tier
FROM spans s
JOIN latest l USING (unit_code)
LEFT JOIN spans n ON n.unit_code = l.current_code;

-- The dossiers as the metric SQL reads them, in one of two views of the units:
--   'as_was'    each dossier under the unit that handled it, with that unit's tier;
--   'successor' each dossier under the unit that holds it today (as it is now).
-- The catalogue's tier comes first; a code it lacks keeps the tier its file gave.
-- `data_limit` is the last day anything is known of the handling unit's dossiers:
-- its data date, or its last valid day once abolished.
CREATE OR REPLACE MACRO dossiers_in(units_view) AS TABLE
SELECT
    d.* REPLACE (
        CASE WHEN units_view = 'successor' THEN coalesce(u.current_code, d.agency_code)
             ELSE d.agency_code END AS agency_code,
        CASE WHEN units_view = 'successor' THEN coalesce(u.current_tier, u.tier, d.tier)
             ELSE coalesce(u.tier, d.tier) END AS tier
    ),
    d.rowid AS rid,
    d.agency_code AS handled_by,
    least(f.data_date, u.valid_to) AS data_limit
FROM dossiers d
LEFT JOIN unit_catalogue u ON u.unit_code = d.agency_code
LEFT JOIN unit_data_dates f ON f.agency_code = d.agency_code;

-- Official scores users already have (issue 13): the national portal's 766 table per
-- unit and indices such as PAR INDEX or SIPAS (metrics/scores.py). Append only: a
-- newer import of the same index, component, period and unit wins on reading; nothing
-- is overwritten. unit_code NULL: a score of the province as a whole.
CREATE TABLE IF NOT EXISTS official_scores (
    import_id   INTEGER NOT NULL,
    index_name  VARCHAR NOT NULL,   -- 766 | PAR INDEX | SIPAS | ...
    component   VARCHAR NOT NULL,   -- 766: CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH, TONG_SCORE; else TONG_SCORE
    year        INTEGER NOT NULL,
    quarter     INTEGER,            -- 1..4, NULL for a year or a month
    month       INTEGER,            -- 1..12, NULL for a year or a quarter
    unit_code   VARCHAR,
    unit_name   VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    max_score   DOUBLE NOT NULL,
    rank        INTEGER,
    ranked_of   INTEGER,
    source      VARCHAR NOT NULL
);
