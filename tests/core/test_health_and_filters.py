"""What a monitor reads from /healthz, and how dates and numbers look on every page."""

from datetime import UTC, date, datetime

from django.template import Context, Template

from hamafza import __version__
from hamafza.core.sms.notices import send_sms_notice


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_healthz_reports_database_tasks_and_version(client, transactional_db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    state = response.json()
    assert state["ok"] is True
    assert state["database"]["ok"] is True
    assert state["version"] == __version__
    assert state["tasks"] == {"pending": 0, "failed": 0, "oldest_pending_seconds": None}


def test_healthz_counts_a_queued_task_as_pending(client, transactional_db):
    send_sms_notice.enqueue(notice_id=1)

    state = client.get("/healthz").json()

    assert state["tasks"]["pending"] == 1
    assert state["tasks"]["failed"] == 0
    assert state["tasks"]["oldest_pending_seconds"] >= 0


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_jdate_shows_a_jalali_date_in_persian_digits():
    assert render("{{ d|jdate }}", d=date(2026, 8, 8)) == "۱۷ مرداد ۱۴۰۵"
    assert render('{{ d|jdate:"short" }}', d=date(2026, 8, 8)) == "۱۴۰۵/۰۵/۱۷"
    assert render('{{ d|jdate:"weekday" }}', d=date(2026, 8, 8)) == "شنبه ۱۷ مرداد ۱۴۰۵"


def test_jdate_of_nothing_is_empty():
    assert render("{{ d|jdate }}", d=None) == ""


def test_jdatetime_shows_tehran_wall_clock_time():
    # 21:00 UTC on 7 August is 00:30 the next day in Tehran (UTC+03:30).
    moment = datetime(2026, 8, 7, 21, 0, tzinfo=UTC)

    assert render("{{ t|jdatetime }}", t=moment) == "۱۷ مرداد ۱۴۰۵، ساعت ۰۰:۳۰"


def test_jdate_of_a_datetime_uses_the_tehran_day():
    moment = datetime(2026, 8, 7, 21, 0, tzinfo=UTC)

    assert render("{{ t|jdate }}", t=moment) == "۱۷ مرداد ۱۴۰۵"


def test_hijri_shows_arbaeen_1448_on_its_iranian_day(db):  # editors may override a month
    assert render("{{ d|hijri }}", d=date(2026, 8, 4)) == "۲۰ صفر ۱۴۴۸"


def test_fanum_uses_persian_digits_and_thousands_separator():
    assert render("{{ n|fanum }}", n=12345) == "۱۲٬۳۴۵"
    assert render("{{ n|fanum }}", n=0) == "۰"


def test_mask_mobile_hides_the_middle_of_the_number():
    assert render("{{ m|mask_mobile }}", m="09121234567") == "\u2066۰۹۱۲***۴۵۶۷\u2069"
    assert render("{{ m|mask_mobile }}", m="") == ""
