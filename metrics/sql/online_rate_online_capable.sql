-- online_rate, definition `online_capable`: as `default`, with the denominator
-- limited to procedures that offer an online service (toàn trình or một phần).
SELECT
    CASE WHEN $by_month THEN strftime(d.received_date, '%Y-%m') END AS month,
    d.tier,
    d.agency_code,
    count(*) FILTER (d.channel = 'online') AS numerator,
    -- no channel column in the dossier's export: unknown, not "not online"
    count(*) FILTER (d.channel IS NOT NULL) AS denominator,
    count(*) FILTER (d.channel IS NULL) AS unknown
FROM dossiers_in($units) d
JOIN procedures p ON p.procedure_code = d.procedure_code AND p.online_service IN ('full', 'partial')
WHERE d.status NOT IN (1, 3)
  AND d.received_date BETWEEN $date_from AND $date_to
  AND ($tier IS NULL OR d.tier = $tier)
  AND ($unit IS NULL OR d.agency_code = $unit)
  AND ($scope IS NULL OR d.agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
GROUP BY ALL
