-- The additive KPIs (docs/metrics.md) in one scan of `dossiers`: every count the
-- registry's cube measures name, per unit, and per month of the date each metric
-- counts by (received for online_rate; end for on_time_rate `resolved` and
-- satisfaction_rate). One scan instead of one per metric keeps a page's query
-- close to the cost of reading the columns once. Months are yyyymm integers:
-- cheaper to group on than dates.
WITH scoped AS (
    SELECT
        tier, agency_code, channel, rating, bad_timeline, received_date, end_date, due_date,
        coalesce(due_known, true) AS due_known, coalesce(rating_known, true) AS rating_known,
        status NOT IN (1, 3) AND received_date BETWEEN $date_from AND $date_to AS in_received,
        status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to AS in_end
    FROM dossiers_in($units)
    WHERE (received_date BETWEEN $date_from AND $date_to OR end_date BETWEEN $date_from AND $date_to)
      AND ($tier IS NULL OR tier = $tier)
      AND ($unit IS NULL OR agency_code = $unit)
      AND ($scope IS NULL OR agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
)
SELECT
    tier,
    agency_code,
    CASE WHEN $by_month AND in_received THEN (year(received_date) * 100 + month(received_date)) END AS received_month,
    CASE WHEN $by_month AND in_end THEN (year(end_date) * 100 + month(end_date)) END AS end_month,
    -- A dossier whose export lacked the column a metric needs (channel NULL, *_known
    -- false) is unknown for that metric: out of its denominator, counted in *_unknown_*.
    count(*) FILTER (in_received AND channel IS NOT NULL) AS dossiers_received,
    count(*) FILTER (in_received AND channel = 'online') AS dossiers_online,
    count(*) FILTER (in_received AND channel IS NULL) AS dossiers_received_unknown_channel,
    -- timeline-rule breakers are left out of on-time (quality ledger)
    count(*) FILTER (in_end AND NOT bad_timeline AND due_known) AS dossiers_resolved,
    count(*) FILTER (in_end AND NOT bad_timeline AND due_known AND (due_date IS NULL OR end_date <= due_date))
        AS dossiers_resolved_on_time,
    count(*) FILTER (in_end AND NOT bad_timeline AND NOT due_known) AS dossiers_resolved_unknown_due,
    count(*) FILTER (in_end AND rating_known) AS dossiers_resolved_all,
    count(*) FILTER (in_end AND rating IS NOT NULL) AS dossiers_rated,
    count(*) FILTER (in_end AND rating >= 4) AS dossiers_rated_satisfied,
    count(*) FILTER (in_end AND NOT rating_known) AS dossiers_resolved_unknown_rating
FROM scoped
GROUP BY ALL
