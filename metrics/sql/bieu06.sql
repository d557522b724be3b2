-- Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): the dossiers a unit handled in the
-- period P = [$date_from, $date_to], per unit, per tier and for the whole scope
-- (docs/metrics.md, "Biểu 06"; compute.bieu06 documents every column).
-- A dossier belongs to the table when, with status not 1 or 3 and a sound timeline,
--   it was resolved in P (status 9 or 10, end in P), or
--   it was still open at the end of P (received by $date_to and not ended by it; a
--   status 7 or 8 with no end date counts as ended, when is unknown).
-- So "received" = "resolved" + "in progress", the identity officials check. Dossiers
-- withdrawn or stopped (7, 8) inside P are in neither, and so not in the table.
WITH handled AS (
    SELECT
        d.tier, d.agency_code, d.agency_name, d.channel, d.received_date, d.due_date, d.end_date,
        d.status IN (9, 10) AND d.end_date BETWEEN $date_from AND $date_to AS resolved,
        -- the last day this open dossier can be judged on: its unit's data date or last
        -- valid day, never a day nothing is known of (least skips NULL)
        CASE WHEN d.end_date IS NULL THEN least(CAST($date_to AS DATE), d.data_limit)
             ELSE CAST($date_to AS DATE) END AS judged_on
    FROM dossiers_in($units) d
    WHERE d.status NOT IN (1, 3)
      AND NOT d.bad_timeline
      AND d.received_date <= $date_to
      AND (
          (d.status IN (9, 10) AND d.end_date BETWEEN $date_from AND $date_to)
          OR d.end_date > $date_to
          OR (d.end_date IS NULL AND d.status NOT IN (7, 8, 9, 10))
      )
      AND ($tier IS NULL OR d.tier = $tier)
      AND ($unit IS NULL OR d.agency_code = $unit)
      AND ($scope IS NULL OR d.agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
),
counted AS (
    SELECT
        CASE WHEN grouping(tier) = 1 THEN 'total' WHEN grouping(agency_code) = 1 THEN 'tier' ELSE 'unit' END
            AS level,
        tier,
        agency_code,
        any_value(agency_name) AS file_name,
        count(*) FILTER (received_date < $date_from) AS carried_over,
        count(*) FILTER (received_date >= $date_from AND channel = 'online') AS new_online,
        count(*) FILTER (received_date >= $date_from AND channel IS DISTINCT FROM 'online') AS new_direct_postal,
        count(*) FILTER (resolved AND due_date IS NOT NULL AND end_date < due_date) AS resolved_early,
        count(*) FILTER (resolved AND (due_date IS NULL OR end_date = due_date)) AS resolved_on_due,
        count(*) FILTER (resolved AND end_date > due_date) AS resolved_late,
        count(*) FILTER (NOT resolved AND (due_date IS NULL OR due_date >= judged_on)) AS open_within_due,
        count(*) FILTER (NOT resolved AND due_date < judged_on) AS open_overdue
    FROM handled
    GROUP BY GROUPING SETS ((tier, agency_code), (tier), ())
    -- the grand total of no dossiers is no row (an empty period is an empty table)
    HAVING count(*) > 0
)
SELECT
    c.level,
    c.tier,
    c.agency_code AS unit_code,
    coalesce(u.unit_name, c.file_name) AS unit_name,
    -- a unit not in force over the whole period (the catalogue's span): shown, never compared
    coalesce(u.valid_from > $date_from OR u.valid_to < $date_to, false) AS unit_history,
    c.carried_over + c.new_online + c.new_direct_postal AS received,
    c.carried_over, c.new_online, c.new_direct_postal,
    c.resolved_early + c.resolved_on_due + c.resolved_late AS resolved,
    c.resolved_early, c.resolved_on_due, c.resolved_late,
    c.open_within_due + c.open_overdue AS in_progress,
    c.open_within_due, c.open_overdue
FROM counted c
LEFT JOIN unit_catalogue u ON c.level = 'unit' AND u.unit_code = c.agency_code
