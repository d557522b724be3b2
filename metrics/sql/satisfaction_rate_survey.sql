-- satisfaction_rate, definition `survey`.
-- Denominator: status 9 or 10, end date in the period, with a rating.
-- Numerator: ratings 4 or 5. Coverage: rated ÷ resolved in the period.
SELECT
    CASE WHEN $by_month THEN strftime(end_date, '%Y-%m') END AS month,
    tier,
    agency_code,
    any_value(agency_name) AS agency_name,
    count(*) FILTER (rating >= 4) AS numerator,
    count(rating) AS denominator,
    count(rating) AS coverage_numerator,
    count(*) AS coverage_denominator
FROM dossiers
WHERE status IN (9, 10)
  AND end_date BETWEEN $date_from AND $date_to
  AND ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
GROUP BY ALL
