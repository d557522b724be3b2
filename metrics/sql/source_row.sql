-- The file row of each dossier of a CSV file that also has rows not stored
-- (`_rest`, quarantine.sql, numbered by the file's count). The stored rows went
-- into `dossiers` in file order, so the k-th of them (k from 0, its rowid minus
-- the first one's: ingest.py checks that they are consecutive) is file row
-- $first_row + k + the number of rows not stored before it. The m-th row not
-- stored (m from 1) has (its row - $first_row) - (m - 1) stored rows before it:
-- an ASOF join finds, for each k, the last such row with no more than k.
UPDATE dossiers SET source_row = numbered.source_row
FROM (
    WITH gaps AS (
        SELECT stored_before, max(m) AS skipped
        FROM (
            SELECT source_row - $first_row + 1 - row_number() OVER (ORDER BY source_row) AS stored_before,
                   row_number() OVER (ORDER BY source_row) AS m
            FROM _rest
        )
        GROUP BY stored_before
    ),
    stored AS (
        SELECT rowid AS rid, rowid - $first_rowid AS k FROM dossiers WHERE import_id = $import_id
    )
    SELECT s.rid, CAST($first_row + s.k + coalesce(g.skipped, 0) AS INTEGER) AS source_row
    FROM stored s ASOF LEFT JOIN gaps g ON s.k >= g.stored_before
) numbered
WHERE dossiers.rowid = numbered.rid;
