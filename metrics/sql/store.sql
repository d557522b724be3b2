-- Accepted rows (`_accepted`, see accepted.sql) into `dossiers`, inside the
-- import's transaction. For a dossier already stored, the newer state wins,
-- ordered by the dossier's own timeline (state_key in ingest_macros.py: ended or not,
-- end date, status rank, return date, then the export's date when the file
-- gives one), never by import order: an older export
-- imported later cannot reopen a resolved dossier. On a tie the import wins.
-- The rows that lose are counted in the import report as superseded.
CREATE OR REPLACE TEMP TABLE _superseded AS
SELECT a.dossier_code
FROM _accepted a
JOIN dossiers d ON d.dossier_code = a.dossier_code
WHERE state_key(d.status, d.resolved_at, d.returned_at, d.as_of)
    > state_key(a.status_v, a.resolved_v, a.returned_v, CAST($as_of AS TIMESTAMP));

DELETE FROM dossiers
WHERE dossier_code IN (SELECT dossier_code FROM _accepted)
  AND dossier_code NOT IN (SELECT dossier_code FROM _superseded);

INSERT INTO dossiers (
    dossier_code, procedure_code, procedure_name, field_name, agency_code, agency_name,
    tier, channel, received_at, due_at, resolved_at, returned_at, status, supplement_count,
    apology_issued_at, rating, received_date, due_date, end_date, bad_timeline,
    import_id, source_row, due_known, rating_known, supplement_known, as_of
)
WITH unit_by_code AS (
    -- one row per code even if a catalogue repeats one: a join must never copy a dossier
    SELECT unit_code, any_value(unit_name) AS unit_name, any_value(tier) AS tier
    FROM units GROUP BY unit_code
),
unit_by_name AS (
    SELECT vocab_key(unit_name) AS name_key, any_value(unit_code) AS unit_code,
           any_value(tier) AS tier
    FROM units GROUP BY ALL
),
prefixed AS (
    -- the agency id is the part of the dossier code before the first '-'
    SELECT *, CASE WHEN contains(dossier_code, '-') THEN split_part(dossier_code, '-', 1) END AS code_prefix
    FROM _accepted
    WHERE dossier_code NOT IN (SELECT dossier_code FROM _superseded)
),
resolved AS (
    -- an export's own unit code first, then the code's prefix when the catalogue
    -- knows it, then the catalogue entry of the same name, then the bare prefix
    SELECT
        a.* EXCLUDE (code_prefix),
        coalesce(a.agency_code, k.unit_code, n.unit_code, a.code_prefix) AS agency_code_v
    FROM prefixed a
    LEFT JOIN unit_by_code k ON a.agency_code IS NULL AND k.unit_code = a.code_prefix
    LEFT JOIN unit_by_name n ON a.agency_code IS NULL AND n.name_key = vocab_key(a.agency_name)
)
SELECT
    r.dossier_code,
    r.procedure_code,
    coalesce(r.procedure_name, p.procedure_name),
    coalesce(r.field_name, p.field_name),
    r.agency_code_v,
    coalesce(r.agency_name, u.unit_name),
    coalesce(r.tier_v, u.tier),
    -- an empty channel cell means direct; no channel column at all means unknown
    CASE WHEN r.k_channel THEN coalesce(r.channel_v, 'direct') END,
    r.received_v,
    r.due_v,
    r.resolved_v,
    r.returned_v,
    r.status_v,
    r.supplement_v,
    r.apology_v,
    r.rating_v,
    CAST(r.received_v AS DATE),
    CAST(r.due_v AS DATE),
    CAST(coalesce(r.resolved_v, r.returned_v) AS DATE),
    coalesce(
        (r.status_v IN (9, 10) AND r.resolved_v IS NULL AND r.returned_v IS NULL)
        OR CAST(coalesce(r.resolved_v, r.returned_v) AS DATE) < CAST(r.received_v AS DATE)
        OR CAST(r.due_v AS DATE) < CAST(r.received_v AS DATE),
        false),
    $import_id,
    r.source_row,
    r.k_due,
    r.k_rating,
    r.k_supplement,
    CAST($as_of AS TIMESTAMP)
FROM resolved r
LEFT JOIN unit_by_code u ON u.unit_code = r.agency_code_v
LEFT JOIN (SELECT procedure_code, any_value(procedure_name) AS procedure_name,
                  any_value(field_name) AS field_name
           FROM procedures GROUP BY ALL) p ON p.procedure_code = r.procedure_code
-- receipt order (SORT_CLAUSE in ingest.py, left out for multi-million-row files)
ORDER BY r.received_v;

INSERT INTO quarantine
SELECT $import_id, $file_name, source_row, raw_json, reason_vi, reason_en
FROM _staged
WHERE raw_json IS NOT NULL
-- an exact duplicate of a bad row is one problem, not two
QUALIFY row_number() OVER (PARTITION BY raw_json ORDER BY source_row) = 1;

-- Each unit's data date (schema.sql), now that this file's dossiers are in.
DELETE FROM unit_data_dates;
INSERT INTO unit_data_dates
SELECT agency_code, CAST(max(greatest(received_at, resolved_at, returned_at, as_of)) AS DATE)
FROM dossiers
WHERE agency_code IS NOT NULL
GROUP BY agency_code
HAVING max(greatest(received_at, resolved_at, returned_at, as_of)) IS NOT NULL;
