-- Accepted rows of `_staged` into `dossiers`, inside the import's transaction.
-- The later import wins for a dossier code, so existing rows with the same code
-- are replaced; within one file the last row of a code wins.
CREATE OR REPLACE TEMP TABLE _accepted AS
SELECT * FROM _staged
WHERE NOT is_noise AND reason_vi IS NULL
QUALIFY row_number() OVER (PARTITION BY dossier_code ORDER BY source_row DESC) = 1;

DELETE FROM dossiers WHERE dossier_code IN (SELECT dossier_code FROM _accepted);

INSERT INTO dossiers
WITH unit_by_name AS (
    SELECT vocab_key(unit_name) AS name_key, any_value(unit_code) AS unit_code,
           any_value(tier) AS tier
    FROM units GROUP BY ALL
),
resolved AS (
    SELECT
        a.*,
        coalesce(a.agency_code, n.unit_code,
                 CASE WHEN contains(a.dossier_code, '-') THEN split_part(a.dossier_code, '-', 1) END)
            AS agency_code_v
    FROM _accepted a
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
LEFT JOIN units u ON u.unit_code = r.agency_code_v
LEFT JOIN (SELECT procedure_code, any_value(procedure_name) AS procedure_name,
                  any_value(field_name) AS field_name
           FROM procedures GROUP BY ALL) p ON p.procedure_code = r.procedure_code
ORDER BY r.received_v;

INSERT INTO quarantine
WITH bad AS (
    SELECT source_row, reason_vi, reason_en,
           to_json({
               dossier_code: dossier_code, procedure_code: procedure_code,
               procedure_name: procedure_name, field_name: field_name,
               agency_code: agency_code, agency_name: agency_name, tier: tier_raw,
               channel: channel_raw, received_at: received_raw, due_at: due_raw,
               resolved_at: resolved_raw, returned_at: returned_raw, status: status_raw,
               supplement_count: supplement_raw, apology_issued_at: apology_raw,
               rating: rating_raw
           })::VARCHAR AS raw
    FROM _staged
    WHERE NOT is_noise AND reason_vi IS NOT NULL
)
SELECT $import_id, $file_name, source_row, raw, reason_vi, reason_en
FROM bad
-- an exact duplicate of a bad row is one problem, not two
QUALIFY row_number() OVER (PARTITION BY raw ORDER BY source_row) = 1;
