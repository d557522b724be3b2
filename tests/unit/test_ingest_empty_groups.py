"""A unit or tier with nothing in a metric's denominator (and no dossier unknown for it)
is absent from that metric's rows in every grouping and every output format: never a row
with 0% or an empty rate (compute.kpis). A unit whose dossiers are unknown for a metric
is present, with no rate and its "không rõ" count."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from metrics.record import CANONICAL_COLUMNS
from tests.conftest import run_cli

BUSY, DENIED_ONLY = ("000.00.06.H56", "Sở Tư pháp"), ("000.31.32.H56", "UBND phường Bắc Hồng")


@pytest.fixture(scope="module")
def db_with_an_empty_unit(tmp_path_factory):
    from tests.conftest import prepare_db

    d = tmp_path_factory.mktemp("empty")
    db = prepare_db(d / "e.duckdb")
    rows = [
        # a received, resolved and rated dossier of the busy unit
        ["E-1", BUSY, "online", "2024-03-04T08:00:00", "2024-03-10T17:00:00", "2024-03-08T10:00:00", "10", "5"],
        # the other unit only refused a dossier at intake (status 3): in no denominator
        ["E-2", DENIED_ONLY, "direct", "2024-03-05T08:00:00", "", "", "3", ""],
    ]
    path = d / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, CANONICAL_COLUMNS)
        w.writeheader()
        for code, (unit, name), channel, rec, due, res, status, rating in rows:
            w.writerow(
                dict(dossier_code=code, agency_code=unit, agency_name=name, channel=channel, received_at=rec,
                     due_at=due, resolved_at=res, status=status, supplement_count="0", rating=rating)
            )  # fmt: skip
    run_cli("ingest", path, db=db, check=True)
    return db


def _kpis(db, fmt: str, by: str) -> str:
    proc = run_cli("kpis", "--from", "2024-03-01", "--to", "2024-03-31", "--by", by, "--format", fmt, db=db)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("by", ["unit", "tier", "month", "all"])
def test_an_empty_group_is_absent_from_the_json_rows(db_with_an_empty_unit, by):
    rows = json.loads(_kpis(db_with_an_empty_unit, "json", by))["rows"]
    assert rows, "the busy unit has rows"
    assert all(r["denominator"] > 0 or r["unknown"] > 0 for r in rows), rows
    assert DENIED_ONLY[0] not in {r["unit_code"] for r in rows}


def test_an_empty_unit_is_absent_from_the_csv(db_with_an_empty_unit):
    rows = list(csv.DictReader(io.StringIO(_kpis(db_with_an_empty_unit, "csv", "unit").lstrip("\ufeff"))))
    assert {r["unit_code"] for r in rows} == {BUSY[0]}
    assert all(int(r["denominator"]) > 0 for r in rows)


def test_an_empty_unit_is_absent_from_the_table(db_with_an_empty_unit):
    text = _kpis(db_with_an_empty_unit, "table", "unit")
    assert BUSY[1] in text and DENIED_ONLY[1] not in text
    assert not re.search(r"(?<![\d,])0,00%", text), "no 0% row"
