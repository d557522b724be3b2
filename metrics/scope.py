"""Which units a reader may see: the engine's scope, passed to every query like the period.

Why in the engine: a page or an export that forgets a filter must not be able to leak
another unit's dossiers, so the SQL itself filters by the scope
(`$scope IS NULL OR agency_code IN (SELECT unnest($scope))`) and the dashboard only
decides which scope a reader has (metrics/access.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """`units` None: every unit of the province; a tuple: only those unit codes.
    `label` names the scope for the reader ("Phạm vi của bạn: Xã A, Xã B"): a unit
    user's province row is their own aggregate and must say so."""

    units: tuple[str, ...] | None = None
    label: str = ""

    @property
    def is_limited(self) -> bool:
        return self.units is not None

    def allows(self, unit_code: str | None) -> bool:
        return self.units is None or unit_code in self.units


EVERYTHING = Scope()


def limited_to(codes: tuple[str, ...] | list[str], names: dict[str, str] | None = None, lang: str = "vi") -> Scope:
    """The scope of these unit codes, labelled with their names where known."""
    units = tuple(dict.fromkeys(str(c) for c in codes))
    shown = ", ".join((names or {}).get(c) or c for c in units)
    prefix = "Phạm vi của bạn" if lang == "vi" else "Your scope"
    return Scope(units=units, label=f"{prefix}: {shown}")


def param(scope: Scope | None) -> list[str] | None:
    """The bound SQL parameter: None for the whole province, else the list of codes."""
    if scope is None or scope.units is None:
        return None
    return list(scope.units)
