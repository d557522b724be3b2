-- Due soon (sắp quá hạn), issue 13 and docs/metrics.md: open dossiers whose due date
-- is on or after A and at most $days working days after it, one row per dossier.
-- A is $as_of, or (NULL) the data date of the unit that handled the dossier: nothing
-- newer is known of its dossiers.
-- Working days left = working days d with A < d <= due date, read from `cal`: every
-- calendar day of the span with the number of working days up to and including it
-- (metrics/workdays.py, holidays from data/holidays.csv), so the count is one
-- subtraction per row, never a loop.
-- Open at A: status not 1 or 3, received on or before A, and not ended by A (a status
-- 7 or 8 without an end date counts as ended), as in the late list.
WITH cal AS (
    SELECT unnest($cal_days) AS day, unnest($cal_rank) AS rank
),
open_at AS (
    SELECT d.* EXCLUDE (as_of), coalesce(CAST($as_of AS DATE), f.data_date) AS as_of
    FROM dossiers_in($units) d
    LEFT JOIN unit_data_dates f ON f.agency_code = d.handled_by
    WHERE d.status NOT IN (1, 3)
      AND d.due_date IS NOT NULL
      AND NOT d.bad_timeline
      AND ($tier IS NULL OR d.tier = $tier)
      AND ($unit IS NULL OR d.agency_code = $unit)
  AND ($scope IS NULL OR d.agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
)
SELECT
    o.dossier_code,
    o.agency_code AS unit_code,
    coalesce(u.unit_name, o.agency_name) AS unit_name,
    o.tier,
    o.procedure_code,
    o.procedure_name,
    o.channel,
    o.received_at,
    o.due_at,
    o.due_date,
    o.as_of,
    c.rank - a.rank AS working_days_left,
    o.status,
    o.status = 5 AS supplement_pending
FROM open_at o
JOIN cal a ON a.day = o.as_of
JOIN cal c ON c.day = o.due_date
LEFT JOIN unit_catalogue u ON u.unit_code = o.agency_code
WHERE o.received_date <= o.as_of
  AND o.due_date >= o.as_of
  AND ((o.end_date IS NULL AND o.status NOT IN (7, 8)) OR o.end_date > o.as_of)
  AND c.rank - a.rank <= $days
ORDER BY o.due_date, o.agency_code, o.due_at, o.dossier_code
