from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hamafza.persian.dates import (
    JALALI_MONTHS,
    TEHRAN,
    InvalidDate,
    jalali_date,
    jalali_datetime,
    jalali_short,
    parse_jalali_date,
    parse_jalali_datetime,
    weekday_name,
)

MORDAD_17_1405 = date(2026, 8, 8)  # a Saturday


def test_jalali_date_in_persian():
    assert jalali_date(MORDAD_17_1405) == "۱۷ مرداد ۱۴۰۵"


def test_jalali_date_first_day_of_year():
    assert jalali_date(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"


def test_jalali_date_with_weekday():
    assert jalali_date(MORDAD_17_1405, with_weekday=True) == "شنبه ۱۷ مرداد ۱۴۰۵"


def test_jalali_date_of_aware_datetime_uses_the_tehran_day():
    # 22:00 UTC on 7 August is 01:30 on 8 August in Tehran.
    late_utc = datetime(2026, 8, 7, 22, 0, tzinfo=UTC)
    assert jalali_date(late_utc) == "۱۷ مرداد ۱۴۰۵"


def test_jalali_datetime_converts_to_tehran_time():
    assert jalali_datetime(datetime(2026, 8, 8, 7, 0, tzinfo=UTC)) == "۱۷ مرداد ۱۴۰۵، ساعت ۱۰:۳۰"


def test_jalali_datetime_crossing_midnight_shows_next_tehran_day():
    assert jalali_datetime(datetime(2026, 8, 7, 22, 0, tzinfo=UTC)) == "۱۷ مرداد ۱۴۰۵، ساعت ۰۱:۳۰"


def test_jalali_datetime_takes_naive_as_tehran_time():
    assert jalali_datetime(datetime(2026, 8, 8, 10, 30)) == "۱۷ مرداد ۱۴۰۵، ساعت ۱۰:۳۰"


def test_jalali_short_is_zero_padded_persian():
    assert jalali_short(MORDAD_17_1405) == "۱۴۰۵/۰۵/۱۷"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 8, 8), "شنبه"),
        (date(2026, 8, 9), "یکشنبه"),
        (date(2026, 8, 10), "دوشنبه"),
        (date(2026, 8, 11), "سه\u200cشنبه"),
        (date(2026, 8, 12), "چهارشنبه"),
        (date(2026, 8, 13), "پنج\u200cشنبه"),
        (date(2026, 8, 14), "جمعه"),
    ],
)
def test_weekday_names_follow_the_iranian_week(day, name):
    assert weekday_name(day) == name


def test_weekday_of_aware_datetime_is_the_tehran_weekday():
    friday_night_utc = datetime(2026, 8, 7, 22, 0, tzinfo=UTC)  # already Saturday in Tehran
    assert weekday_name(friday_night_utc) == "شنبه"


def test_month_names():
    assert JALALI_MONTHS[0] == "فروردین"
    assert JALALI_MONTHS[4] == "مرداد"
    assert JALALI_MONTHS[11] == "اسفند"
    assert len(JALALI_MONTHS) == 12


@pytest.mark.parametrize(
    "text",
    ["1405/05/17", "۱۴۰۵/۰۵/۱۷", "١٤٠٥-٥-١٧", "1405/5/17", "1405.05.17", " ۱۴۰۵ / ۵ / ۱۷ "],
)
def test_parse_jalali_date_accepts_common_spellings(text):
    assert parse_jalali_date(text) == MORDAD_17_1405


def test_parse_jalali_date_returns_plain_gregorian_date():
    assert type(parse_jalali_date("1405/05/17")) is date


def test_30_esfand_exists_in_a_leap_year():
    assert parse_jalali_date("1403/12/30") == date(2025, 3, 20)
    assert parse_jalali_date("1408/12/30") == date(2030, 3, 20)


def test_30_esfand_in_a_non_leap_year_is_refused_in_persian():
    with pytest.raises(InvalidDate) as error:
        parse_jalali_date("1404/12/30")
    assert str(error.value) == "۳۰ اسفند ۱۴۰۴ وجود ندارد؛ اسفند آن سال ۲۹ روز دارد."


def test_invalid_date_is_a_value_error():
    with pytest.raises(ValueError):
        parse_jalali_date("1405/07/31")


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("1405/07/31", "۳۱ مهر ۱۴۰۵ وجود ندارد"),
        ("1405/13/01", "ماه ۱۳ وجود ندارد"),
        ("1405/05/00", "۰ مرداد ۱۴۰۵ وجود ندارد"),
        ("", "وارد نشده"),
        ("   ", "وارد نشده"),
        ("hello", "خوانا نیست"),
        ("05/05/17", "خوانا نیست"),
        ("1405/05-17", "خوانا نیست"),
        ("1405/05/17/1", "خوانا نیست"),
    ],
)
def test_parse_jalali_date_refuses_bad_input(text, message_part):
    with pytest.raises(InvalidDate, match=message_part):
        parse_jalali_date(text)


def test_parse_jalali_datetime_gives_aware_tehran_time():
    moment = parse_jalali_datetime("۱۴۰۵/۰۵/۱۷", "۱۰:۳۰")
    assert moment == datetime(2026, 8, 8, 7, 0, tzinfo=UTC)
    assert moment.tzinfo == TEHRAN


def test_parse_jalali_datetime_accepts_seconds_and_single_digit_hour():
    assert parse_jalali_datetime("1405/05/17", "9:05:30").time().isoformat() == "09:05:30"


@pytest.mark.parametrize("time_text", ["24:00", "10:60", "10", "ده و نیم", ""])
def test_parse_jalali_datetime_refuses_bad_time(time_text):
    with pytest.raises(InvalidDate):
        parse_jalali_datetime("1405/05/17", time_text)


def test_parse_jalali_datetime_refuses_bad_date():
    with pytest.raises(InvalidDate, match="اسفند"):
        parse_jalali_datetime("1404/12/30", "10:00")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_short_form_reads_back_to_the_same_day(day):
    assert parse_jalali_date(jalali_short(day)) == day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_consecutive_days_never_share_a_jalali_date(day):
    assert jalali_date(day) != jalali_date(day + timedelta(days=1))
