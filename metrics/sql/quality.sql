-- The data-quality ledger: one row per rule with the number of records breaking
-- it and the metrics it is excluded from. Kept records first, then quarantine.
WITH kept AS (
    SELECT
        count(*) FILTER (status IN (9, 10) AND end_date IS NULL) AS terminal_without_end,
        count(*) FILTER (end_date < received_date) AS resolved_before_received,
        count(*) FILTER (due_date < received_date) AS due_before_received,
        count(*) FILTER (received_at IS NULL AND status <> 1) AS missing_received,
        count(*) FILTER (tier IS NULL) AS unknown_tier
    FROM dossiers
    WHERE $scope IS NULL OR agency_code IN (SELECT unnest($scope))  -- the reader's units (metrics/scope.py)
),
rules AS (
    SELECT * FROM (VALUES
        (1, 'terminal_without_end', 'Hồ sơ đã giải quyết nhưng không có ngày kết thúc',
            'Resolved status without an end date', 'on_time_rate, late'),
        (2, 'resolved_before_received', 'Ngày kết thúc trước ngày tiếp nhận',
            'Resolved before received', 'on_time_rate, late'),
        (3, 'due_before_received', 'Ngày hẹn trả trước ngày tiếp nhận',
            'Due before received', 'on_time_rate, late'),
        (4, 'missing_received', 'Thiếu ngày tiếp nhận (trạng thái khác 1)',
            'Missing received date (status not 1)', 'online_rate, on_time_rate 766'),
        (5, 'unknown_tier', 'Không xác định được cấp của đơn vị',
            'Unit tier unknown', 'tier breakdowns')
    ) t(ord, rule, label_vi, label_en, excluded_from)
)
SELECT ord, rule, label_vi, label_en,
       CASE rule
           WHEN 'terminal_without_end' THEN k.terminal_without_end
           WHEN 'resolved_before_received' THEN k.resolved_before_received
           WHEN 'due_before_received' THEN k.due_before_received
           WHEN 'missing_received' THEN k.missing_received
           WHEN 'unknown_tier' THEN k.unknown_tier
       END AS dossiers,
       excluded_from
FROM rules, kept k
UNION ALL
SELECT 100 AS ord, 'quarantined: ' || regexp_replace(reason_en, '[:;].*', '') AS rule,
       'Dòng bị cách ly: ' || regexp_replace(reason_vi, '[:;].*', '') AS label_vi,
       'Quarantined row: ' || regexp_replace(reason_en, '[:;].*', '') AS label_en,
       count(*) AS dossiers,
       'all (not imported)' AS excluded_from
FROM quarantine
-- a quarantined row belongs to the unit its raw values name
WHERE $scope IS NULL OR json_extract_string(raw, '$.agency_code') IN (SELECT unnest($scope))
GROUP BY ALL
ORDER BY ord, rule
