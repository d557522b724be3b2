"""The late-budget arithmetic on its own (metrics/forecast.py), at the edges a float would
get wrong and the ones the issue names: exactly at target, cannot get back, no data."""

from __future__ import annotations

import datetime as dt

from metrics import forecast

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
MARCH = dt.date(2026, 3, 31)


def test_exactly_at_a_target_that_floats_cannot_hold_leaves_a_budget_of_zero_not_none():
    # 0.94 × 2150 is 2020.9999999999998 in floats; in fractions it is 2021 exactly
    assert 0.94 * 2150 != 2021
    b = forecast.budget(2150, 2021, 1, 0, 0.94, *YEAR, MARCH)
    assert (b.expected_remaining, b.late_budget, b.needed_on_time, b.status) == (0, 0, 0, "on_track")


def test_half_a_dossier_rounds_up():
    # E = 3 × 1 / 2 = 1,5 -> 2
    assert forecast.budget(1, 1, 2, 3, 0.5, *YEAR, MARCH).expected_remaining == 2


def test_the_pace_fallback_counts_calendar_days_and_stops_at_the_periods_end():
    # 90 days gone, 275 to come: round(90 × 275 / 90) = 275
    assert forecast.budget(90, 90, 0, 0, 0.97, *YEAR, MARCH).expected_remaining == 275
    assert forecast.budget(90, 90, 0, 0, 0.97, *YEAR, YEAR[1]).expected_remaining == 0


def test_a_target_of_one_needs_every_dossier_on_time():
    assert forecast.budget(10, 10, 10, 10, 1.0, *YEAR, MARCH).needed_on_time == 0
    below = forecast.budget(10, 9, 10, 10, 1.0, *YEAR, MARCH)
    assert (below.late_budget, below.needed_on_time, below.status) == (None, None, "failed")


def test_without_a_target_there_is_no_budget():
    assert forecast.budget(10, 9, 10, 10, None, *YEAR, MARCH).status == "no_target"


def test_a_leap_day_a_year_back_is_the_28th():
    assert forecast.year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_the_calendar_counts_working_days_across_the_hung_vuong_day_off():
    days, ranks = forecast.workday_calendar(dt.date(2026, 4, 24), dt.date(2026, 4, 28))
    assert dict(zip(days, ranks, strict=True)) == {
        dt.date(2026, 4, 24): 1,  # Friday
        dt.date(2026, 4, 25): 1,
        dt.date(2026, 4, 26): 1,  # Giỗ Tổ Hùng Vương (a Sunday)
        dt.date(2026, 4, 27): 1,  # its day off
        dt.date(2026, 4, 28): 2,
    }


def test_online_points_are_full_from_half_online_and_proportional_below():
    assert forecast.online_points(0.5) == 6.0 and forecast.online_points(0.8) == 6.0
    assert forecast.online_points(0.25) == 3.0
    assert forecast.online_points(None) is None
