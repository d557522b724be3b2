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
    channel           VARCHAR NOT NULL,  -- online | direct | postal
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
    source_row        INTEGER NOT NULL
);

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
    seconds           DOUBLE NOT NULL
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
