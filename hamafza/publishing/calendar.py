"""The publishing calendar's layout: a Jalali month (weeks from Saturday) or one week,
each day with the posts whose moment falls on it in Tehran. The posts come from one
query (selectors.calendar_posts); this only places them."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hamafza.persian import weeks
from hamafza.persian.dates import (
    TEHRAN,
    InvalidDate,
    jalali_date,
    parse_jalali_date,
    tehran_date,
)
from hamafza.persian.digits import to_persian_digits

from .models import Post

VIEWS = ("month", "week")


@dataclass
class Day:
    day: date
    in_range: bool  # in the month shown (a month's first and last weeks run over)
    is_today: bool
    posts: list[Post] = field(default_factory=list)

    @property
    def number(self) -> str:
        return to_persian_digits(weeks.jalali_parts(self.day)[2])

    @property
    def weekday(self) -> str:
        return weeks.WEEKDAYS[(self.day.weekday() - 5) % 7]


@dataclass
class Page:
    view: str
    day: date  # the day asked for
    first: date  # the first and last day shown (whole weeks)
    last: date
    title: str
    weeks: list[list[Day]]
    previous: date
    next: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, TEHRAN)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, TEHRAN)

    @property
    def days(self) -> list[Day]:
        return [d for week in self.weeks for d in week]

    @property
    def post_count(self) -> int:
        return sum(len(d.posts) for d in self.days if d.in_range)


def today() -> date:
    return tehran_date(timezone.now())


def parse_day(text: str) -> date:
    """The day a calendar's address names (``1405-09-12``, any digits); today if none.
    Raises InvalidDate with a Persian message for a day that does not exist."""
    text = (text or "").strip()
    return parse_jalali_date(text) if text else today()


def layout(view: str, day: date) -> Page:
    now = today()
    if view == "week":
        days = weeks.week_days(day)
        first, last = days[0], days[-1]
        title = _week_title(first, last)
        grid = [[Day(d, True, d == now) for d in days]]
        previous, following = day - timedelta(days=7), day + timedelta(days=7)
    else:
        month_first, month_last = weeks.month_bounds(day)
        grid = [
            [Day(d, month_first <= d <= month_last, d == now) for d in week]
            for week in weeks.month_weeks(day)
        ]
        first, last = grid[0][0].day, grid[-1][-1].day
        title = to_persian_digits(weeks.month_title(day))
        previous, following = weeks.previous_month(day), weeks.next_month(day)
    return Page(view, day, first, last, title, grid, previous, following)


def place(page: Page, posts: list[Post]) -> Page:
    by_day = {d.day: d for d in page.days}
    for post in posts:
        found = by_day.get(tehran_date(post.moment))
        if found is not None:
            found.posts.append(post)
    return page


def _week_title(first: date, last: date) -> str:
    return f"{jalali_date(first)} تا {jalali_date(last)}"


__all__ = ["VIEWS", "Day", "InvalidDate", "Page", "layout", "parse_day", "place", "today"]
