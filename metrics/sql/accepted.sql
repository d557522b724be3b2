-- The rows of `_staged` that become dossiers. Within one file the newest state of
-- a dossier wins (state_key, as between files in store.sql; sheets of a workbook
-- may come in any order), then the last row (an exact duplicate counts once). The window is only paid
-- for when the file repeats a code; otherwise `_accepted` is a plain view.
CREATE OR REPLACE TEMP VIEW _ok AS
SELECT * FROM _staged WHERE NOT is_noise AND reason_vi IS NULL;

CREATE OR REPLACE TEMP TABLE _accepted AS
SELECT * FROM _ok
QUALIFY row_number() OVER (
    PARTITION BY dossier_code ORDER BY state_key(status_v, resolved_v, returned_v, CAST(NULL AS TIMESTAMP)) DESC, source_row DESC
) = 1;
