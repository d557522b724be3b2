-- The reference data the KPI table reads on every call, in one round trip
-- (metrics/kpi_units.py): the unit catalogue's rows and the targets, told apart by
-- `kind`. Two small queries cost DuckDB more than this one (fixed cost per query,
-- ~0,3 ms CPU and more wall time on a busy machine; measured), and neither is cached:
-- an edit shows on the next call.
SELECT 'unit' AS kind, unit_code AS code, unit_name AS name, tier, valid_from, valid_to,
       successor_code AS successor, NULL::DOUBLE AS target
FROM units
UNION ALL
SELECT 'target', metric, NULL, tier, valid_from, valid_to, NULL, target
FROM targets
