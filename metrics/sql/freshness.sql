-- Each unit's data date and whether it is current (docs/metrics.md, "Current data,
-- unit by unit"). Units come from the catalogue and from the dossiers (a code the
-- catalogue lacks still has data). `as_of` is the newest data date of any unit:
-- what "today" means for this database. A unit is current when its data reaches
-- as_of (or, once abolished, its last valid day), less a grace of $grace_days for
-- days on which a unit simply had nothing to record.
WITH counts AS (
    SELECT agency_code AS unit_code, count(*) AS dossiers, any_value(tier) AS file_tier,
           any_value(agency_name) AS file_name
    FROM dossiers WHERE agency_code IS NOT NULL GROUP BY 1
),
units_all AS (
    SELECT
        coalesce(c.unit_code, k.unit_code) AS unit_code,
        coalesce(c.unit_name, k.file_name) AS unit_name,
        coalesce(c.tier, k.file_tier) AS tier,
        CASE WHEN c.valid_from > DATE '0001-01-01' THEN c.valid_from END AS valid_from,
        CASE WHEN c.valid_to < DATE '9999-12-31' THEN c.valid_to END AS valid_to,
        CASE WHEN c.current_code <> c.unit_code THEN c.current_code END AS successor_code,
        c.unit_code IS NOT NULL AS in_catalogue,
        coalesce(k.dossiers, 0) AS dossiers,
        f.data_date
    FROM unit_catalogue c
    FULL JOIN counts k ON k.unit_code = c.unit_code
    LEFT JOIN unit_data_dates f ON f.agency_code = coalesce(c.unit_code, k.unit_code)
),
as_of AS (SELECT max(data_date) AS as_of FROM unit_data_dates)
SELECT
    u.*,
    a.as_of,
    least(a.as_of, u.valid_to) AS expected_until,
    CASE
        WHEN u.data_date IS NULL THEN 'no_data'
        WHEN u.data_date >= least(a.as_of, u.valid_to) - to_days(CAST($grace_days AS INTEGER)) THEN 'current'
        ELSE 'behind'
    END AS state,
    u.valid_to IS NULL OR u.valid_to >= a.as_of AS active
FROM units_all u, as_of a
WHERE $scope IS NULL OR u.unit_code IN (SELECT unnest($scope))  -- the reader's units (metrics/scope.py)
