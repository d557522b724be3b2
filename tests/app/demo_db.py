"""A deterministic database for page tests, the browser journey and the benchmark,
built in one SQL statement from the shipped units and procedures catalogues, so that
the dashboard's tests depend on neither the importer nor the demo generator.

`python -m tests.app.demo_db PATH [N]` builds one by hand (10M rows take about a minute).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from metrics import db

START = dt.date(2024, 1, 1)
END = dt.date(2025, 6, 30)
# A unit that stops sending dossiers at the end of 2024: its 2025 months are empty periods.
QUIET_UNIT = "000.00.19.H56"

_SQL = """
INSERT INTO dossiers BY NAME
WITH valid_units AS (
        -- the units in force over the whole window: a province before the 2025 reform
        SELECT unit_code, unit_name, tier FROM units
        WHERE coalesce(valid_from, DATE '0001-01-01') <= $start AND coalesce(valid_to, DATE '9999-12-31') >= $end
     ),
     u AS (SELECT row_number() OVER (ORDER BY unit_code) - 1 AS ui, * FROM valid_units),
     p AS (SELECT row_number() OVER (ORDER BY procedure_code) - 1 AS pi, * FROM procedures),
     base AS (
        SELECT i,
               CAST(hash(i, 'u') % (SELECT count(*) FROM valid_units) AS BIGINT) AS ui,
               CAST(hash(i, 'p') % (SELECT count(*) FROM procedures) AS BIGINT) AS pi,
               (hash(i, 1) % 1000000) / 1e6 AS r1, (hash(i, 2) % 1000000) / 1e6 AS r2,
               (hash(i, 3) % 1000000) / 1e6 AS r3, (hash(i, 4) % 1000000) / 1e6 AS r4,
               (hash(i, 5) % 1000000) / 1e6 AS r5, (hash(i, 6) % 1000000) / 1e6 AS r6,
               (hash(i, 7) % 1000000) / 1e6 AS r7, (hash(i, 8) % 1000000) / 1e6 AS r8,
               (hash(i, 9) % 1000000) / 1e6 AS r9, (hash(i, 10) % 1000000) / 1e6 AS r10,
               (hash(i, 11) % 1000000) / 1e6 AS r11, (hash(i, 12) % 1000000) / 1e6 AS r12
        FROM range($n) t(i)
     ),
     a AS (
        SELECT b.*, u.unit_code, u.unit_name, u.tier, p.procedure_code, p.procedure_name, p.field_name,
               (hash(b.ui, 'late') % 90) / 1000.0 AS unit_late,
               (hash(b.ui, 'online') % 200) / 1000.0 - 0.1 AS unit_online,
               CAST(3 + (b.pi % 13) AS INTEGER) AS limit_days,
               CAST($start AS TIMESTAMP) + to_days(CAST(floor(b.r1 * $days) AS INTEGER))
                   + to_hours(CAST(7 + floor(b.r2 * 10) AS INTEGER)) AS recv
        FROM base b JOIN u USING (ui) JOIN p USING (pi)
     ),
     s AS (
        SELECT a.*,
               CASE WHEN r3 < 0.02 THEN 1 WHEN r3 < 0.035 THEN 3 WHEN r3 < 0.05 THEN 7 WHEN r3 < 0.06 THEN 8
                    WHEN recv > CAST($end AS TIMESTAMP) - INTERVAL 25 DAY AND r4 < 0.6
                        THEN CASE WHEN r5 < 0.8 THEN 4 ELSE 5 END
                    WHEN r5 < 0.8 THEN 10 ELSE 9 END AS status,
               recv + to_days(limit_days) AS due,
               r6 < unit_late AS is_late
        FROM a
     ),
     e AS (
        SELECT s.*,
               CASE WHEN status IN (9, 10) THEN
                    CASE WHEN is_late THEN due + to_days(CAST(1 + floor(r7 * 12) AS INTEGER))
                         ELSE recv + to_days(CAST(floor(r7 * limit_days) AS INTEGER)) + INTERVAL 3 HOUR END
               END AS resolved
        FROM s
     )
SELECT
    unit_code || '-' || strftime(recv, '%y%m%d') || '-' || lpad(CAST(i AS VARCHAR), 8, '0') AS dossier_code,
    procedure_code, procedure_name, field_name, unit_code AS agency_code, unit_name AS agency_name, tier,
    CASE WHEN r11 < (CASE tier WHEN 'department' THEN 0.8 WHEN 'district' THEN 0.45 ELSE 0.32 END) + unit_online
         THEN 'online' WHEN r11 > 0.97 THEN 'postal' ELSE 'direct' END AS channel,
    CASE WHEN status = 1 THEN NULL ELSE recv END AS received_at,
    CASE WHEN status = 1 THEN NULL ELSE due END AS due_at,
    resolved AS resolved_at,
    CASE WHEN status = 10 THEN resolved + INTERVAL 1 DAY END AS returned_at,
    status,
    CASE WHEN r12 < 0.05 THEN 1 WHEN r12 < 0.07 THEN 2 ELSE 0 END AS supplement_count,
    CASE WHEN is_late AND status IN (9, 10) AND r8 < 0.25 THEN due - INTERVAL 1 DAY
         WHEN is_late AND status IN (9, 10) AND r8 < 0.4 THEN due + INTERVAL 2 DAY END AS apology_issued_at,
    CASE WHEN status IN (9, 10) AND r9 < 0.6 THEN
        CASE WHEN r10 < 0.55 THEN 5 WHEN r10 < 0.9 THEN 4 WHEN r10 < 0.95 THEN 3 WHEN r10 < 0.98 THEN 2 ELSE 1 END
    END AS rating,
    CASE WHEN status = 1 THEN NULL ELSE CAST(recv AS DATE) END AS received_date,
    CASE WHEN status = 1 THEN NULL ELSE CAST(due AS DATE) END AS due_date,
    CAST(resolved AS DATE) AS end_date,
    false AS bad_timeline,
    1 AS import_id,
    CAST(i AS INTEGER) + 1 AS source_row
FROM e
"""


def build(path: str | Path, dossiers: int = 20_000, start: dt.date = START, end: dt.date = END) -> Path:
    """Create (or replace) a database at path with `dossiers` synthetic dossiers."""
    path = Path(path)
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    con = db.connect(path)
    try:
        days = (end - start).days + 1
        con.execute(_SQL, {"n": dossiers, "start": start, "end": end, "days": days})
        con.execute(
            "DELETE FROM dossiers WHERE agency_code = $u AND (received_date >= '2025-01-01' OR end_date >= '2025-01-01')",
            {"u": QUIET_UNIT},
        )
        con.execute(
            "INSERT INTO imports (import_id, file_name, content_hash, file_format, rows_read, rows_accepted, "
            "rows_quarantined, rows_duplicate, rows_skipped, columns_dropped, imported_at, seconds) "
            "VALUES (1, 'demo_fixture.sql', 'fixture', 'sql', $n, $n, 0, 0, 0, '', $at, 0.1)",
            {"n": dossiers, "at": dt.datetime.combine(end + dt.timedelta(days=1), dt.time(8, 0))},
        )
        con.execute(db.SCHEMA_SQL.read_text(encoding="utf-8"))  # fills each unit's data date
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def build_empty(path: str | Path) -> Path:
    path = Path(path)
    path.unlink(missing_ok=True)
    db.connect(path).close()
    return path


if __name__ == "__main__":
    build(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20_000)
