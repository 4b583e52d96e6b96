"""Jalali months and Saturday-first weeks as a calendar lays them out."""

from datetime import date, timedelta

import jdatetime
from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian import weeks

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(days)
def test_a_month_is_covered_by_whole_weeks_from_saturday(day):
    first, last = weeks.month_bounds(day)
    grid = weeks.month_weeks(day)
    flat = [d for week in grid for d in week]
    assert all(len(week) == 7 and week[0].weekday() == 5 for week in grid)
    assert flat[0] <= first and last <= flat[-1]
    assert flat[0] > first - timedelta(days=7) and flat[-1] < last + timedelta(days=7)
    assert flat == [flat[0] + timedelta(days=i) for i in range(len(flat))]
    assert weeks.jalali_parts(first)[2] == 1
    assert weeks.jalali_parts(last + timedelta(days=1))[2] == 1
    assert first <= day <= last


@given(days)
def test_neighbouring_months_and_the_week(day):
    first, _last = weeks.month_bounds(day)
    assert weeks.previous_month(weeks.next_month(day)) == first
    assert weeks.next_month(weeks.previous_month(day)) == first
    week = weeks.week_days(day)
    assert day in week and week[0].weekday() == 5 and week[-1].weekday() == 4


def test_esfand_is_thirty_days_in_a_leap_year_only():
    assert jdatetime.date(1403, 1, 1).isleap()
    leap = weeks.month_bounds(jdatetime.date(1403, 12, 1).togregorian())
    common = weeks.month_bounds(jdatetime.date(1404, 12, 1).togregorian())
    assert (leap[1] - leap[0]).days + 1 == 30
    assert (common[1] - common[0]).days + 1 == 29
    assert weeks.iso_jalali(leap[1]) == "1403-12-30"
    assert weeks.month_title(leap[1]) == "اسفند 1403"
