-- Which of two rows of one dossier stays, once the file's rows are in `dossiers`
-- (store.sql). Run only when some code is there twice (ingest.py checks). The
-- newest state wins (state_key in ingest_macros.py: ended or not, end date, status
-- rank, return date, then the export's date when the file gives one), never the
-- import order: an older export imported later cannot reopen a resolved dossier.
-- On a tie this import wins over a stored row, and within the file the last row
-- wins (an exact duplicate counts once). A code stored before is there at most
-- once, so every code ranked here has a row of this import.
CREATE OR REPLACE TEMP TABLE _ranked AS
SELECT dossier_code, import_id, source_row, import_id = $import_id AS is_new,
    row_number() OVER (
        PARTITION BY dossier_code
        ORDER BY state_key(status, resolved_at, returned_at, as_of) DESC, import_id = $import_id DESC, source_row DESC
    ) AS rank
FROM dossiers
WHERE dossier_code IN (SELECT dossier_code FROM dossiers GROUP BY dossier_code HAVING count(*) > 1);

DELETE FROM dossiers d
USING _ranked r
WHERE r.rank > 1 AND d.dossier_code = r.dossier_code AND d.import_id = r.import_id AND d.source_row = r.source_row;
