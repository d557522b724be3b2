-- Every readable row of the file (`_staged`, see normalize.sql) into `dossiers`,
-- inside the import's transaction, streamed in file order: no staging copy, no
-- sort. A file that repeats a code, or a dossier already stored, leaves two rows
-- of one dossier here for a moment; accepted.sql keeps the newer state of each.

INSERT INTO dossiers (
    dossier_code, procedure_code, procedure_name, field_name, agency_code, agency_name,
    tier, channel, received_at, due_at, resolved_at, returned_at, status, supplement_count,
    apology_issued_at, rating, received_date, due_date, end_date, bad_timeline,
    import_id, source_row, due_known, rating_known, supplement_known, as_of
)
WITH catalogue AS (
    -- The unit and procedure catalogues as lookups, one row: most rows carry
    -- their own names and skip them (a lookup is paid only by a row that lacks a
    -- value), and no join can make the planner hold the file in a hash table.
    -- One entry per code even if a catalogue repeats one.
    SELECT
        (SELECT map(list(unit_code), list({'name': unit_name, 'tier': tier}))
         FROM (SELECT unit_code, any_value(unit_name) AS unit_name, any_value(tier) AS tier
               FROM units WHERE unit_code IS NOT NULL GROUP BY unit_code)) AS unit_by_code,
        (SELECT map(list(name_key), list(unit_code))
         FROM (SELECT vocab_key(unit_name) AS name_key, any_value(unit_code) AS unit_code
               FROM units WHERE vocab_key(unit_name) IS NOT NULL GROUP BY ALL)) AS unit_by_name,
        (SELECT map(list(procedure_code), list({'name': procedure_name, 'field': field_name}))
         FROM (SELECT procedure_code, any_value(procedure_name) AS procedure_name,
                      any_value(field_name) AS field_name
               FROM procedures WHERE procedure_code IS NOT NULL GROUP BY ALL)) AS procedure_by_code
),
readable AS (
    SELECT * FROM _staged WHERE NOT is_noise AND reason_vi IS NULL
),
resolved AS (
    -- an export's own unit code first, then the code's prefix when the catalogue
    -- knows it, then the catalogue entry of the same name, then the bare prefix
    -- (code_prefix: only a row without its own unit code pays for it)
    SELECT
        a.*,
        c.*,
        CASE WHEN a.agency_code IS NOT NULL THEN a.agency_code
             WHEN map_contains(c.unit_by_code, code_prefix(a.dossier_code)) THEN code_prefix(a.dossier_code)
             ELSE coalesce(c.unit_by_name[vocab_key(a.agency_name)], code_prefix(a.dossier_code)) END AS agency_code_v
    FROM readable a CROSS JOIN catalogue c
)
SELECT
    r.dossier_code,
    r.procedure_code,
    coalesce(r.procedure_name, CASE WHEN r.procedure_name IS NULL THEN r.procedure_by_code[r.procedure_code].name END),
    coalesce(r.field_name, CASE WHEN r.field_name IS NULL THEN r.procedure_by_code[r.procedure_code].field END),
    r.agency_code_v,
    coalesce(r.agency_name, CASE WHEN r.agency_name IS NULL THEN r.unit_by_code[r.agency_code_v].name END),
    coalesce(r.tier_v, CASE WHEN r.tier_v IS NULL THEN r.unit_by_code[r.agency_code_v].tier END),
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
FROM resolved r;
