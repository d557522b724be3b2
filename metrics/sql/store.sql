-- Accepted rows (`_accepted`, see accepted.sql) into `dossiers`, inside the
-- import's transaction. The later import wins for a dossier code, so existing
-- rows with the same code are replaced.
DELETE FROM dossiers WHERE dossier_code IN (SELECT dossier_code FROM _accepted);

INSERT INTO dossiers
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
    coalesce(r.channel_v, 'direct'),
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
    r.source_row
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
SELECT agency_code, CAST(max(greatest(received_at, resolved_at, returned_at)) AS DATE)
FROM dossiers
WHERE agency_code IS NOT NULL
GROUP BY agency_code
HAVING max(greatest(received_at, resolved_at, returned_at)) IS NOT NULL;
