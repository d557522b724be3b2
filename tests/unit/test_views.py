"""Derived views the dashboard reads: statuses, rankings, shortfalls, projections."""

from __future__ import annotations

import pandas as pd

from metrics import views


def units(rows):
    return pd.DataFrame(
        rows, columns=["metric", "tier", "unit_code", "unit_name", "numerator", "denominator", "rate", "target"]
    )


def test_status_reads_met_near_and_below_around_the_target():
    assert views.status(0.97, 0.97) == "met"
    assert views.status(0.96, 0.97) == "near"
    assert views.status(0.90, 0.97) == "below"
    assert views.status(None, 0.97) == "none"
    assert views.status(0.5, None) == "no_target"


def test_dossiers_needed_is_the_ceiling_of_target_times_denominator_minus_numerator():
    assert views.dossiers_needed(90, 100, 0.97) == 7
    assert views.dossiers_needed(97, 100, 0.97) == 0
    assert views.dossiers_needed(485, 500, 0.97) == 0
    assert views.dossiers_needed(1, 3, 0.5) == 1
    assert views.dossiers_needed(0, 0, 0.97) is None


def test_units_below_target_are_listed_worst_first_with_what_they_lacked():
    frame = units(
        [
            ("on_time_rate", "commune", "A", "Xã A", 99, 100, 0.99, 0.97),
            ("on_time_rate", "commune", "B", "Xã B", 80, 100, 0.80, 0.97),
            ("on_time_rate", "commune", "C", "Xã C", 96, 100, 0.96, 0.97),
        ]
    )
    out = views.below_target(frame, min_dossiers=0)
    assert list(out["unit_code"]) == ["B", "C"]
    assert list(out["needed"]) == [17, 1]
    assert list(out["status"]) == ["below", "near"]


def test_units_with_too_few_dossiers_are_marked_and_not_ranked_first():
    cur = units(
        [
            ("on_time_rate", "commune", "A", "Xã A", 5, 5, 1.0, 0.97),
            ("on_time_rate", "commune", "B", "Xã B", 95, 100, 0.95, 0.97),
            ("on_time_rate", "commune", "C", "Xã C", 99, 100, 0.99, 0.97),
        ]
    )
    prev = units(
        [
            ("on_time_rate", "commune", "B", "Xã B", 99, 100, 0.99, 0.97),
            ("on_time_rate", "commune", "C", "Xã C", 90, 100, 0.90, 0.97),
        ]
    )
    out = views.ranking(cur, prev, min_dossiers=30)
    assert list(out["unit_code"]) == ["C", "B", "A"]
    assert list(out["rank"][:2]) == [1, 2]
    assert not out.loc[2, "ranked"] and pd.isna(out.loc[2, "rank"])
    assert list(out["rank_change"][:2]) == [1, -1]


def test_projection_states_its_basis_in_words():
    monthly = pd.DataFrame(
        {
            "month": ["2024-01", "2024-02", "2024-03"],
            "numerator": [90, 95, 100],
            "denominator": [100, 100, 100],
            "rate": [0.9, 0.95, 1.0],
        }
    )
    p = views.projection(monthly, 2024, 3, recent_months=3)
    assert abs(p.rate - 0.95) < 1e-9
    assert "9 tháng còn lại" in p.basis_vi and "95,00%" in p.basis_vi


def test_heatmap_lists_the_worst_unit_first_and_leaves_empty_months_empty():
    monthly = units(
        [
            ("on_time_rate", "commune", "A", "Xã A", 10, 10, 1.0, 0.97),
            ("on_time_rate", "commune", "B", "Xã B", 5, 10, 0.5, 0.97),
        ]
    )
    monthly["month"] = ["2024-01", "2024-02"]
    hm = views.heatmap_frame(monthly, ["2024-01", "2024-02"])
    assert hm["codes"] == ["B", "A"]
    assert hm["z"][0] == [None, 0.5]
