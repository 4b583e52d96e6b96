"""On the day: the check-in desk (typed or scanned code, ?code= from a QR), the service log
page, and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hamafza.mawkib.models import Assignment, ServiceLog, Shift, ShiftDemand, Staffing
from hamafza.persian.digits import to_persian_digits


@pytest.fixture
def today_place(mawkibs, roles, volunteer):
    """The volunteer's place in a shift at Mirjaveh that began an hour ago."""
    start = timezone.now() - timedelta(hours=1)
    shift = Shift.objects.create(
        mawkib=mawkibs["mirjaveh"],
        name="صبح امروز",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
    )
    demand = ShiftDemand.objects.create(
        shift=shift, role=roles["serving"], gender=Staffing.MEN, capacity=2
    )
    return Assignment.objects.create(demand=demand, shift=shift, application=volunteer)


def checkin_url(mawkib):
    return reverse("mawkib:checkin", kwargs={"pk": mawkib.pk})


def test_a_qr_link_with_the_code_shows_todays_place(login, coordinator, mawkibs, today_place):
    page = login(coordinator).get(
        checkin_url(mawkibs["mirjaveh"]), {"code": today_place.application.tracking_code}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "خادم0 داوطلب" in body and "صبح امروز" in body and "ثبت ورود" in body


def test_check_in_out_and_no_show_by_typed_code(
    login, coordinator, mawkibs, today_place, roles, season, make_application
):
    client = login(coordinator)
    code = today_place.application.tracking_code
    typed = to_persian_digits(code)  # a phone keyboard types Persian digits
    response = client.post(
        checkin_url(mawkibs["mirjaveh"]),
        {"code": typed, "assignment": today_place.pk, "action": "check_in"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?code={code}")
    today_place.refresh_from_db()
    assert today_place.status == "checked_in" and today_place.checked_in_at
    body = client.get(response["Location"]).content.decode()
    assert "ثبت خروج" in body and "حضور «خادم0 داوطلب» ثبت شد" in body
    client.post(
        checkin_url(mawkibs["mirjaveh"]),
        {"code": code, "assignment": today_place.pk, "action": "check_out"},
    )
    today_place.refresh_from_db()
    assert today_place.status == "checked_out"
    # Checking out twice is refused with the reason, not an error page.
    response = client.post(
        checkin_url(mawkibs["mirjaveh"]),
        {"code": code, "assignment": today_place.pk, "action": "check_out"},
    )
    assert response.status_code == 400 and "پایان خدمت" in response.content.decode()


def test_no_show_frees_the_place(login, coordinator, mawkibs, today_place):
    login(coordinator).post(
        checkin_url(mawkibs["mirjaveh"]),
        {
            "code": today_place.application.tracking_code,
            "assignment": today_place.pk,
            "action": "no_show",
        },
    )
    today_place.refresh_from_db()
    assert today_place.status == "no_show"


def test_an_unknown_code_or_no_place_today_says_so(
    login, coordinator, mawkibs, today_place, season, make_application
):
    client = login(coordinator)
    response = client.get(checkin_url(mawkibs["mirjaveh"]), {"code": "99999999"})
    assert "خادمی با این کد رهگیری" in response.content.decode()
    other = make_application(season, 2)
    response = client.get(checkin_url(mawkibs["mirjaveh"]), {"code": other.tracking_code})
    assert "امروز در این موکب نوبتی ندارد" in response.content.decode()
    # A scanner that hands over the whole QR link works too.
    link = f"https://hamafza.example/mawkib/checkin/1/?code={today_place.application.tracking_code}"
    response = client.get(checkin_url(mawkibs["mirjaveh"]), {"code": link})
    assert "صبح امروز" in response.content.decode()


def test_a_mawkib_manager_checks_in_at_their_own_mawkib_only_and_sees_masked_data(
    login, member, mawkibs, today_place
):
    mawkibs["mirjaveh"].managers.add(member)
    client = login(member)
    code = today_place.application.tracking_code
    page = client.get(checkin_url(mawkibs["mirjaveh"]), {"code": code})
    body = page.content.decode()
    assert page.status_code == 200
    assert to_persian_digits(today_place.application.national_code) not in body
    assert "***" in body
    assert "درخواست‌ها" not in body  # no links to the coordinators' pages
    assert client.get(checkin_url(mawkibs["rimdan"]), {"code": code}).status_code == 404
    # An assignment at another mawkib cannot be reached through this one's desk.
    response = client.post(
        checkin_url(mawkibs["mirjaveh"]),
        {"code": code, "assignment": today_place.pk + 999, "action": "check_in"},
    )
    assert response.status_code == 404


def test_outsiders_cannot_reach_the_desk_or_the_log(login, outsider, owner, mawkibs, today_place):
    for user in (outsider, owner):
        client = login(user)
        assert client.get(checkin_url(mawkibs["mirjaveh"])).status_code == 404
        url = reverse("mawkib:service_log", kwargs={"pk": mawkibs["mirjaveh"].pk})
        assert client.post(url, {"meals": "5"}).status_code == 404
    today_place.refresh_from_db()
    assert today_place.status == "assigned"
    assert not ServiceLog.objects.exists()


def test_the_service_log_page_records_once_per_shift_and_updates(
    login, coordinator, mawkibs, today_place
):
    client = login(coordinator)
    url = reverse("mawkib:service_log", kwargs={"pk": mawkibs["mirjaveh"].pk})
    page = client.get(url)
    assert page.status_code == 200 and "صبح امروز" in page.content.decode()
    values = {
        "shift": today_place.shift_id,
        "pilgrims_men": "۱۲۰",
        "pilgrims_women": "۸۰",
        "meals": "۳۵۰",
        "tea_water": "۹۰۰",
        "first_aid_visits": "۴",
        "lodging_nights": "۶۰",
        "notes": "ازدحام ظهر",
    }
    response = client.post(url, values)
    assert response.status_code == 302
    client.post(url, {**values, "meals": "400"})
    log = ServiceLog.objects.get()
    assert (log.shift_id, log.meals, log.pilgrims_men) == (today_place.shift_id, 400, 120)
    page = client.get(f"{url}?shift={today_place.shift_id}").content.decode()
    assert "به‌روز کردن گزارش" in page and 'value="400"' in page  # the stored log, to edit
    response = client.post(url, {**values, "meals": "-3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "ازدحام ظهر" in body and 'value="۹۰۰"' in body  # nothing typed is lost


def test_admin_lists_the_mawkib_models_in_persian(client, admin_user, shifts, volunteer):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for model in ("season", "mawkib", "shift", "application", "assignment", "servicelog"):
        response = client.get(reverse(f"admin:mawkib_{model}_changelist"))
        assert response.status_code == 200, model
    assert "فصل‌های اربعین" in client.get(reverse("admin:index")).content.decode()
