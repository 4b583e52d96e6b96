"""The publishing calendar: Jalali months laid out from Saturday, weeks across months,
posts at their scheduled time (or when they went out), only the organisations the user
may see, in one query."""

from datetime import datetime, timedelta

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone

from hamafza.network.models import Channel, Role
from hamafza.persian.dates import TEHRAN
from hamafza.publishing.models import Delivery, DeliveryState, Post, PostStatus
from tests.conftest import grant, make_user

URL = reverse("publishing:calendar")


def _post(org, title, *, when=None, status=PostStatus.APPROVED, **extra):
    return Post.objects.create(
        organisation=org, title=title, body="<p>متن</p>", status=status, publish_at=when, **extra
    )


def _jalali(y, m, d, hh=10, mm=0):
    day = jdatetime.date(y, m, d).togregorian()
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TEHRAN)


def _day(page, iso):
    return next(d for d in page.days if d.day.isoformat() == iso)


def test_esfand_of_a_leap_year_has_thirty_days_from_saturday(client, owner, agency):
    # 1403 is a leap year: 30 Esfand 1403 is 2025-03-20, Nowruz 1404 the day after.
    _post(agency, "روز آخر اسفند", when=_jalali(1403, 12, 30, 9, 30))
    _post(agency, "نوروز", when=_jalali(1404, 1, 1, 9, 30))
    client.force_login(owner)
    response = client.get(URL, {"view": "month", "d": "۱۴۰۳-۱۲-۳۰"})
    assert response.status_code == 200
    page = response.context["page"]
    html = response.content.decode()
    assert "اسفند ۱۴۰۳" in html
    assert len([d for d in page.days if d.in_range]) == 30
    assert [d for d in page.days if d.in_range][-1].day.isoformat() == "2025-03-20"
    assert page.days[0].day.weekday() == 5  # Saturday
    assert html.index("شنبه") < html.index("یکشنبه") < html.index("جمعه")
    assert len(page.days) % 7 == 0
    last = _day(page, "2025-03-20")
    assert [p.title for p in last.posts] == ["روز آخر اسفند"]
    assert "۰۹:۳۰" in html
    # Nowruz falls in the grid's last week, outside the month.
    assert not _day(page, "2025-03-21").in_range
    assert page.post_count == 1
    assert "d=1404-01-01" in response.context["links"]["next"]
    assert "d=1403-11-01" in response.context["links"]["previous"]


def test_esfand_of_a_common_year_and_a_day_that_does_not_exist(client, owner):
    client.force_login(owner)
    page = client.get(URL, {"d": "1404-12-01"}).context["page"]
    assert len([d for d in page.days if d.in_range]) == 29
    response = client.get(URL, {"d": "1404-12-30"})
    assert response.status_code == 400
    assert "اسفند آن سال ۲۹ روز دارد" in response.content.decode()


def test_a_week_across_two_months_runs_from_saturday_to_friday(client, owner, agency):
    # 1 Azar 1405 is a Sunday (2026-11-22): its week starts on 30 Aban, in the month before.
    first_azar = jdatetime.date(1405, 9, 1).togregorian()
    assert first_azar.weekday() == 6
    saturday = first_azar - timedelta(days=1)
    start = datetime.combine(saturday, datetime.min.time(), TEHRAN)
    _post(agency, "خبر سی‌ام آبان", when=start + timedelta(hours=8))
    _post(agency, "خبر جمعه", when=start + timedelta(days=6, hours=23, minutes=30))
    _post(agency, "خبر شنبه دیگر", when=start + timedelta(days=7, minutes=1))
    _post(agency, "خبر جمعه پیش", when=start - timedelta(minutes=1))
    client.force_login(owner)
    response = client.get(URL, {"view": "week", "d": "1405-09-03"})
    page = response.context["page"]
    week = [d.day for d in page.days]
    assert week[0] == saturday and len(week) == 7 and week[-1].weekday() == 4
    html = response.content.decode()
    assert "خبر سی‌ام آبان" in html and "خبر جمعه" in html
    assert "خبر شنبه دیگر" not in html and "خبر جمعه پیش" not in html
    assert "۳۰ آبان ۱۴۰۵ تا ۶ آذر ۱۴۰۵" in html
    assert "d=1405-09-10" in response.context["links"]["next"]
    assert "d=1405-08-26" in response.context["links"]["previous"]


