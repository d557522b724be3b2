-- The rows of a CSV file below an empty line, moved to their line in the file.
-- DuckDB's reader skips an empty line without a row, so counting the rows it read
-- (source_row.sql, normalize.sql) cites every row below one a line too high. The
-- m-th empty line under the header ($blanks, sorted, m from 1) is passed by every
-- row counted as number (its line - (m - 1)) or more: an ASOF join finds, for
-- each row, the last such empty line, and m is how far it moves.
CREATE OR REPLACE TEMP TABLE _blank_lines AS
SELECT line - (m - 1) AS from_row, max(m) AS moved
FROM (SELECT unnest($blanks) AS line, generate_subscripts($blanks, 1) AS m)
GROUP BY 1;

UPDATE dossiers SET source_row = moved.source_row
FROM (
    SELECT d.rowid AS rid, CAST(d.source_row + b.moved AS INTEGER) AS source_row
    FROM dossiers d ASOF JOIN _blank_lines b ON d.source_row >= b.from_row
    WHERE d.import_id = $import_id
) moved
WHERE dossiers.rowid = moved.rid;

UPDATE quarantine SET source_row = moved.source_row
FROM (
    SELECT q.rowid AS rid, CAST(q.source_row + b.moved AS INTEGER) AS source_row
    FROM quarantine q ASOF JOIN _blank_lines b ON q.source_row >= b.from_row
    WHERE q.import_id = $import_id
) moved
WHERE quarantine.rowid = moved.rid;

DROP TABLE _blank_lines;
