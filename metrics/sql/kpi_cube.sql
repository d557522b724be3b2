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
-- Why only counted here: the unit a dossier is counted under depends only on the
-- code that handled it and the tier its file gave, so the scan groups by those (a
-- few hundred groups), and the caller attributes each group to its unit in Python
-- (metrics/kpi_units.py, the rules of dossiers_in($units) in schema.sql) and applies
-- the tier, unit and scope filters to the attributed unit, as dossiers_in's readers
-- do. Joining the catalogue views here cost DuckDB 2-3 ms per query for a few
-- hundred rows (a fifth of the whole query at 200k dossiers; measured).
--
-- The two month keys end in `-- by month`: a table without months runs this query
-- without those lines (kpi_counts.cube_sql). Grouping on them as constant NULLs
-- still cost DuckDB 6% of the query at 1M dossiers (measured).
SELECT
    agency_code AS handled_by,
    tier AS file_tier,
    CASE WHEN in_received THEN year(received_date) * 100 + month(received_date) END AS received_month,  -- by month
    CASE WHEN in_end THEN year(end_date) * 100 + month(end_date) END AS end_month,  -- by month
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