def test_a_post_without_schedule_is_shown_when_it_went_out(client, owner, agency):
    sent_at = _jalali(1405, 9, 12, 14, 5)
    site = _post(agency, "روی سایت", status=PostStatus.SENT, published_at=sent_at)
    channel = Channel.objects.create(organisation=agency, kind="telegram", handle="@x")
    messenger = _post(agency, "تنها در تلگرام", status=PostStatus.SENT)
    Delivery.objects.create(
        post=messenger,
        channel=channel,
        state=DeliveryState.SENT,
        sent_at=sent_at + timedelta(minutes=10),
    )
    _post(agency, "پیش‌نویس", status=PostStatus.DRAFT, when=sent_at)
    client.force_login(owner)
    response = client.get(URL, {"d": "1405-09-12"})
    day = _day(response.context["page"], sent_at.date().isoformat())
    assert [p.title for p in day.posts] == [site.title, messenger.title]
    html = response.content.decode()
    assert "۱۴:۰۵" in html and "۱۴:۱۵" in html
    assert reverse("publishing:post_detail", args=[site.pk]) in html
    assert "status-sent" in html
    assert "پیش‌نویس" not in [p.title for p in day.posts]


def test_today_is_marked(client, owner):
    client.force_login(owner)
    response = client.get(URL)
    today = timezone.localtime().date()
    assert _day(response.context["page"], today.isoformat()).is_today
    assert 'aria-current="date"' in response.content.decode()


def test_each_person_sees_only_their_organisations(
    client, owner, other_owner, agency, other_agency, hub
):
    when = _jalali(1405, 9, 12)
    _post(agency, "خبر بهزیستی", when=when)
    _post(other_agency, "خبر تأمین", when=when)
    client.force_login(owner)
    html = client.get(URL, {"d": "1405-09-12"}).content.decode()
    assert "خبر بهزیستی" in html and "خبر تأمین" not in html
    # Another agency's posts, asked for by its id: not found.
    assert client.get(URL, {"d": "1405-09-12", "org": other_agency.pk}).status_code == 404
    assert client.get(URL, {"org": "x"}).status_code == 404

    # A reviewer at the hub sees the agencies under it, and filters by one.
    hub_reviewer = grant(make_user("hubrev"), hub, Role.REVIEWER)
    client.force_login(hub_reviewer)
    html = client.get(URL, {"d": "1405-09-12"}).content.decode()
    assert "خبر بهزیستی" in html and "خبر تأمین" in html
    response = client.get(URL, {"d": "1405-09-12", "org": other_agency.pk})
    shown = [p.title for d in response.context["page"].days for p in d.posts]
    assert shown == ["خبر تأمین"], response.status_code


def test_outsider_is_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("view", ["month", "week"])
def test_one_query_for_the_posts_of_the_range(
    client, owner, agency, django_assert_max_num_queries, view
):
    for i in range(8):
        _post(agency, f"خبر {i}", when=_jalali(1405, 9, 1 + i))
    client.force_login(owner)
    client.get(URL, {"view": view, "d": "1405-09-03"})  # warm the session and the roles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"view": view, "d": "1405-09-03"})
    assert response.status_code == 200
    post_queries = [q for q in queries.captured_queries if 'FROM "publishing_post"' in q["sql"]]
    assert len(post_queries) == 1
    many = len(queries.captured_queries)
    for i in range(8):
        _post(agency, f"خبر دیگر {i}", when=_jalali(1405, 9, 2 + i))
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"view": view, "d": "1405-09-03"})
    assert len(queries.captured_queries) == many


def test_the_menu_links_to_the_calendar(client, owner):
    client.force_login(owner)
    assert URL in client.get(reverse("publishing:post_list")).content.decode()
