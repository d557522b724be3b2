-- From `_raw` (every canonical column as text) to `_staged`: parsed values, the
-- reason a row cannot be read, and whether it is a dossier at all. The same for
-- every export format; the macros are in ingest_macros.py (built from the
-- vocabularies of record.py). A view, not a table: the import streams it straight
-- into `dossiers` (store.sql), so no staging copy of the file is ever held or
-- spilled, and only a file with rows that are not accepted reads it a second time.
-- The INSERT reads this query in place of the view (ingest._store_sql: a view is
-- planned when created and again where it is read); the view is created only for
-- the quarantine pass.
CREATE OR REPLACE TEMP VIEW _staged AS
WITH catalogue AS (
    -- A procedure name written as the catalogue writes it for the row's code needs no
    -- cleaning when the catalogue's needs none: comparing the two costs a third of
    -- clean_text's regex over a long name. One row, so the file is never held in a
    -- hash table. (Unit and field names are short: there the lookup costs what the
    -- regex costs.)
    SELECT coalesce((
        SELECT map(list(procedure_code), list(procedure_name))
        FROM (SELECT procedure_code, any_value(procedure_name) AS procedure_name
              FROM procedures
              WHERE procedure_code IS NOT NULL AND procedure_name <> '' AND NOT needs_cleaning(procedure_name)
              GROUP BY procedure_code)), MAP {}) AS clean_procedure_name
),
trimmed AS (
    -- procedure_key names its argument four times: given a column, the trimmed code
    -- is computed once, not once per mention (common subexpressions are not shared
    -- during an import, see ingest.py).
    SELECT r.*, clean_code(r.procedure_code) AS procedure_trimmed, c.clean_procedure_name
    FROM _raw AS r
    CROSS JOIN catalogue c
),
cleaned AS (
    SELECT
        -- Codes only need trimming (far cheaper than NFC). Vocabulary, number and
        -- date values are parsed as they are and cleaned only when that fails.
        clean_code(dossier_code)      AS dossier_code,
        procedure_key(procedure_trimmed) AS procedure_code,
        CASE WHEN procedure_name = clean_procedure_name[procedure_code] THEN procedure_name
             ELSE clean_text(procedure_name) END AS procedure_name,
        clean_text(field_name)        AS field_name,
        clean_code(agency_code)       AS agency_code,
        clean_text(agency_name)       AS agency_name,
        nullif(tier, '')              AS tier_raw,
        nullif(channel, '')           AS channel_raw,
        nullif(status, '')            AS status_raw,
        nullif(rating, '')            AS rating_raw,
        nullif(supplement_count, '')  AS supplement_raw,
        nullif(received_at, '')       AS received_raw,
        nullif(due_at, '')            AS due_raw,
        nullif(resolved_at, '')       AS resolved_raw,
        nullif(returned_at, '')       AS returned_raw,
        nullif(apology_issued_at, '') AS apology_raw,
        _row, _part, _short, k_channel, k_due, k_rating, k_supplement, status_inferred
    FROM trimmed
),
parsed AS (
    SELECT
        c.*,
        tier_of(tier_raw)                     AS tier_v,
        channel_of(channel_raw)               AS channel_v,
        status_of(status_raw)                 AS status_m,
        rating_of(rating_raw)                 AS rating_m,
        parse_count(supplement_raw)           AS supplement_v,
        parse_ts_lenient(received_raw)        AS received_v,
        parse_ts_lenient(due_raw)             AS due_v,
        parse_ts_lenient(resolved_raw)        AS resolved_v,
        parse_ts_lenient(returned_raw)        AS returned_v,
        parse_ts_lenient(apology_raw)         AS apology_v,
        -- at most two of these values: a signature or note line (is_noise). A row with
        -- a code, a status and a received date has three; only the others count.
        CASE WHEN dossier_code IS NOT NULL AND status_raw IS NOT NULL AND received_raw IS NOT NULL THEN false
        ELSE (dossier_code IS NOT NULL)::INT + (procedure_code IS NOT NULL)::INT
          + (procedure_name IS NOT NULL)::INT + (field_name IS NOT NULL)::INT
          + (agency_code IS NOT NULL)::INT + (agency_name IS NOT NULL)::INT
          + (tier_raw IS NOT NULL)::INT + (channel_raw IS NOT NULL)::INT
          + (status_raw IS NOT NULL)::INT + (received_raw IS NOT NULL)::INT
          + (due_raw IS NOT NULL)::INT + (resolved_raw IS NOT NULL)::INT
          + (returned_raw IS NOT NULL)::INT <= 2 END                     AS sparse
    FROM cleaned c
),
inferred AS (
    SELECT *,
        -- a register without a status column: its dates say where the dossier is
        coalesce(status_m, CASE WHEN status_inferred AND status_raw IS NULL THEN
            CASE WHEN returned_v IS NOT NULL THEN 10 WHEN resolved_v IS NOT NULL THEN 9 ELSE 4 END END) AS status_v,
        nullif(rating_m, 0) AS rating_v  -- 0: a "not rated" word
    FROM parsed
),
flagged AS (
    -- A CASE, not ORs of ANDs: in a SELECT list DuckDB evaluates every operand of
    -- AND/OR for every row, so present() would run on ten columns of every row:
    -- here it runs only where a value did not parse.
    SELECT *,
        CASE WHEN dossier_code IS NULL OR status_v IS NULL OR _short THEN true
        WHEN channel_v IS NULL AND present(channel_raw) THEN true
        WHEN tier_v IS NULL AND present(tier_raw) THEN true
        WHEN rating_m IS NULL AND present(rating_raw) THEN true
        WHEN supplement_v IS NULL AND present(supplement_raw) THEN true
        WHEN received_v IS NULL AND present(received_raw) THEN true
        WHEN due_v IS NULL AND present(due_raw) THEN true
        WHEN resolved_v IS NULL AND present(resolved_raw) THEN true
        WHEN returned_v IS NULL AND present(returned_raw) THEN true
        WHEN apology_v IS NULL AND present(apology_raw) THEN true
        ELSE false END AS bad
    FROM inferred
)
SELECT
    dossier_code, procedure_code, procedure_name, field_name,
    agency_code, agency_name, tier_v, channel_v, status_v, rating_v, supplement_v,
    received_v, due_v, resolved_v, returned_v, apology_v,
    -- `_row`: the file row a reader gave (a sheet, a JSON list); else (CSV) the
    -- file order. ingest.py writes in `$row_number`: 0 when the rows stream into
    -- `dossiers` in parallel, numbered after the insert from their order there
    -- (source_row.sql), because DuckDB runs a row_number() window on one thread,
    -- the file's count, row_number() OVER () from the first row, when the rows
    -- not stored are read again (quarantine.sql). A view cannot hold parameters.
    CAST(coalesce(_row, $row_number) AS INTEGER) AS source_row,
    k_channel, k_due, k_rating, k_supplement, status_inferred,
    is_noise, reason_vi, reason_en,
    -- the row as read, kept only for rows that go to quarantine; with its sheet
    -- (or JSON list) when the file has several
    CASE WHEN NOT is_noise AND reason_vi IS NOT NULL THEN
    CASE WHEN _part IS NULL THEN '{' ELSE '{"sheet":' || to_json(_part)::VARCHAR || ',' END
    || substr(to_json({
        dossier_code: dossier_code, procedure_code: procedure_code,
        procedure_name: procedure_name, field_name: field_name,
        agency_code: agency_code, agency_name: agency_name, tier: tier_raw,
        channel: channel_raw, received_at: received_raw, due_at: due_raw,
        resolved_at: resolved_raw, returned_at: returned_raw, status: status_raw,
        supplement_count: supplement_raw, apology_issued_at: apology_raw,
        rating: rating_raw
    })::VARCHAR, 2) END AS raw_json
