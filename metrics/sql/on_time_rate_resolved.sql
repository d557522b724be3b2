-- on_time_rate, definition `resolved` (provincial reports and conferences).
-- Denominator: status 9 or 10 whose end date is in the period.
-- Numerator: no due date, or end date on or before the due date.
-- Records that break a timeline rule are left out (they are in the quality ledger).
SELECT
    CASE WHEN $by_month THEN strftime(end_date, '%Y-%m') END AS month,
    tier,
    agency_code,
    any_value(agency_name) AS agency_name,
    count(*) FILTER (due_date IS NULL OR end_date <= due_date) AS numerator,
    count(*) AS denominator
FROM dossiers
WHERE status IN (9, 10)
  AND end_date BETWEEN $date_from AND $date_to
  AND NOT bad_timeline
  AND ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
GROUP BY ALL
