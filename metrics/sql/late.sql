-- Late dossiers of the period (docs/metrics.md), one row per dossier.
-- resolved_late: status 9 or 10, end in the period, due date set and end after it;
--   days_late = end - due date.
-- open_overdue: status not 1 or 3, received on or before `to`, not ended by `to`
--   (a status 7 or 8 without an end date counts as ended), due date before `to`;
--   days_late = `to` - due date.
-- Filters are bound parameters; NULL means "all". `rid` (the row id) lets a page
-- fetch its 50 rows' details after ranking only the keys (compute.late).
WITH late AS (
    SELECT d.*, 'resolved_late' AS kind, datediff('day', d.due_date, d.end_date) AS days_late
    FROM dossiers_in($units) d
    WHERE NOT $by_766
      AND d.status IN (9, 10)
      AND d.end_date BETWEEN $date_from AND $date_to
      AND d.due_date IS NOT NULL
      AND d.end_date > d.due_date
      AND NOT d.bad_timeline
    UNION ALL
    -- open at `to`, in two branches (ended after `to`; not ended) so that each is a
    -- plain range or NULL test that the row-group statistics can skip blocks with
    SELECT d.*, 'open_overdue' AS kind, datediff('day', d.due_date, CAST($date_to AS DATE)) AS days_late
    FROM dossiers_in($units) d
    WHERE NOT $by_766
      AND d.end_date > $date_to
      AND d.status NOT IN (1, 3)
      AND d.received_date <= $date_to
      AND d.due_date < $date_to
      AND NOT d.bad_timeline
    UNION ALL
    -- Still open: overdue only up to the last day its unit's data reaches (its data
    -- date, or its last valid day once abolished), never up to a day nothing is known of.
    SELECT d.*, 'open_overdue' AS kind,
           datediff('day', d.due_date, least(CAST($date_to AS DATE), d.data_limit)) AS days_late
    FROM dossiers_in($units) d
    WHERE NOT $by_766
      AND d.end_date IS NULL
      AND d.status NOT IN (1, 3, 7, 8)
      AND d.received_date <= $date_to
      AND d.due_date < $date_to
      AND d.due_date < least(CAST($date_to AS DATE), d.data_limit)
      AND NOT d.bad_timeline
    UNION ALL
    -- The 766 reading (on_time_rate_766.sql, whole period): every dossier of its scope
    -- that is not on time: more than one supplement request (kind `supplements`, no
    -- days), ended late by `to`, or open past its due date on the last day its unit's
    -- data reaches. Its count is the 766 denominator minus its numerator.
    SELECT d.*,
        CASE WHEN coalesce(d.supplement_count, 0) > 1 THEN 'supplements'
             WHEN d.end_date IS NOT NULL AND d.end_date <= $date_to THEN 'resolved_late'
             ELSE 'open_overdue' END AS kind,
        CASE WHEN coalesce(d.supplement_count, 0) > 1 THEN NULL
             WHEN d.end_date IS NOT NULL AND d.end_date <= $date_to THEN datediff('day', d.due_date, d.end_date)
             ELSE datediff('day', d.due_date, least(CAST($date_to AS DATE), d.data_limit)) END AS days_late
    FROM dossiers_in($units) d
    WHERE $by_766
      AND d.status NOT IN (1, 3)
      AND NOT d.bad_timeline
      AND coalesce(d.due_known, true) AND coalesce(d.supplement_known, true)
      AND d.received_date <= $date_to
      AND (d.received_date >= $date_from OR (d.end_date IS NULL AND d.status NOT IN (7, 8)) OR d.end_date >= $date_from)
      AND CASE
            WHEN coalesce(d.supplement_count, 0) > 1 THEN true
            WHEN d.due_date IS NULL THEN false
            WHEN d.end_date IS NOT NULL AND d.end_date <= $date_to THEN d.end_date > d.due_date
            WHEN d.end_date IS NULL AND d.status IN (7, 8) THEN false
            ELSE least(CAST($date_to AS DATE), d.data_limit) > d.due_date
          END
)
SELECT
    rid, dossier_code, kind, days_late, agency_code, agency_name, tier,
    procedure_code, procedure_name, field_name, channel,
    received_at, due_at,
    coalesce(resolved_at, returned_at) AS end_at,
    apology_issued_at,
    CASE WHEN apology_issued_at IS NULL THEN 'none'
         WHEN CAST(apology_issued_at AS DATE) <= due_date THEN 'before_due'
         ELSE 'after_due' END AS apology
FROM late
WHERE ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
  AND ($scope IS NULL OR agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
  AND ($kind IS NULL OR kind = $kind)
  AND ($procedure IS NULL OR procedure_code = $procedure)
  AND ($field IS NULL OR field_name = $field)
  AND ($channel IS NULL OR channel = $channel)
  AND ($min_days IS NULL OR days_late >= $min_days)
  AND ($max_days IS NULL OR days_late <= $max_days)
