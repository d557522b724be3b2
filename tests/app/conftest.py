"""Databases for the page tests, built once per session from tests/app/demo_db.py."""

from __future__ import annotations

import pytest

from tests.app import demo_db


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(demo_db.build(tmp_path_factory.mktemp("demo") / "demo.duckdb", 30_000))


@pytest.fixture(scope="session")
def empty_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(demo_db.build_empty(tmp_path_factory.mktemp("empty") / "empty.duckdb"))
