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
