"""Reading the project's Markdown the way the documentation tests need it: sections by
heading, and the pipe tables in them as rows keyed by their header cells."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_ESCAPED_PIPE = "\0"


def sections(path: Path) -> dict[str, str]:
    """Heading text (without the #s) -> the text under it, up to the next heading."""
    found: dict[str, list[str]] = {}
    current: list[str] = found.setdefault("", [])
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADING.match(line)
        if m:
            current = found.setdefault(m.group(2), [])
        else:
            current.append(line)
    return {heading: "\n".join(lines) for heading, lines in found.items()}


def section(path: Path, heading: str) -> str:
    """The text under the one heading that starts with `heading`."""
    matches = [body for title, body in sections(path).items() if title.startswith(heading)]
    assert len(matches) == 1, f"{path.name}: expected one heading starting with {heading!r}, found {len(matches)}"
    return matches[0]


def _cells(line: str) -> list[str]:
    line = line.strip().replace("\\|", _ESCAPED_PIPE)
    return [c.strip().replace(_ESCAPED_PIPE, "|") for c in line.strip("|").split("|")]


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every pipe table in `text`, each a list of rows keyed by the header's cells."""
    found: list[list[dict[str, str]]] = []
    lines = [line for line in text.splitlines()]
    i = 0
    while i < len(lines):
        is_table = lines[i].lstrip().startswith("|") and i + 1 < len(lines)
        if is_table and re.fullmatch(r"\s*\|?[\s|:-]+\|?\s*", lines[i + 1]):
            header = _cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(dict(zip(header, _cells(lines[i]), strict=True)))
                i += 1
            found.append(rows)
        else:
            i += 1
    return found


def table_with(text: str, first_header: str) -> list[dict[str, str]]:
    """The one table in `text` whose first column is headed `first_header`."""
    matches = [t for t in tables(text) if t and next(iter(t[0])) == first_header]
    assert len(matches) == 1, f"expected one table headed {first_header!r}, found {len(matches)}"
    return matches[0]


def code(cell: str) -> str:
    """A cell's text without the backticks around it."""
    return cell.strip().strip("`")


def items(cell: str) -> list[str]:
    """A cell that lists values separated by `;`."""
    return [v.strip() for v in cell.split(";") if v.strip()]
