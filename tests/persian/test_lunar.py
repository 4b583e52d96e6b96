import csv
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files

import pytest
from hijridate import Gregorian
from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.lunar import (
    HIJRI_MONTHS,
    HijriDate,
    InvalidDate,
    format_hijri,
    from_hijri,
    override_problems,
    set_override_provider,
    to_hijri,
)

ARBAEEN_1448 = date(2026, 8, 4)


@pytest.fixture(autouse=True)
def no_overrides():
    set_override_provider(None)
    yield
    set_override_provider(None)


def use_overrides(overrides):
    set_override_provider(lambda: overrides)


def table_rows():
    text = (files("hamafza.persian") / "data" / "iran-lunar-months.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_arbaeen_1448_follows_iran_not_umm_al_qura():
    assert from_hijri(1448, 2, 20) == ARBAEEN_1448
    assert to_hijri(ARBAEEN_1448) == HijriDate(1448, 2, 20, approximate=False)
    # Umm al-Qura puts it a day earlier; this date must not be Arbaeen here.
    assert to_hijri(date(2026, 8, 3)) == HijriDate(1448, 2, 19, approximate=False)


def test_format_hijri_in_persian():
    assert format_hijri(ARBAEEN_1448) == "۲۰ صفر ۱۴۴۸"
    assert format_hijri(HijriDate(1448, 2, 20)) == "۲۰ صفر ۱۴۴۸"


def test_format_hijri_of_aware_datetime_uses_the_tehran_day():
    # 21:00 UTC on 3 August is already 4 August in Tehran.
    assert format_hijri(datetime(2026, 8, 3, 21, 0, tzinfo=UTC)) == "۲۰ صفر ۱۴۴۸"


def test_month_names():
    assert HIJRI_MONTHS == (
        "محرم",
        "صفر",
        "ربیع‌الاول",
        "ربیع‌الثانی",
        "جمادی‌الاول",
        "جمادی‌الثانی",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذی‌القعده",
        "ذی‌الحجه",
    )
    # The compound names are joined with a zero-width non-joiner, not a space.
    assert "\u200c" in HIJRI_MONTHS[2] and " " not in HIJRI_MONTHS[2]


def test_every_table_month_starts_on_its_listed_day_and_has_its_listed_length():
    rows = table_rows()
    assert len(rows) == 600
    for row in rows:
        year, month, days = int(row["hijri_year"]), int(row["month"]), int(row["days"])
        first = date.fromisoformat(row["first_day_gregorian"])
        assert to_hijri(first) == HijriDate(year, month, 1, approximate=False)
        assert from_hijri(year, month, days) == first + timedelta(days=days - 1)
        with pytest.raises(InvalidDate):
            from_hijri(year, month, days + 1)


def test_day_that_does_not_exist_is_refused_in_persian():
    with pytest.raises(InvalidDate) as error:
        from_hijri(1448, 2, 30)  # Safar 1448 has 29 days in Iran's calendar
    assert str(error.value) == "۳۰ صفر ۱۴۴۸ وجود ندارد؛ صفر آن سال ۲۹ روز دارد."


@pytest.mark.parametrize(("month", "day"), [(0, 1), (13, 1), (1, 0)])
def test_impossible_month_or_day_is_refused(month, day):
    with pytest.raises(InvalidDate):
        from_hijri(1448, month, day)


def test_table_edges_are_exact_and_just_beyond_is_approximate():
    assert to_hijri(date(1979, 11, 21)) == HijriDate(1400, 1, 1, approximate=False)
    assert to_hijri(date(2028, 5, 24)) == HijriDate(1449, 12, 29, approximate=False)
    assert to_hijri(date(1979, 11, 20)).approximate
    # The table's last row fixes 1 Muharram 1450, but not when that month ends.
    assert to_hijri(date(2028, 5, 25)) == HijriDate(1450, 1, 1, approximate=True)


def test_outside_the_table_falls_back_to_umm_al_qura_marked_approximate():
    day = date(2035, 3, 1)
    umm_al_qura = Gregorian.fromdate(day).to_hijri()
    hijri = to_hijri(day)
    assert (hijri.year, hijri.month, hijri.day) == (
        umm_al_qura.year,
        umm_al_qura.month,
        umm_al_qura.day,
    )
    assert hijri.approximate
    assert format_hijri(day).endswith(" (تقریبی)")


def test_dates_beyond_every_calendar_are_refused():
    with pytest.raises(InvalidDate):
        to_hijri(date(2100, 1, 1))
    with pytest.raises(InvalidDate):
        from_hijri(1600, 1, 1)


def test_override_moves_the_month_and_takes_precedence_over_the_table():
    use_overrides({(1448, 2): date(2026, 7, 15)})  # Safar seen a day earlier
    assert from_hijri(1448, 2, 20) == date(2026, 8, 3)
    assert format_hijri(date(2026, 8, 3)) == "۲۰ صفر ۱۴۴۸"
    # Muharram now ends a day earlier and Safar runs to the table's start of Rabi al-Awwal.
    assert to_hijri(date(2026, 7, 14)) == HijriDate(1448, 1, 29, approximate=False)
    assert to_hijri(date(2026, 8, 13)) == HijriDate(1448, 2, 30, approximate=False)


def test_overriding_the_next_month_changes_this_months_length():
    use_overrides({(1448, 3): date(2026, 8, 15)})
    assert from_hijri(1448, 2, 30) == date(2026, 8, 14)
    assert to_hijri(date(2026, 8, 15)) == HijriDate(1448, 3, 1, approximate=False)


def test_removing_overrides_restores_the_table():
    use_overrides({(1448, 2): date(2026, 7, 15)})
    assert from_hijri(1448, 2, 20) == date(2026, 8, 3)
    set_override_provider(None)
    assert from_hijri(1448, 2, 20) == ARBAEEN_1448


def test_provider_is_asked_again_so_new_overrides_show_at_once():
    overrides = {}
    set_override_provider(lambda: overrides)
    assert from_hijri(1448, 2, 20) == ARBAEEN_1448
    overrides[(1448, 2)] = date(2026, 7, 17)
    overrides[(1448, 3)] = date(2026, 8, 15)
    assert from_hijri(1448, 2, 20) == date(2026, 8, 5)


def test_overrides_outside_the_table_make_those_months_exact():
    use_overrides({(1450, 2): date(2028, 6, 24), (1450, 3): date(2028, 7, 23)})
    assert to_hijri(date(2028, 7, 1)) == HijriDate(1450, 2, 8, approximate=False)


def test_override_problems_accepts_consistent_overrides():
    assert override_problems({(1448, 2): date(2026, 7, 15)}) == []


def test_override_problems_names_months_of_impossible_length():
    problems = override_problems({(1448, 2): date(2026, 7, 18)})
    assert problems == [
        "طول ماه محرم ۱۴۴۸ با این تاریخ‌ها ۳۲ روز می‌شود؛ ماه قمری ۲۹ یا ۳۰ روز دارد.",
        "طول ماه صفر ۱۴۴۸ با این تاریخ‌ها ۲۷ روز می‌شود؛ ماه قمری ۲۹ یا ۳۰ روز دارد.",
    ]


def test_override_problems_refuses_a_month_that_does_not_exist():
    assert override_problems({(1448, 13): date(2026, 7, 15)}) == ["ماه ۱۳ وجود ندارد."]


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2070, 12, 31)))
def test_every_day_reads_back_to_itself(day):
    hijri = to_hijri(day)
    assert from_hijri(hijri.year, hijri.month, hijri.day) == day


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2070, 12, 31)))
def test_next_day_is_the_next_hijri_day(day):
    today, tomorrow = to_hijri(day), to_hijri(day + timedelta(days=1))
    if tomorrow.day == 1:
        assert today.day in (29, 30)
    else:
        assert (tomorrow.year, tomorrow.month, tomorrow.day) == (
            today.year,
            today.month,
            today.day + 1,
        )


@given(st.dates(min_value=date(1979, 11, 21), max_value=date(2028, 5, 24)))
def test_table_range_is_never_approximate(day):
    assert not to_hijri(day).approximate


def test_every_month_has_29_or_30_days_even_where_umm_al_qura_has_not():
    """Umm al-Qura's early years have months of 28 and 31 days (1348 and 1349 AH, 1364):
    the guessed months keep to 29 or 30, and each starts the day after the last ends."""
    months = [(year, month) for year in range(1343, 1501) for month in range(1, 13)]
    for year, month in months[:-2]:  # the last month's end lies beyond the table
        last = 30
        try:
            end = from_hijri(year, month, 30)
        except InvalidDate:
            last, end = 29, from_hijri(year, month, 29)
        following = (year + month // 12, month % 12 + 1)
        assert from_hijri(*following, 1) == end + timedelta(days=1), (year, month, last)
