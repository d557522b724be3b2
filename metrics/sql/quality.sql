-- The data-quality ledger: one row per rule with the number of records breaking
-- it and the metrics it is excluded from. Kept records first, then quarantine.
WITH kept AS (
    SELECT
        count(*) FILTER (d.status IN (9, 10) AND d.end_date IS NULL) AS terminal_without_end,
        count(*) FILTER (d.end_date < d.received_date) AS resolved_before_received,
        count(*) FILTER (d.due_date < d.received_date) AS due_before_received,
        count(*) FILTER (d.received_at IS NULL AND d.status <> 1) AS missing_received,
        count(*) FILTER (d.tier IS NULL AND u.tier IS NULL) AS unknown_tier,
        -- the units catalogue is the province's: a code it lacks, or one that was not
        -- in force at any time in the dossier's life, is a finding, never a silent drop
        count(*) FILTER (d.agency_code IS NOT NULL AND u.unit_code IS NULL) AS unit_not_in_catalogue,
        count(*) FILTER (u.unit_code IS NOT NULL
                         -- its life: receipt to the last of resolution and return (still
                         -- open: to this day, so a successor holding it is in force then)
                         AND (coalesce(greatest(d.end_date, CAST(d.returned_at AS DATE)), DATE '9999-12-31')
                                  < u.valid_from
                              OR d.received_date > u.valid_to)) AS unit_not_valid_on_date
    FROM dossiers d
    LEFT JOIN unit_catalogue u ON u.unit_code = d.agency_code
    WHERE $scope IS NULL OR d.agency_code IN (SELECT unnest($scope))  -- the reader's units (metrics/scope.py)
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
            'Unit tier unknown', 'tier breakdowns'),
        (6, 'unit_not_in_catalogue', 'Mã đơn vị không có trong danh mục (vẫn được tính theo cấp trong tệp)',
            'Unit code not in the catalogue (counted under the tier its file gives)', 'none'),
        (7, 'unit_not_valid_on_date', 'Đơn vị không còn/chưa có hiệu lực vào ngày của hồ sơ',
            'Unit not in force on the dossier''s dates', 'none')
    ) t(ord, rule, label_vi, label_en, excluded_from)
)
SELECT ord, rule, label_vi, label_en,
       CASE rule
           WHEN 'terminal_without_end' THEN k.terminal_without_end
           WHEN 'resolved_before_received' THEN k.resolved_before_received
           WHEN 'due_before_received' THEN k.due_before_received
           WHEN 'missing_received' THEN k.missing_received
           WHEN 'unknown_tier' THEN k.unknown_tier
           WHEN 'unit_not_in_catalogue' THEN k.unit_not_in_catalogue
           WHEN 'unit_not_valid_on_date' THEN k.unit_not_valid_on_date
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
