-- The additive KPIs (docs/metrics.md) in one scan of `dossiers`: every count the
-- registry's cube measures name, per unit, and per month of the date each metric
-- counts by (received for online_rate; end for on_time_rate `resolved` and
-- satisfaction_rate). One scan instead of one per metric keeps a page's query
-- close to the cost of reading the columns once. Months are yyyymm integers:
-- cheaper to group on than dates. coalesce(count_if(c), 0) rather than
-- count(*) FILTER (c): the same counts (count_if of nothing but NULL is NULL), with
-- 10-20% less CPU on DuckDB 2.0 (measured; the floor in metrics/demo/bench_kpi.py
-- is written the same way, so the comparison stays fair).
--
-- Why counted first and attributed after: the unit a dossier is counted under
-- depends only on the code that handled it and the tier its file gave, so the
-- scan groups by those (a few hundred groups) and the unit catalogue is joined
-- to the groups, not to every dossier. The attribution is that of
-- dossiers_in($units) (schema.sql): 'as_was' keeps the handling unit with the
-- catalogue's tier first; 'successor' moves it to the unit that holds it today.
-- The tier, unit and scope filters apply to the attributed unit, as there.
-- Two groups can land on one unit (a merger; a file tier the catalogue overrides):
-- the caller sums them (kpi_table.cube_rows), a few hundred rows, cheaper in Python
-- than one more aggregation here. In the 'as_was' view each row also carries its
-- unit's catalogue name and validity (NULL for a code the catalogue lacks), so the
-- caller needs no second look at the catalogue.
WITH counted AS (
    SELECT
        agency_code AS handled_by,
        tier AS file_tier,
        CASE WHEN $by_month AND in_received THEN (year(received_date) * 100 + month(received_date)) END
            AS received_month,
        CASE WHEN $by_month AND in_end THEN (year(end_date) * 100 + month(end_date)) END AS end_month,
        -- A dossier whose export lacked the column a metric needs (channel NULL, *_known
        -- false) is unknown for that metric: out of its denominator, counted in *_unknown_*.
        coalesce(count_if(in_received AND channel IS NOT NULL), 0) AS dossiers_received,
        coalesce(count_if(in_received AND channel = 'online'), 0) AS dossiers_online,
        coalesce(count_if(in_received AND channel IS NULL), 0) AS dossiers_received_unknown_channel,
        -- timeline-rule breakers are left out of on-time (quality ledger)
        coalesce(count_if(in_end AND NOT bad_timeline AND due_known), 0) AS dossiers_resolved,
        coalesce(count_if(in_end AND NOT bad_timeline AND due_known AND (due_date IS NULL OR end_date <= due_date)), 0)
            AS dossiers_resolved_on_time,
        coalesce(count_if(in_end AND NOT bad_timeline AND NOT due_known), 0) AS dossiers_resolved_unknown_due,
        coalesce(count_if(in_end AND rating_known), 0) AS dossiers_resolved_all,
        coalesce(count_if(in_end AND rating IS NOT NULL), 0) AS dossiers_rated,
        coalesce(count_if(in_end AND rating >= 4), 0) AS dossiers_rated_satisfied,
        coalesce(count_if(in_end AND NOT rating_known), 0) AS dossiers_resolved_unknown_rating
    FROM (
        SELECT
            agency_code, tier, channel, rating, bad_timeline, received_date, end_date, due_date,
            coalesce(due_known, true) AS due_known, coalesce(rating_known, true) AS rating_known,
            status NOT IN (1, 3) AND received_date BETWEEN $date_from AND $date_to AS in_received,
            status IN (9, 10) AND end_date BETWEEN $date_from AND $date_to AS in_end
        FROM dossiers
        WHERE received_date BETWEEN $date_from AND $date_to OR end_date BETWEEN $date_from AND $date_to
    )
    GROUP BY ALL
),
attributed AS (
    SELECT
        CASE WHEN $units = 'successor' THEN coalesce(u.current_code, c.handled_by) ELSE c.handled_by END
            AS agency_code,
        CASE WHEN $units = 'successor' THEN coalesce(u.current_tier, u.tier, c.file_tier)
             ELSE coalesce(u.tier, c.file_tier) END AS tier,
        c.* EXCLUDE (handled_by, file_tier),
        -- the attributed unit's catalogue entry, when that is the handling unit's
        CASE WHEN $units = 'successor' THEN NULL ELSE u.unit_name END AS unit_name,
        CASE WHEN $units = 'successor' THEN NULL ELSE u.valid_from END AS unit_valid_from,
        CASE WHEN $units = 'successor' THEN NULL ELSE u.valid_to END AS unit_valid_to
    FROM counted c
    LEFT JOIN (
        -- the recursive catalogue only where successors matter ($units is a constant:
        -- the planner drops the other branch)
        SELECT unit_code, unit_name, tier, NULL AS current_code, NULL AS current_tier, valid_from, valid_to
        FROM unit_spans WHERE $units <> 'successor'
        UNION ALL
        SELECT unit_code, unit_name, tier, current_code, current_tier, valid_from, valid_to
        FROM unit_catalogue WHERE $units = 'successor'
    ) u ON u.unit_code = c.handled_by
)
SELECT *
FROM attributed
WHERE ($tier IS NULL OR tier = $tier)
  AND ($unit IS NULL OR agency_code = $unit)
  -- the reader's units (metrics/scope.py); list_contains: a function, not a join to plan
  AND ($scope IS NULL OR list_contains($scope, agency_code))
