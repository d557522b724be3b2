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
    -- Whether the export had the column a KPI needs (domain.md §4): false makes the
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

CREATE TABLE IF NOT EXISTS units (
    unit_code   VARCHAR NOT NULL,
    unit_name   VARCHAR NOT NULL,
    tier        VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS procedures (
    procedure_code  VARCHAR NOT NULL,
    procedure_name  VARCHAR NOT NULL,
    field_name      VARCHAR,
    online_service  VARCHAR NOT NULL  -- full | partial | none (Decree 42/2022)
);
