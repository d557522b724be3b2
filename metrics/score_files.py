"""The demo's official scores (issue 13): a national-portal 766 table and a PAR INDEX /
SIPAS CSV for the units of the shipped catalogue, written as the files users import.
Deterministic (seeded), so the shipped copies in data/demo_scores/ can be rebuilt:

    python -c "from metrics.score_files import write_demo_scores; write_demo_scores()"

The demo imports them like any export: `for p in write_demo_scores(out_dir): import_file(con, p)`.
Scores are made up and say so in their source column."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from metrics import registry
from metrics.forecast import GROUPS_766
from metrics.paths import ROOT

UNITS_CSV = ROOT / "data" / "units.csv"
OUT_DIR = ROOT / "data" / "demo_scores"
YEARS = (2024, 2025)
SOURCE = "Số liệu minh họa (demo), không phải điểm thật"
PROVINCE = "Tỉnh (demo)"
PROVINCES_RANKED = 34  # provinces and cities after the 2025 merger


def _units(units_csv: Path) -> list[dict[str, str]]:
    """The catalogue's rows, in its order."""
    with units_csv.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _scored_in(unit: dict[str, str], year: int) -> bool:
    """A unit is scored for a year when it, and its tier, were in force at the year's end
    (a commune created on 01/07/2025 has no 2024 score; a district none after 2024)."""
    end = f"{year}-12-31"
    tier_end = registry.tier(unit["tier"]).valid_to
    return (
        (unit.get("valid_from") or "0001-01-01") <= end
        and (unit.get("valid_to") or "9999-12-31") >= end
        and (tier_end is None or tier_end.isoformat() >= end)
    )


def _ranked(rows: list[dict[str, object]], key: str) -> None:
    """Rank within each tier and year, highest first; ties share the better rank."""
    groups: dict[tuple[object, object], list[dict[str, object]]] = {}
    for r in rows:
        groups.setdefault((r["tier"], r["year"]), []).append(r)
    for members in groups.values():
        scores = sorted((float(str(m[key])) for m in members), reverse=True)
        for m in members:
            m["rank"] = scores.index(float(str(m[key]))) + 1
            m["ranked_of"] = len(members)


def write_demo_scores(
    out_dir: Path = OUT_DIR, units_csv: Path = UNITS_CSV, seed: int = 766, years: tuple[int, ...] = YEARS
) -> list[Path]:
    """Write diem_766_demo.csv and chi_so_par_demo.csv into out_dir for `years` (the
    scores of a year exist once it has ended); returns their paths."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    units = _units(units_csv)
    table: list[dict[str, object]] = []
    par: list[dict[str, object]] = []
    for u in units:
        skill = rng.uniform(0.6, 0.97)  # a unit good one year tends to stay good
        for year in (y for y in years if _scored_in(u, y)):
            parts = {
                code: round(maximum * min(1.0, skill + rng.uniform(-0.08, 0.08)), 2)
                for code, (_label, maximum) in GROUPS_766.items()
                if code != "TONG_SCORE"
            }
            total = round(sum(parts.values()), 2)
            table.append(
                {
                    "tier": u["tier"],
                    "year": year,
                    "code": u["unit_code"],
                    "name": u["unit_name"],
                    **parts,
                    "TONG_SCORE": total,
                }
            )
            par.append(
                {
                    "tier": u["tier"],
                    "year": year,
                    "code": u["unit_code"],
                    "score": round(100 * min(1.0, skill + rng.uniform(-0.05, 0.05)), 2),
                }
            )
    _ranked(table, "TONG_SCORE")
    _ranked(par, "score")
    portal = out_dir / "diem_766_demo.csv"
    with portal.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["MA_DON_VI", "TEN_DON_VI", "NAM", *GROUPS_766, "XEP_HANG", "SO_DON_VI", "NGUON"])
        for r in table:
            w.writerow(
                [
                    r["code"],
                    r["name"],
                    r["year"],
                    *[f"{r[c]:.2f}" for c in GROUPS_766],
                    r["rank"],
                    r["ranked_of"],
                    SOURCE,
                ]
            )
    indices = out_dir / "chi_so_par_demo.csv"
    with indices.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["index", "year", "unit", "province", "score", "rank", "ranked_of", "source"])
        for r in par:
            w.writerow(["PAR INDEX", r["year"], r["code"], "", f"{r['score']:.2f}", r["rank"], r["ranked_of"], SOURCE])
        for year in years:
            for index in ("PAR INDEX", "SIPAS"):
                score = round(rng.uniform(82, 92), 2)
                w.writerow([index, year, "", PROVINCE, f"{score:.2f}", rng.randint(5, 25), PROVINCES_RANKED, SOURCE])
    return [portal, indices]