FROM (
SELECT
    p.*,
    -- Column-number rows "(1) (2) …", totals, signature blocks and blank lines
    -- are part of a printed report, not dossiers.
    CASE
        -- a code and at most one more value is a signature or note line, not a dossier
        WHEN sparse THEN true
        WHEN dossier_code IS NULL THEN false
        -- real codes have no spaces or brackets: only those need the word checks
        WHEN NOT (contains(dossier_code, ' ') OR contains(dossier_code, '(')) THEN false
        ELSE regexp_full_match(dossier_code, '\(\s*\d+\s*\)')
            OR regexp_matches(lower(dossier_code),
                '^\(?(tổng|cộng|người lập|thủ trưởng|ghi chú|xác nhận|kế toán|lãnh đạo|chủ tịch|giám đốc|trưởng phòng|ký)')
            OR regexp_matches(lower(dossier_code), 'ngày .* tháng .* năm')
            OR header_word(dossier_code)
    END AS is_noise,
    CASE WHEN bad THEN concat_ws('; ',
        CASE WHEN dossier_code IS NULL THEN 'Thiếu mã hồ sơ' END,
        CASE WHEN _short THEN 'Dòng thiếu cột so với dòng tiêu đề (tệp bị cắt giữa chừng?)' END,
        CASE WHEN status_v IS NOT NULL THEN NULL WHEN NOT present(status_raw) THEN 'Thiếu trạng thái hồ sơ'
             WHEN status_v IS NULL THEN 'Trạng thái không hợp lệ: «' || status_raw || '»' END,
        CASE WHEN present(channel_raw) AND channel_v IS NULL
             THEN 'Kênh nộp không hợp lệ: «' || channel_raw || '»' END,
        CASE WHEN present(tier_raw) AND tier_v IS NULL
             THEN 'Cấp không hợp lệ: «' || tier_raw || '»' END,
        CASE WHEN present(rating_raw) AND rating_m IS NULL
             THEN 'Mức độ hài lòng không hợp lệ: «' || rating_raw || '»' END,
        CASE WHEN present(supplement_raw) AND supplement_v IS NULL
             THEN 'Số lần bổ sung không hợp lệ: «' || supplement_raw || '»' END,
        CASE WHEN present(received_raw) AND received_v IS NULL
             THEN 'Ngày tiếp nhận không đọc được: «' || received_raw || '»' END,
        CASE WHEN present(due_raw) AND due_v IS NULL
             THEN 'Ngày hẹn trả không đọc được: «' || due_raw || '»' END,
        CASE WHEN present(resolved_raw) AND resolved_v IS NULL
             THEN 'Ngày kết thúc xử lý không đọc được: «' || resolved_raw || '»' END,
        CASE WHEN present(returned_raw) AND returned_v IS NULL
             THEN 'Ngày trả kết quả không đọc được: «' || returned_raw || '»' END,
        CASE WHEN present(apology_raw) AND apology_v IS NULL
             THEN 'Ngày xin lỗi không đọc được: «' || apology_raw || '»' END
    ) END AS reason_vi,
    CASE WHEN bad THEN concat_ws('; ',
        CASE WHEN dossier_code IS NULL THEN 'Missing dossier code' END,
        CASE WHEN _short THEN 'Row has fewer fields than the header (a truncated file?)' END,
        CASE WHEN status_v IS NOT NULL THEN NULL WHEN NOT present(status_raw) THEN 'Missing status'
             WHEN status_v IS NULL THEN 'Unknown status: "' || status_raw || '"' END,
        CASE WHEN present(channel_raw) AND channel_v IS NULL
             THEN 'Unknown channel: "' || channel_raw || '"' END,
        CASE WHEN present(tier_raw) AND tier_v IS NULL
             THEN 'Unknown tier: "' || tier_raw || '"' END,
        CASE WHEN present(rating_raw) AND rating_m IS NULL
             THEN 'Unknown rating: "' || rating_raw || '"' END,
        CASE WHEN present(supplement_raw) AND supplement_v IS NULL
             THEN 'Bad supplement count: "' || supplement_raw || '"' END,
        CASE WHEN present(received_raw) AND received_v IS NULL
             THEN 'Unreadable received date: "' || received_raw || '"' END,
        CASE WHEN present(due_raw) AND due_v IS NULL
             THEN 'Unreadable due date: "' || due_raw || '"' END,
        CASE WHEN present(resolved_raw) AND resolved_v IS NULL
             THEN 'Unreadable resolved date: "' || resolved_raw || '"' END,
        CASE WHEN present(returned_raw) AND returned_v IS NULL
             THEN 'Unreadable returned date: "' || returned_raw || '"' END,
        CASE WHEN present(apology_raw) AND apology_v IS NULL
             THEN 'Unreadable apology date: "' || apology_raw || '"' END
    ) END AS reason_en
FROM flagged p
)
