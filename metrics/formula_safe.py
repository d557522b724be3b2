"""CSV formula injection, defused: every CSV text cell that begins with `=`, `+`, `-`,
`@` (or a tab / carriage return) gets a leading apostrophe, so that a dossier field a
citizen typed as `=HYPERLINK(...)` never runs as a formula on an official's machine.
Its own module, free of pandas, because the CLI's `kpis --format csv` uses it too."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """A text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
