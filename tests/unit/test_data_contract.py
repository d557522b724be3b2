"""docs/data-contract.md is the reference every reader, SQL comment and test cites, so it
must say what the code does: its tables of columns, header synonyms and vocabularies are
read here and compared with metrics/record.py and metrics/registry.py. And the repository
cites nothing outside itself."""

from __future__ import annotations

import re
import subprocess

import pytest

from metrics import record, registry
from tests.unit.markdown import ROOT, code, items, section, table_with

CONTRACT = ROOT / "docs" / "data-contract.md"


def accepted(vocabulary: dict[str, object], value: object) -> set[str]:
    """The folded spellings a vocabulary maps to `value`."""
    return {spelling for spelling, v in vocabulary.items() if v == value}


def test_the_record_table_lists_the_canonical_columns_in_order():
    rows = table_with(section(CONTRACT, "2. "), "column")
    assert tuple(code(r["column"]) for r in rows) == record.CANONICAL_COLUMNS


def test_the_header_synonym_table_is_exactly_what_the_readers_accept():
    rows = table_with(section(CONTRACT, "Header synonyms"), "column")
    assert [code(r["column"]) for r in rows] == list(record.CANONICAL_COLUMNS)
    for r in rows:
        column = code(r["column"])
        documented = {record.fold(h) for h in items(r["headers accepted"])} | {column}
        assert documented == accepted(record.HEADER_TO_COLUMN, column), column


def test_the_status_table_is_the_national_vocabulary_the_importer_reads():
    rows = table_with(section(CONTRACT, "Statuses"), "code")
    assert {int(r["code"]): (r["Vietnamese"], r["portal code"]) for r in rows} == record.STATUSES


def test_the_rating_table_is_the_importers_rating_vocabulary():
    rows = table_with(section(CONTRACT, "Ratings"), "rating")
    assert {int(r["rating"]): r["Vietnamese"] for r in rows} == record.RATING_LABELS_VI


def test_the_tier_table_is_the_registrys_tiers_and_spellings():
    rows = table_with(section(CONTRACT, "Value vocabularies"), "tier")
    assert [code(r["tier"]) for r in rows] == list(registry.TIER_CODES)
    for r in rows:
        t = registry.tier(code(r["tier"]))
        assert r["label"] == t.label_vi
        documented = {record.fold(s) for s in items(r["spellings accepted"])} | {t.code}
        assert documented == accepted(record.TIER_VALUES, t.code), t.code


def test_the_channel_table_is_the_importers_channel_vocabulary():
    rows = table_with(section(CONTRACT, "Value vocabularies"), "channel")
    assert [code(r["channel"]) for r in rows] == list(record.CHANNELS)
    for r in rows:
        channel = code(r["channel"])
        documented = {record.fold(s) for s in items(r["spellings accepted"])} | {channel, r["code"]}
        assert documented == accepted(record.CHANNEL_VALUES, channel), channel


def test_the_district_tier_ends_where_the_contract_says():
    assert f"{registry.DISTRICT_TIER_END:%d/%m/%Y}" in section(CONTRACT, "5. ")


# Spelled in pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        [
            r"domain" + r"\.md",
            r"architecture" + r"\.md",
            r"\.\./shared",
            r"(?<![\w.-])shared" + r"/",
            r"/work" + r"/",
            r"/home" + r"/",
        ]
    )
)


UPWARD = re.compile(r"(?:\.\./)+[\w./-]*")


def escapes(name: str, relative: str) -> bool:
    """Whether a relative path written in file `name` leads out of the repository."""
    return not (ROOT / name).parent.joinpath(relative).resolve().is_relative_to(ROOT.resolve())


def tracked_text_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [p for p in listed.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def test_no_tracked_file_cites_a_document_or_a_path_outside_the_repository():
    offenders = []
    for name in tracked_text_files():
        data = (ROOT / name).read_bytes()
        if b"\0" in data[:8192]:
            continue  # a binary fixture
        for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line) or any(escapes(name, up) for up in UPWARD.findall(line)):
                offenders.append(f"{name}:{n}: {line.strip()}")
    assert not offenders, "cite docs/data-contract.md or docs/metrics.md instead:\n" + "\n".join(offenders)
