-- Each unit's data date (schema.sql), now that this file's dossiers are in.
DELETE FROM unit_data_dates;
INSERT INTO unit_data_dates
SELECT agency_code, CAST(max(greatest(received_at, resolved_at, returned_at, as_of)) AS DATE)
FROM dossiers
WHERE agency_code IS NOT NULL
GROUP BY agency_code
HAVING max(greatest(received_at, resolved_at, returned_at, as_of)) IS NOT NULL;
