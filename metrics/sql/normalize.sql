-- From `_raw` (every canonical column as text) to `_staged`: parsed values, the
-- reason a row cannot be read, and whether it is a dossier at all. One pass,
-- the same for every export format. The macros are in ingest.py (built from
-- the vocabularies of record.py).
CREATE OR REPLACE TEMP TABLE _staged AS
WITH cleaned AS (
    SELECT
        source_row,
        clean_text(dossier_code)      AS dossier_code,
        clean_text(procedure_code)    AS procedure_code,
        clean_text(procedure_name)    AS procedure_name,
        clean_text(field_name)        AS field_name,
        clean_text(agency_code)       AS agency_code,
        clean_text(agency_name)       AS agency_name,
        clean_text(tier)              AS tier_raw,
        clean_text(channel)           AS channel_raw,
        clean_text(status)            AS status_raw,
        clean_text(rating)            AS rating_raw,
        clean_text(supplement_count)  AS supplement_raw,
        clean_text(received_at)       AS received_raw,
        clean_text(due_at)            AS due_raw,
        clean_text(resolved_at)       AS resolved_raw,
        clean_text(returned_at)       AS returned_raw,
        clean_text(apology_issued_at) AS apology_raw
    FROM _raw
),
parsed AS (
    SELECT
        c.*,
        tier_of(vocab_key(tier_raw))          AS tier_v,
        channel_of(vocab_key(channel_raw))    AS channel_v,
        status_of(vocab_key(status_raw))      AS status_v,
        rating_of(vocab_key(rating_raw))      AS rating_v,
        parse_count(supplement_raw)           AS supplement_v,
        parse_ts(received_raw)                AS received_v,
        parse_ts(due_raw)                     AS due_v,
        parse_ts(resolved_raw)                AS resolved_v,
        parse_ts(returned_raw)                AS returned_v,
        parse_ts(apology_raw)                 AS apology_v,
        (dossier_code IS NOT NULL)::INT + (procedure_code IS NOT NULL)::INT
          + (procedure_name IS NOT NULL)::INT + (field_name IS NOT NULL)::INT
          + (agency_code IS NOT NULL)::INT + (agency_name IS NOT NULL)::INT
          + (tier_raw IS NOT NULL)::INT + (channel_raw IS NOT NULL)::INT
          + (status_raw IS NOT NULL)::INT + (received_raw IS NOT NULL)::INT
          + (due_raw IS NOT NULL)::INT + (resolved_raw IS NOT NULL)::INT
          + (returned_raw IS NOT NULL)::INT                               AS filled
    FROM cleaned c
)
SELECT
    p.*,
    -- Column-number rows "(1) (2) …", totals, signature blocks and blank lines
    -- are part of a printed report, not dossiers.
    (
        (dossier_code IS NULL AND filled <= 2)
        OR regexp_full_match(dossier_code, '\(\s*\d+\s*\)')
        OR regexp_matches(lower(dossier_code),
            '^(tổng|cộng|người lập|thủ trưởng|ghi chú|xác nhận|kế toán|lãnh đạo|chủ tịch|giám đốc|trưởng phòng)')
        OR regexp_matches(lower(dossier_code), 'ngày .* tháng .* năm')
    ) AS is_noise,
    nullif(concat_ws('; ',
        CASE WHEN dossier_code IS NULL THEN 'Thiếu mã hồ sơ' END,
        CASE WHEN status_raw IS NULL THEN 'Thiếu trạng thái hồ sơ'
             WHEN status_v IS NULL THEN 'Trạng thái không hợp lệ: «' || status_raw || '»' END,
        CASE WHEN channel_raw IS NOT NULL AND channel_v IS NULL
             THEN 'Kênh nộp không hợp lệ: «' || channel_raw || '»' END,
        CASE WHEN tier_raw IS NOT NULL AND tier_v IS NULL
             THEN 'Cấp không hợp lệ: «' || tier_raw || '»' END,
        CASE WHEN rating_raw IS NOT NULL AND rating_v IS NULL
             THEN 'Mức độ hài lòng không hợp lệ: «' || rating_raw || '»' END,
        CASE WHEN supplement_raw IS NOT NULL AND supplement_v IS NULL
             THEN 'Số lần bổ sung không hợp lệ: «' || supplement_raw || '»' END,
        CASE WHEN received_raw IS NOT NULL AND received_v IS NULL
             THEN 'Ngày tiếp nhận không đọc được: «' || received_raw || '»' END,
        CASE WHEN due_raw IS NOT NULL AND due_v IS NULL
             THEN 'Ngày hẹn trả không đọc được: «' || due_raw || '»' END,
        CASE WHEN resolved_raw IS NOT NULL AND resolved_v IS NULL
             THEN 'Ngày kết thúc xử lý không đọc được: «' || resolved_raw || '»' END,
        CASE WHEN returned_raw IS NOT NULL AND returned_v IS NULL
             THEN 'Ngày trả kết quả không đọc được: «' || returned_raw || '»' END,
        CASE WHEN apology_raw IS NOT NULL AND apology_v IS NULL
             THEN 'Ngày xin lỗi không đọc được: «' || apology_raw || '»' END
    ), '') AS reason_vi,
    nullif(concat_ws('; ',
        CASE WHEN dossier_code IS NULL THEN 'Missing dossier code' END,
        CASE WHEN status_raw IS NULL THEN 'Missing status'
             WHEN status_v IS NULL THEN 'Unknown status: "' || status_raw || '"' END,
        CASE WHEN channel_raw IS NOT NULL AND channel_v IS NULL
             THEN 'Unknown channel: "' || channel_raw || '"' END,
        CASE WHEN tier_raw IS NOT NULL AND tier_v IS NULL
             THEN 'Unknown tier: "' || tier_raw || '"' END,
        CASE WHEN rating_raw IS NOT NULL AND rating_v IS NULL
             THEN 'Unknown rating: "' || rating_raw || '"' END,
        CASE WHEN supplement_raw IS NOT NULL AND supplement_v IS NULL
             THEN 'Bad supplement count: "' || supplement_raw || '"' END,
        CASE WHEN received_raw IS NOT NULL AND received_v IS NULL
             THEN 'Unreadable received date: "' || received_raw || '"' END,
        CASE WHEN due_raw IS NOT NULL AND due_v IS NULL
             THEN 'Unreadable due date: "' || due_raw || '"' END,
        CASE WHEN resolved_raw IS NOT NULL AND resolved_v IS NULL
             THEN 'Unreadable resolved date: "' || resolved_raw || '"' END,
        CASE WHEN returned_raw IS NOT NULL AND returned_v IS NULL
             THEN 'Unreadable returned date: "' || returned_raw || '"' END,
        CASE WHEN apology_raw IS NOT NULL AND apology_v IS NULL
             THEN 'Unreadable apology date: "' || apology_raw || '"' END
    ), '') AS reason_en
FROM parsed p;
