-- on_time_rate, definition `766` (national real-time index, Decision 766/QĐ-TTg).
-- Evaluated per period (each month when grouped by month, since the scope of a
-- period includes dossiers carried over into it and is not additive over months).
-- In scope: status not 1 or 3, received on or before `to`, and received in the
-- period or not ended before `from`. A status 7 or 8 without an end date counts
-- as ended (when is unknown): in scope only when received in the period.
-- On time: more than one supplement request is late; no due date is on time;
-- ended by `to`: end <= due; still open at `to`: `to` <= due.
WITH periods AS (
    SELECT
        CASE WHEN $by_month THEN strftime(m, '%Y-%m') END AS month,
        greatest(CAST(m AS DATE), CAST($date_from AS DATE)) AS p_from,
        least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), CAST($date_to AS DATE)) AS p_to
    FROM range(date_trunc('month', CAST($date_from AS DATE)),
               CAST($date_to AS DATE) + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)
    WHERE $by_month
    UNION ALL
    SELECT NULL, CAST($date_from AS DATE), CAST($date_to AS DATE) WHERE NOT $by_month
),
scoped AS (
    SELECT
        p.month, d.tier, d.agency_code,
        -- without a due date or a supplement count in its export, on time is unknown
        NOT (coalesce(d.due_known, true) AND coalesce(d.supplement_known, true)) AS unknown,
        CASE
            WHEN coalesce(d.supplement_count, 0) > 1 THEN false
            WHEN d.due_date IS NULL THEN true
            WHEN d.end_date IS NOT NULL AND d.end_date <= p.p_to THEN d.end_date <= d.due_date
            WHEN d.end_date IS NULL AND d.status IN (7, 8) THEN true
            -- open: judged on the last day its unit's data reaches (least skips NULL)
            ELSE least(p.p_to, d.data_limit) <= d.due_date
        END AS on_time
    FROM dossiers_in($units) d
    JOIN periods p
      ON d.received_date <= p.p_to
     AND (d.received_date >= p.p_from
          OR (d.end_date IS NULL AND d.status NOT IN (7, 8))
          OR d.end_date >= p.p_from)
    WHERE d.status NOT IN (1, 3)
      AND NOT d.bad_timeline
      AND ($tier IS NULL OR d.tier = $tier)
      AND ($unit IS NULL OR d.agency_code = $unit)
      AND ($scope IS NULL OR d.agency_code IN (SELECT unnest($scope)))  -- the reader's units (metrics/scope.py)
)
SELECT month, tier, agency_code,
       count(*) FILTER (on_time AND NOT unknown) AS numerator, count(*) FILTER (NOT unknown) AS denominator,
       count(*) FILTER (unknown) AS unknown
FROM scoped
GROUP BY ALL
