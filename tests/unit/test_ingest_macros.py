"""The import's SQL macros (metrics/ingest_macros.py) where a cheaper form stands in for
a plain DuckDB function: it must give the same value for every input."""

from __future__ import annotations

import duckdb

from metrics.ingest_macros import macros


def test_clean_code_trims_exactly_what_trim_does_for_every_code_point():
    con = duckdb.connect()
    con.execute(macros())
    differing = con.execute(
        """
        SELECT count(*), min(i)
        FROM (
            SELECT i, unnest([chr(i::INTEGER) || 'a' || chr(i::INTEGER), chr(i::INTEGER)]) AS s
            FROM range(1, 1114112) t(i)
            WHERE i NOT BETWEEN 55296 AND 57343  -- surrogates are not characters
        )
        WHERE clean_code(s) IS DISTINCT FROM nullif(trim(s), '')
        """
    ).fetchone()
    assert differing == (0, None)  # (how many differ, the first code point that does)
    assert con.execute("SELECT clean_code(''), clean_code(NULL), clean_code(' \u00a0A-1\u3000 ')").fetchone() == (
        None,
        None,
        "A-1",
    )


def test_present_as_a_case_gives_what_its_and_or_form_gives():
    # present() was `v IS NOT NULL AND (NOT starts_with(v, ' ') OR trim(v) <> '')`; a
    # CASE spares trim() for every value that does not start with a space
    con = duckdb.connect()
    con.execute(macros())
    differing = con.execute(
        """
        SELECT count(*) FROM (
            SELECT unnest([chr(i::INTEGER), ' ' || chr(i::INTEGER), chr(i::INTEGER) || ' ', '  ', ' ', '', NULL]) AS v
            FROM range(1, 1114112) t(i)
            WHERE i NOT BETWEEN 55296 AND 57343
        )
        WHERE present(v) IS DISTINCT FROM (v IS NOT NULL AND (NOT starts_with(v, ' ') OR trim(v) <> ''))
        """
    ).fetchone()
    assert differing == (0,)
    assert con.execute("SELECT present(NULL), present('   '), present(' a'), present('a')").fetchone() == (
        False,
        False,
        True,
        True,
    )


def test_every_spelling_looked_up_as_written_is_its_key_in_duckdb_lower_case():
    # exact_case_keys skips lower(): that is only the same lookup where DuckDB's lower()
    # of the spelling is the key (Python's str.lower() chose them)
    from metrics.ingest_macros import exact_case_keys
    from metrics.record import CHANNEL_VALUES, RATING_VALUES, STATUS_VALUES, TIER_VALUES

    con = duckdb.connect()
    for mapping in (TIER_VALUES, CHANNEL_VALUES, STATUS_VALUES, RATING_VALUES):
        exact = exact_case_keys(mapping)
        assert "Đã trả kết quả" in exact or mapping is not STATUS_VALUES
        lowered = con.execute("SELECT [lower(s) FOR s IN ?]", [list(exact)]).fetchone()[0]  # type: ignore[index]
        assert [mapping[k] for k in lowered] == list(exact.values())


def test_the_first_date_format_tried_alone_reads_what_parse_ts_reads():
    con = duckdb.connect()
    con.execute(macros())
    values = [
        "01/12/2024 13:42:16",
        " 01/12/2024 13:42:16",
        "01/12/2024 13:42:16 ",
        "1/2/2024 3:04:05",
        "31/02/2024 10:00:00",
        "01/12/2024 13:42",
        "01/12/2024",
        "01/12/2024 02:15:00 CH",
        "2024/12/01 13:42:16",
        "/Date(1709539200000+0700)/",
        "01-12-2024 13:42:16",
        "",
        None,
    ]
    rows = con.execute(
        "SELECT v, try_strptime(v, '%d/%m/%Y %H:%M:%S') AS first, parse_ts(v) AS full FROM unnest(?) t(v)", [values]
    ).fetchall()
    assert all(first is None or first == full for _, first, full in rows)
    assert sum(first is not None for _, first, _ in rows) >= 2  # the shortcut is taken at all


def test_parse_ts_lenient_through_one_lambda_reads_what_its_chain_of_parse_ts_read():
    # parse_ts_lenient was coalesce(first format, parse_ts(v), parse_ts(trim(v)),
    # parse_ts_12h(v)); it names parse_ts once now, so the import plans one copy
    con = duckdb.connect()
    con.execute(macros())
    dates = ["01/12/2024 13:42:16", "1/2/2024 3:04", "01-12-2024", "2024/12/01 13:42", "2024-12-01 13:42:16"]
    dates += ["01/12/2024 02:15:00 CH", "01/12/2024 2:15 SA", "2024-12-01 02:15 PM", "01-12-2024 02:15:00 pm"]
    dates += ["/Date(1709539200000+0700)/", "1709539200000", "20241201134216", "20241201", "45627.5"]
    dates += ["2024-12-01T13:42:16+07:00", "2024-12-01T06:42:16Z", "31/02/2024", "hôm qua", "", "  ", None]
    values = [s for d in dates for s in ([d] if d is None else [d, f" {d}", f"{d} ", f"\u00a0{d}\t", f"  {d}  "])]
    differing = con.execute(
        """
        SELECT count(*), min(v) FROM unnest(?) t(v)
        WHERE parse_ts_lenient(v) IS DISTINCT FROM coalesce(try_strptime(v, '%d/%m/%Y %H:%M:%S'), parse_ts(v),
            CASE WHEN v IS NOT NULL THEN coalesce(parse_ts(nullif(trim(v), '')), parse_ts_12h(v)) END)
        """,
        [values],
    ).fetchone()
    assert differing == (0, None)
    read = con.execute("SELECT count(parse_ts_lenient(v)) FROM unnest(?) t(v)", [values]).fetchone()
    assert read is not None and read[0] >= 60  # most spellings are dates: the comparison is not of NULLs
