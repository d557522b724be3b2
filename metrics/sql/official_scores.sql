-- The official scores in force (metrics/scores.py): official_scores is append-only, so
-- of the rows for one index, component, period and unit the newest import wins. Each
-- row carries the same score's rank and value a year earlier (same quarter or month),
-- for "rank change from last year". $unit NULL: every unit and the province.
WITH latest AS (
    SELECT * FROM official_scores
    QUALIFY import_id = max(import_id) OVER (
        PARTITION BY index_name, component, year, quarter, month, unit_code, unit_name)
)
SELECT
    c.index_name, c.component, c.year, c.quarter, c.month, c.unit_code, c.unit_name,
    c.score, c.max_score, c.rank, c.ranked_of, c.source,
    p.score AS score_last_year, p.rank AS rank_last_year, p.ranked_of AS ranked_of_last_year
FROM latest c
LEFT JOIN latest p
  ON p.index_name = c.index_name AND p.component = c.component
 AND p.year = c.year - 1
 AND p.quarter IS NOT DISTINCT FROM c.quarter AND p.month IS NOT DISTINCT FROM c.month
 AND p.unit_code IS NOT DISTINCT FROM c.unit_code
 AND (c.unit_code IS NOT NULL OR p.unit_name = c.unit_name)
WHERE $unit IS NULL OR c.unit_code = $unit
ORDER BY c.index_name, c.unit_code NULLS FIRST, c.year DESC, c.quarter DESC NULLS FIRST,
         c.month DESC NULLS FIRST, c.component
