"""The bare baseline of the Excel import benchmark (issue 14): fastexcel reads the
first sheet with no header, every cell as text, into Arrow, and DuckDB makes a table
of it in memory. No header search, no normalisation, nothing written to disk: the
floor an import of the same workbook cannot go under. The harness runs the source
in a fresh interpreter and reads `rows` from its globals."""

from __future__ import annotations

import textwrap


def bare_fastexcel_code(src: str) -> str:
    """Python source of the bare read of `src`; it prints nothing and leaves `rows`
    (the rows of the table made) in its globals."""
    return textwrap.dedent(
        f"""
        import duckdb
        import fastexcel

        arrow_tbl = fastexcel.read_excel({src!r}).load_sheet(0, header_row=None, dtypes="string").to_arrow()
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM arrow_tbl")
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
        """
    )
