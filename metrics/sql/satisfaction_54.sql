-- Satisfaction in the form of Decision 766's indicator 5.4 (docs/metrics.md, "Điểm 766
-- ước tính"), per unit: of the dossiers resolved in the period (status 9 or 10, end
-- in the period), how many were resolved late (due date set and end after it; the
-- timeline-rule breakers are left out, as for on-time) and how many were rated 1 or 2
-- (a dislike: "không hài lòng", "rất không hài lòng"). The exports carry no complaint
-- field, so dislikes stand for "complaints or dislikes".
SELECT
    tier,
    agency_code,
    count(*) FILTER (NOT bad_timeline) AS resolved,
    count(*) FILTER (NOT bad_timeline AND due_date IS NOT NULL AND end_date > due_date) AS resolved_late,
    count(*) AS resolved_all,
    count(*) FILTER (rating IN (1, 2)) AS disliked
FROM dossiers_in($units)
WHERE status IN (9, 10)
  AND end_date BETWEEN $date_from AND $date_to
  AND ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
  AND ($scope IS NULL OR agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
GROUP BY ALL
