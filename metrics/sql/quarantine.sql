-- The rows of the file that were not stored: report furniture (skipped) and rows
-- that cannot be read (quarantined with their reasons). Only a file that has them
-- (fewer rows stored than read) pays for reading `_staged` a second time (ingest.py).
CREATE OR REPLACE TEMP TABLE _rest AS
SELECT source_row, is_noise, raw_json, reason_vi, reason_en
FROM _staged
WHERE is_noise OR reason_vi IS NOT NULL;

INSERT INTO quarantine
SELECT $import_id, $file_name, source_row, raw_json, reason_vi, reason_en
FROM _rest
WHERE raw_json IS NOT NULL
-- an exact duplicate of a bad row is one problem, not two
QUALIFY row_number() OVER (PARTITION BY raw_json ORDER BY source_row) = 1;
