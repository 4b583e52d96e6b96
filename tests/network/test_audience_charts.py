"""The audience charts: who may see them, what they show, and what they cost."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hamafza.network import audience
from hamafza.network.models import AudienceSnapshot, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(agency):
    return Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti_sb")


@pytest.fixture
def eitaa(agency):
    return Channel.objects.create(organisation=agency, kind="eitaa", handle="@behzisti_sb")


def snap(channel, days_ago, members):
    return AudienceSnapshot.objects.create(
        channel=channel,
        taken_on=timezone.localdate() - timedelta(days=days_ago),
        members=members,
        source="manual",
    )


@pytest.fixture
def history(telegram, eitaa):
    for days_ago, members in [(120, 500), (80, 900), (40, 1000), (20, 1150), (0, 1400)]:
        snap(telegram, days_ago, members)
    snap(eitaa, 10, 300)
    return telegram, eitaa


def test_channel_figures(history):
    telegram, _eitaa = history
    item = audience.channel_audience(telegram)
    assert [m for _d, m in item.points] == [900, 1000, 1150, 1400]  # the last 90 days
    assert item.latest_members == 1400
    assert item.change == 400  # against the figure of 40 days ago, the latest ≥ 30 days old


def test_organisation_figures_in_three_queries(agency, history, django_assert_num_queries):
    with django_assert_num_queries(3):  # channels with their latest, snapshots, deliveries
        items = audience.organisation_audience(agency)
    by_kind = {i.channel.kind: i for i in items}
    assert by_kind["telegram"].change == 400
    assert by_kind["eitaa"].latest_members == 300 and by_kind["eitaa"].change is None


def test_the_chart_is_inline_svg_with_persian_digits_and_jalali_dates(history):
    telegram, _ = history
    item = audience.channel_audience(telegram)
    start = timezone.localdate() - timedelta(days=90)
    svg = audience.line_chart(
        [("تلگرام", "#0b5d6b", item.points)], title="t", start=start, end=timezone.localdate()
    )
    assert svg.startswith("<svg") and "<polyline" in svg and svg.count("<circle") == 4
    assert "۱٬۴۰۰" in svg  # a tooltip in Persian digits
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert labels and not any(re.search(r"[0-9]", label) for label in labels)  # Persian digits
    months = (
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "شهریور",
        "مهر",
        "آبان",
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
    )
    assert any(month in svg for month in months)


def test_value_axis_is_round():
    assert audience._value_axis(900, 1400) == (800, 1600, 200)
    assert audience._value_axis(0, 7) == (0, 8, 2)
    assert audience._value_axis(5, 5) == (4, 8, 1)


def test_owner_and_editor_see_the_charts(login, owner, member, agency, history):
    telegram, _ = history
    for user in (owner, member):
        client = login(user)
        page = client.get(f"/network/organisations/{agency.pk}/audience/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" in html and "۱٬۴۰۰" in html and "+۴۰۰" in html
        page = client.get(f"/network/channels/{telegram.pk}/audience/")
        assert page.status_code == 200 and "<svg" in page.content.decode()


def test_other_agency_and_outsider_get_404(client, login, other_owner, outsider, agency, history):
    telegram, _ = history
    urls = [
        f"/network/organisations/{agency.pk}/audience/",
        f"/network/channels/{telegram.pk}/audience/",
    ]
    for user in (other_owner, outsider):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page


def test_hub_admin_sees_every_agency(login, admin_user, agency, history):
    assert login(admin_user).get(f"/network/organisations/{agency.pk}/audience/").status_code == 200


def test_pages_link_to_the_charts(login, owner, agency, history):
    telegram, _ = history
    client = login(owner)
    assert (
        f"/network/organisations/{agency.pk}/audience/"
        in client.get(f"/network/organisations/{agency.pk}/").content.decode()
    )
    assert (
        f"/network/channels/{telegram.pk}/audience/"
        in client.get(f"/network/channels/{telegram.pk}/").content.decode()
    )


def test_posts_per_week_from_sent_deliveries(login, owner, agency, telegram):
    from hamafza.publishing.models import Delivery, Post

    now = timezone.now()
    post = Post.objects.create(
        organisation=agency, title="خبر", body="<p>x</p>", status="sent", published_at=now
    )
    Delivery.objects.create(post=post, channel=telegram, state="sent", sent_at=now)
    weeks = audience.posts_per_week(telegram)
    assert sum(n for _w, n in weeks) == 1 and all(w.weekday() == 5 for w, _n in weeks)  # Saturdays
    html = login(owner).get(f"/network/channels/{telegram.pk}/audience/").content.decode()
    assert "مطالب ارسال‌شده در هر هفته" in html
    html = login(owner).get(f"/network/organisations/{agency.pk}/audience/").content.decode()
    assert "مطلب در هفته" in html


def test_no_deliveries_no_weekly_chart(login, owner, telegram):
    html = login(owner).get(f"/network/channels/{telegram.pk}/audience/").content.decode()
    assert "مطالب ارسال‌شده در هر هفته" not in html
    assert "در این بازه آماری ثبت نشده است." in html


def test_chart_page_queries_do_not_grow_with_channels(login, owner, agency, history):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(owner)
    url = f"/network/organisations/{agency.pk}/audience/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        channel = Channel.objects.create(organisation=agency, kind="bale", handle=f"@c{n}")
        snap(channel, 3, 100 + n)
    assert count() == few
