"""The `python -m metrics` interface is a contract others script against (issue 2): its
subcommands, flags, formats, exit codes and the absence of tracebacks on user errors."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, cached_cli_json, cli_env, prepare_db, run_cli, table_counts

FROM, TO = "2024-03-01", "2024-04-30"
ROW_FIELDS = {
    "metric",
    "tier",
    "unit_code",
    "unit_name",
    "month",
    "numerator",
    "denominator",
    "rate",
    "target",
    "meets_target",
}
LATE_FIELDS = {
    "dossier_code",
    "kind",
    "days_late",
    "agency_code",
    "agency_name",
    "tier",
    "procedure_code",
    "procedure_name",
    "due_at",
    "end_at",
    "apology_issued_at",
}


def test_importing_the_engine_never_imports_streamlit():
    code = (
        "import sys, importlib\n"
        "for m in ('metrics', 'metrics.db', 'metrics.ingest', 'metrics.compute', 'metrics.registry',"
        " 'metrics.cli'):\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=cli_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_help_names_every_subcommand():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    for sub in ("ingest", "kpis", "late", "quality"):
        assert sub in proc.stdout, f"{sub} missing from --help"


def test_ingest_prints_one_summary_line_per_file_and_exits_0(db):
    proc = run_cli(
        "ingest",
        FIXTURES / "canonical.csv",
        FIXTURES / "vendor_b_utf8_comma.csv",
        FIXTURES / "national_sync.json",
        db=db,
    )
    assert proc.returncode == 0, proc.stderr
    # one unindented summary line per file; its import report is indented under it
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip() and not ln.startswith(" ")]
    assert len(lines) == 3, lines
    assert "canonical.csv" in lines[0] and "vendor_b_utf8_comma.csv" in lines[1] and "national_sync.json" in lines[2]


def test_ingest_exits_0_when_rows_are_quarantined_but_the_file_was_read(db):
    assert run_cli("ingest", FIXTURES / "bad_rows.csv", db=db).returncode == 0


def test_the_db_flag_and_the_cchc_db_variable_choose_the_database(tmp_path):
    import os

    path = prepare_db(tmp_path / "env.duckdb")
    env = cli_env(path)
    proc = subprocess.run(
        [sys.executable, "-m", "metrics", "ingest", str(FIXTURES / "canonical.csv")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert table_counts(path)["dossiers"] == 4
    other = prepare_db(tmp_path / "flag.duckdb")
    proc = run_cli("ingest", FIXTURES / "vendor_b_utf8_comma.csv", db=other)
    assert proc.returncode == 0 and table_counts(other)["dossiers"] == 10 and table_counts(path)["dossiers"] == 4
    assert os.path.exists(path)


def test_kpis_defaults_to_a_table_by_tier(golden_db):
    proc = run_cli("kpis", "--from", FROM, "--to", TO, db=golden_db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    with pytest.raises(json.JSONDecodeError):
        json.loads(proc.stdout)
    out = json.loads(run_cli("kpis", "--from", FROM, "--to", TO, "--format", "json", db=golden_db, check=True).stdout)
    assert out["by"] == "tier"
    assert {r["tier"] for r in out["rows"]} == {"department", "commune"}


@pytest.mark.parametrize("by", ["all", "tier", "unit", "month"])
def test_kpis_json_rows_have_every_contract_field(golden_db, by):
    out = cached_cli_json(
        "kpis", "--from", FROM, "--to", TO, "--by", by, "--on-time-definition", "resolved", db=golden_db
    )
    assert {"from", "to", "by", "definitions", "rows"} <= set(out)
    assert isinstance(out["definitions"], dict)
    assert out["rows"], "the golden data has rows for every grouping"
    metrics = {r["metric"] for r in out["rows"]}
    assert metrics >= {"online_rate", "on_time_rate", "satisfaction_rate"}
    for r in out["rows"]:
        assert ROW_FIELDS <= set(r), ROW_FIELDS - set(r)
        assert isinstance(r["numerator"], int) and isinstance(r["denominator"], int)
        assert r["rate"] is None or 0 <= r["rate"] <= 1, "rate is a fraction, not a percent"
        assert r["target"] is None or 0 < r["target"] <= 1, "target is a fraction, not a percent"
        assert r["meets_target"] in (True, False, None)


def test_kpis_json_names_the_on_time_definition_in_use(golden_db):
    for definition in ("resolved", "766"):
        out = json.loads(
            run_cli(
                "kpis",
                "--from",
                FROM,
                "--to",
                TO,
                "--on-time-definition",
                definition,
                "--format",
                "json",
                db=golden_db,
                check=True,
            ).stdout
        )
        assert definition in json.dumps(out["definitions"]), out["definitions"]


def test_kpis_csv_is_a_table_with_the_contract_columns(golden_db):
    proc = run_cli("kpis", "--from", FROM, "--to", TO, "--by", "unit", "--format", "csv", db=golden_db, check=True)
    text = proc.stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"metric", "numerator", "denominator", "rate"} <= set(rows[0])
    assert len(rows) == 12  # 3 metrics x 4 units


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_late_answers_in_every_format(golden_db, fmt):
    proc = run_cli("late", "--from", FROM, "--to", TO, "--format", fmt, db=golden_db)
    assert proc.returncode == 0, proc.stderr
    assert "GLD-25" in proc.stdout
    if fmt == "json":
        out = json.loads(proc.stdout)
        assert out["rows"] and all(LATE_FIELDS <= set(r) for r in out["rows"])
        assert {r["kind"] for r in out["rows"]} == {"resolved_late", "open_overdue"}


def test_quality_runs_on_an_empty_database(db):
    proc = run_cli("quality", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_kpis_on_an_empty_database_give_no_rates_and_no_error(db):
    proc = run_cli("kpis", "--from", FROM, "--to", TO, "--by", "all", "--format", "json", db=db)
    assert proc.returncode == 0, proc.stderr
    for r in json.loads(proc.stdout)["rows"]:
        assert r["denominator"] == 0 and r["rate"] is None and r["meets_target"] is None


@pytest.mark.parametrize(
    "args",
    [
        ("kpis", "--from", "2024-13-01", "--to", "2024-04-30"),
        ("kpis", "--from", "01/03/2024", "--to", "2024-04-30"),
        ("kpis", "--from", FROM, "--to", TO, "--by", "province"),
        ("kpis", "--from", FROM, "--to", TO, "--on-time-definition", "fastest"),
        ("late", "--from", FROM),
    ],
)
def test_a_user_error_gets_a_message_and_a_nonzero_exit_not_a_traceback(golden_db, args):
    proc = run_cli(*args, db=golden_db)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    assert (proc.stderr + proc.stdout).strip()


def test_a_period_that_ends_before_it_starts_gets_a_sentence_not_a_traceback(golden_db):
    """Not pinned by the contract: refusing (exit != 0) or answering 'no data' are both fine."""
    proc = run_cli("kpis", "--from", "2024-04-30", "--to", "2024-03-01", db=golden_db)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert (proc.stderr + proc.stdout).strip()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("late", "--from", FROM), "lỗi: thiếu tham số bắt buộc: --to"),
        (("kpis", "--from", FROM, "--to", TO, "--by", "province"), "tham số --by: giá trị 'province' không hợp lệ"),
        (("quality", "--bogus"), "lỗi: tham số không nhận ra: --bogus"),
    ],
)
def test_a_mistyped_command_line_is_answered_in_vietnamese_with_exit_2(golden_db, args, said):
    proc = run_cli(*args, db=golden_db)
    assert proc.returncode == 2
    assert said in proc.stderr
    assert proc.stderr.startswith("cách dùng: python -m metrics")


def test_the_help_is_in_vietnamese_and_argparse_is_english_again_after_it():
    import argparse

    from metrics import cli

    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_, contextlib.redirect_stdout(out):
        cli.main(["kpis", "--help"])
    assert exit_.value.code == 0
    assert out.getvalue().startswith("cách dùng: ")
    assert "tùy chọn:" in out.getvalue() and "hiện trợ giúp này rồi thoát" in out.getvalue()
    # other parsers in the same process (pytest's own) keep their words
    assert "usage: " in argparse.ArgumentParser(prog="x").format_usage()
