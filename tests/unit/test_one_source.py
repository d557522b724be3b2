"""Tiers and metric definitions are declared once, in metrics/registry.py: every other
module reads them from there, so a province's reform (a tier ending, a definition added)
is one edit. This test reads the code as text and fails on a literal anywhere else."""

from __future__ import annotations

import re
from pathlib import Path

from metrics import registry

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "dashboard.py", *sorted((ROOT / "metrics").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
CODE += sorted((ROOT / "pages").rglob("*.py"))
REGISTRY = ROOT / "metrics" / "registry.py"


def _literals(words: tuple[str, ...], context: str = "") -> list[str]:
    alternatives = "|".join(map(re.escape, words))
    pattern = re.compile(context + r"""["'](""" + alternatives + r""")["']""")
    found = []
    for path in CODE:
        if path == REGISTRY:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    return found


def test_no_tier_is_spelled_outside_the_registry():
    assert not _literals(registry.TIER_CODES)


def test_no_metric_definition_is_spelled_outside_the_registry():
    definitions = {m.definition for m in registry.METRICS}
    # plain words ("resolved", "default") are also column names of the CLI contract
    # ("resolved" in budget rows): those are caught where they stand for a definition
    words = {d for d in definitions if d in ("resolved", "default")}
    assert not _literals(tuple(sorted(definitions - words)))
    assert not _literals(tuple(sorted(words)), context=r"definition\w*\s*(:\s*str\s*)?={1,2}\s*")


def test_the_scan_does_look_at_the_code():
    assert len(CODE) > 40 and (ROOT / "metrics" / "compute.py") in CODE
