-- online_rate, definition `default` (domain.md §3).
-- Denominator: dossiers with status not 1 or 3 received in the period.
-- Numerator: those submitted online.
SELECT
    CASE WHEN $by_month THEN strftime(received_date, '%Y-%m') END AS month,
    tier,
    agency_code,
    any_value(agency_name) AS agency_name,
    count(*) FILTER (channel = 'online') AS numerator,
    count(*) AS denominator
FROM dossiers
WHERE status NOT IN (1, 3)
  AND received_date BETWEEN $date_from AND $date_to
  AND ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
GROUP BY ALL
