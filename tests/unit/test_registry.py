"""The registry is the one declaration of every metric: these tests fail when a
metric lacks a label, its SQL, a target rule or its section in docs/metrics.md."""

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from metrics import compute, db, registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("m", registry.METRICS, ids=lambda m: m.id)
def test_every_metric_has_labels_sql_and_docs(m):
    assert m.label_vi and m.label_en and m.short_vi and m.short_en
    assert m.numerator.label_vi and m.denominator.label_vi
    assert m.definition_label_vi and m.legal_source
    assert m.sql_file.exists(), m.sql_file
    assert f"## {m.id} " in (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("m", registry.METRICS, ids=lambda m: m.id)
def test_every_metric_has_a_target_rule_in_the_shipped_targets(m):
    with open(ROOT / "data" / "targets.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["metric"] == m.key]
    tiers = {r["tier"] for r in rows}
    if m.target_rule == "by_tier":
        assert {"department", "district", "commune"} <= tiers
    else:
        assert "all" in tiers
    assert all(r["source"] for r in rows)


def test_each_metric_has_exactly_one_default_definition():
    for key in registry.METRIC_KEYS:
        assert sum(m.default for m in registry.METRICS if m.key == key) == 1


def test_targets_follow_the_row_valid_on_the_periods_last_day(tmp_path):
    con = db.connect(tmp_path / "t.duckdb")
    con.execute("INSERT INTO targets VALUES ('on_time_rate', 'all', DATE '2025-01-01', NULL, 0.98, 'KH 2025')")
    con.execute("UPDATE targets SET valid_to = DATE '2024-12-31' WHERE metric = 'on_time_rate' AND target = 0.97")
    assert compute.target_for(con, "on_time_rate", "commune", dt.date(2024, 12, 31)) == pytest.approx(0.97)
    assert compute.target_for(con, "on_time_rate", "commune", dt.date(2025, 1, 31)) == pytest.approx(0.98)
    assert compute.target_for(con, "online_rate", "district", dt.date(2025, 1, 31)) == pytest.approx(0.40)
    assert compute.target_for(con, "online_rate", None, dt.date(2025, 1, 31)) is None


def test_importing_the_engine_does_not_import_streamlit():
    code = (
        "import sys, metrics.cli, metrics.compute, metrics.ingest, metrics.registry, metrics.demo.bench\n"
        "import metrics.demo\n"
        "try:\n    import metrics.reports, metrics.reports.summary, metrics.views, metrics.exports\nexcept ImportError: pass\n"
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
