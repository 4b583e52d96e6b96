"""The coordinators' pages through the test client: who gets in, what each page shows,
that refusals keep what was typed, and that list pages do not grow in queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamafza.core.models import AuditEntry
from hamafza.mawkib.models import (
    AgencyQuota,
    Application,
    ApplicationStatus,
    Assignment,
    Gender,
    Season,
    ServiceRole,
    ShiftDemand,
    ShiftTemplate,
    Staffing,
)
from hamafza.persian.digits import to_persian_digits

from .conftest import NATIONAL_CODES


def url(name, pk=None):
    return reverse(f"mawkib:{name}", kwargs={"pk": pk} if pk is not None else None)


def text(response) -> str:
    return response.content.decode()


# --- Who gets in ---


@pytest.mark.parametrize(
    "name", ["season_detail", "application_list", "coverage", "shifts_generate", "season_edit"]
)
def test_season_pages_are_404_to_outsiders_and_agency_staff(
    name, login, outsider, owner, season, coordinator
):
    for user in (outsider, owner):
        assert login(user).get(url(name, season.pk)).status_code == 404
    assert login(coordinator).get(url(name, season.pk)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, season, mawkibs):
    for target in (url("season_list"), url("application_list", season.pk)):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(url("checkin", mawkibs["rimdan"].pk)).status_code == 302


def test_a_non_coordinator_cannot_post_a_decision(login, owner, season, make_application):
    application = make_application(season, 1, status=ApplicationStatus.PENDING)
    response = login(owner).post(
        url("application_decide", application.pk), {"decision": "approved"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


# --- Seasons ---


def test_a_coordinator_creates_a_season_typing_persian_digits(login, coordinator):
    client = login(coordinator)
    page = client.get(url("season_create"))
    assert page.status_code == 200
    response = client.post(
        url("season_create"),
        {
            "hijri_year": "۱۴۵۰",
            "title": "",
            "signup_opens_at_0": "۱۴۰۶/۰۴/۰۱",
            "signup_opens_at_1": "۰۸:۰۰",
            "signup_closes_at_0": "۱۴۰۶/۰۴/۲۵",
            "signup_closes_at_1": "۲۰:۰۰",
            "edit_deadline_0": "۱۴۰۶/۰۴/۲۰",
            "edit_deadline_1": "۲۰:۰۰",
            "min_rest_hours": "۸",
        },
    )
    season = Season.objects.get()
    assert response.status_code == 302 and response["Location"] == url("season_detail", season.pk)
    assert season.hijri_year == 1450 and season.title == "اربعین ۱۴۵۰"
    detail = text(client.get(url("season_detail", season.pk)))
    assert "صفر ۱۴۵۰" in detail  # Arbaeen in Hijri
    assert "۱۴۰۶" in detail or "۱۴۰۵" in detail  # and in Jalali


def test_a_disordered_window_is_refused_beside_the_field_keeping_the_input(login, coordinator):
    response = login(coordinator).post(
        url("season_create"),
        {
            "hijri_year": "1450",
            "title": "اربعین پیش‌رو",
            "signup_opens_at_0": "1406/04/20",
            "signup_opens_at_1": "08:00",
            "signup_closes_at_0": "1406/04/01",
            "signup_closes_at_1": "08:00",
            "edit_deadline_0": "1406/04/25",
            "edit_deadline_1": "08:00",
            "min_rest_hours": "8",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "پایان ثبت‌نام باید پس از آغاز آن باشد." in body
    assert 'value="اربعین پیش‌رو"' in body
    assert not Season.objects.exists()


def test_season_list_and_detail_show_mawkibs_roles_and_quotas(
    login, coordinator, season, mawkibs, roles, shifts, agency
):
    AgencyQuota.objects.create(season=season, organisation=agency, quota=7)
    client = login(coordinator)
    assert season.title in text(client.get(url("season_list")))
    body = text(client.get(url("season_detail", season.pk)))
    for expected in (
        "موکب مرز میرجاوه",
        "موکب مرز ریمدان",
        "آشپزی",
        "کارت بهداشت",
        "اداره کل بهزیستی",
        "۷",
    ):
        assert expected in body


def test_next_season_from_this_one(login, coordinator, season, mawkibs, roles):
    response = login(coordinator).post(
        url("season_copy_next", season.pk),
        {
            "signup_opens_at_0": "1406/04/01",
            "signup_opens_at_1": "08:00",
            "signup_closes_at_0": "1406/04/25",
            "signup_closes_at_1": "20:00",
            "edit_deadline_0": "1406/04/20",
            "edit_deadline_1": "20:00",
        },
    )
    new = Season.objects.get(hijri_year=1450)
    assert response["Location"] == url("season_detail", new.pk)
    assert new.mawkibs.count() == 3 and new.roles.count() == 5


def test_mawkib_edit_page_changes_coordinates_with_persian_digits(
    login, coordinator, mawkibs, member
):
    mawkib = mawkibs["mirjaveh"]
    client = login(coordinator)
    assert client.get(url("mawkib_edit", mawkib.pk)).status_code == 200
    response = client.post(
        url("mawkib_edit", mawkib.pk),
        {
            "name": "موکب مرز میرجاوه",
            "site_key": "mirjaveh",
            "kind": "border",
            "county": mawkib.county_id,
            "latitude": "۲۹٫۰۱۹۲",
            "longitude": "۶۱٫۴۴۸۸",
            "facilities": "آشپزخانه، ۲۰۰ تخت",
            "has_men_section": "on",
            "has_women_section": "on",
            "managers": [member.pk],
        },
    )
    assert response.status_code == 302
    mawkib.refresh_from_db()
    assert str(mawkib.latitude) == "29.019200" and list(mawkib.managers.all()) == [member]


def test_mawkib_page_adds_templates_and_sets_their_demand(login, coordinator, mawkibs, roles):
    mawkib = mawkibs["imam-reza"]
    client = login(coordinator)
    response = client.post(
        url("template_create", mawkib.pk), {"name": "شب", "starts": "۲۰:۰۰", "hours": "۸"}
    )
    assert response.status_code == 302
    template = ShiftTemplate.objects.get(mawkib=mawkib)
    response = client.post(
        url("template_demand_set", template.pk),
        {"role": roles["security"].pk, "gender": "women", "count": "2"},
    )
    assert response.status_code == 400
    assert "فقط برای بخش آقایان" in text(response)
    client.post(
        url("template_demand_set", template.pk),
        {"role": roles["security"].pk, "gender": "men", "count": "2"},
    )
    body = text(client.get(url("mawkib_detail", mawkib.pk)))
    assert "<bdi>انتظامات</bdi>، آقایان" in body  # the role's name isolated


def test_roles_and_quotas_from_the_season_page(login, coordinator, season, agency):
    client = login(coordinator)
    response = client.post(
        url("role_create", season.pk),
        {
            "name": "ترجمه انگلیسی",
            "code": "english",
            "staffing": "any",
            "requirements": ["english"],
        },
    )
    assert response.status_code == 302
    role = ServiceRole.objects.get(code="english")
    assert role.requirements == ["english"]
    response = client.post(
        url("role_create", season.pk), {"name": "تکراری", "code": "english", "staffing": "any"}
    )
    assert response.status_code == 400 and "نقشی با این کد" in text(response)
    assert client.get(url("role_edit", role.pk)).status_code == 200
    response = client.post(url("quota_set", season.pk), {"organisation": agency.pk, "quota": "۱۲"})
    assert response.status_code == 302
    assert AgencyQuota.objects.get().quota == 12


# --- Shifts ---


def test_generate_review_and_undo_a_batch(login, coordinator, season, mawkibs, roles, shift_days):
    template = ShiftTemplate.objects.create(
        mawkib=mawkibs["rimdan"], name="صبح", starts="08:00", hours=6
    )
    template.demands.create(role=roles["serving"], gender="any", count=3)
    client = login(coordinator)
    assert client.get(url("shifts_generate", season.pk)).status_code == 200
    from hamafza.persian.dates import jalali_short

    response = client.post(
        url("shifts_generate", season.pk),
        {"first_day": jalali_short(shift_days[0]), "last_day": jalali_short(shift_days[1])},
    )
    batch = season.batches.get()
    assert response["Location"] == url("batch_detail", batch.pk)
    review = text(client.get(url("batch_detail", batch.pk)))
    assert "موکب مرز ریمدان" in review and "۰/۳" in review
    response = client.post(url("batch_undo", batch.pk))
    assert response["Location"] == url("season_detail", season.pk)
    assert not batch.shifts.exists()


def test_one_shifts_demand_is_changed_and_refused_below_taken(
    login, coordinator, shifts, mawkibs, roles, volunteer, demand_for
):
    from hamafza.mawkib.services import roster

    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    roster.shift_signup(application=volunteer, demand_id=demand.pk)
    client = login(coordinator)
    assert client.get(url("demand_capacity", demand.pk)).status_code == 200
    response = client.post(url("demand_capacity", demand.pk), {"capacity": "۰"})
    assert response.status_code == 400 and "ظرفیت کمتر از آن نمی‌شود" in text(response)
    response = client.post(url("demand_capacity", demand.pk), {"capacity": "۴"})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.capacity == 4


# --- Vetting ---


def _applications(season, make_application, count):
    for i in range(count):
        make_application(
            season,
            i,
            status=ApplicationStatus.PENDING,
            gender=Gender.WOMEN if i % 2 else Gender.MEN,
            qualifications=["first_aid"] if i == 0 else [],
        )


def test_vetting_list_filters(login, coordinator, season, make_application, agency):
    _applications(season, make_application, 4)
    Application.objects.filter(national_code=NATIONAL_CODES[3]).update(organisation=agency)
    client = login(coordinator)
    listing = url("application_list", season.pk)
    assert text(client.get(listing)).count('class="application card') == 4
    assert text(client.get(listing, {"gender": "women"})).count('class="application card') == 2
    assert text(client.get(listing, {"source": "agency"})).count('class="application card') == 1
    first_aiders = text(client.get(listing, {"qualification": "first_aid"}))
    assert first_aiders.count('class="application card') == 1 and "خادم0" in first_aiders
    one = Application.objects.get(national_code=NATIONAL_CODES[2])
    found = text(client.get(listing, {"q": to_persian_digits(one.tracking_code)}))
    assert found.count('class="application card') == 1 and "خادم2" in found
    assert text(client.get(listing, {"q": "خادم1 داوطلب"})).count('class="application card') == 1


def test_vetting_shows_national_code_and_mobile_to_coordinators(
    login, coordinator, season, make_application
):
    application = make_application(season, 0, status=ApplicationStatus.PENDING)
    body = text(login(coordinator).get(url("application_list", season.pk)))
    assert to_persian_digits(application.national_code) in body
    assert to_persian_digits(application.mobile) in body


def test_vetting_list_query_count_does_not_grow_with_rows(
    login, coordinator, season, make_application
):
    client = login(coordinator)
    listing = url("application_list", season.pk)
    _applications(season, make_application, 2)
    client.get(listing)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(listing).status_code == 200
    Application.objects.all().delete()
    _applications(season, make_application, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(listing).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_bulk_approve_and_waitlist(login, coordinator, season, make_application):
    _applications(season, make_application, 3)
    first, second, third = Application.objects.order_by("national_code")
    client = login(coordinator)
    listing = url("application_list", season.pk)
    response = client.post(
        listing + "?status=pending", {"decision": "approved", "selected": [first.pk, second.pk]}
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    client.post(listing, {"decision": "waitlisted", "selected": [third.pk]})
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", third.pk: "waitlisted"}
    assert AuditEntry.objects.filter(action="mawkib.application.approved").count() == 2
    response = client.post(listing, {"decision": "approved"})
    assert response.status_code == 400 and "دست‌کم یک درخواست" in text(response)


def test_bulk_decision_ignores_applications_of_another_season(
    login, coordinator, season, make_application
):
    other = Season.objects.create(
        hijri_year=1450,
        title="x",
        signup_opens_at=timezone.now(),
        signup_closes_at=timezone.now() + timedelta(days=1),
        edit_deadline=timezone.now(),
    )
    stranger = make_application(other, 0, status=ApplicationStatus.PENDING)
    response = login(coordinator).post(
        url("application_list", season.pk), {"decision": "approved", "selected": [stranger.pk]}
    )
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.status == "pending"


def test_reject_with_a_reason_and_without(login, coordinator, season, make_application):
    application = make_application(season, 0, status=ApplicationStatus.PENDING)
    client = login(coordinator)
    response = client.post(url("application_decide", application.pk), {"decision": "rejected"})
    assert response.status_code == 400
    assert "دلیل رد درخواست را بنویسید" in text(response)
    response = client.post(
        url("application_decide", application.pk),
        {
            "decision": "rejected",
            "reason": "کمتر از سن لازم",
            "next": url("application_list", season.pk),
        },
    )
    assert response["Location"] == url("application_list", season.pk)
    application.refresh_from_db()
    assert application.status == "rejected" and application.decision_reason == "کمتر از سن لازم"


def test_prior_seasons_attendance_is_shown(
    login, coordinator, season, make_application, mawkibs, roles
):
    earlier = Season.objects.create(
        hijri_year=1447,
        title="اربعین ۱۴۴۷",
        signup_opens_at=timezone.now() - timedelta(days=400),
        signup_closes_at=timezone.now() - timedelta(days=380),
        edit_deadline=timezone.now() - timedelta(days=390),
    )
    old = make_application(earlier, 0)
    mawkib = earlier.mawkibs.create(
        site_key="m", name="م", kind="border", county=mawkibs["mirjaveh"].county
    )
    start = timezone.now() - timedelta(days=385)
    shift = mawkib.shifts.create(name="صبح", starts_at=start, ends_at=start + timedelta(hours=6))
    demand = ShiftDemand.objects.create(
        shift=shift, role=roles["serving"], gender="any", capacity=1
    )
    Assignment.objects.create(demand=demand, shift=shift, application=old, status="checked_out")
    application = make_application(season, 0, status=ApplicationStatus.PENDING)
    client = login(coordinator)
    assert "۱۴۴۷: ۱ نوبت" in text(client.get(url("application_list", season.pk)))
    assert "۱۴۴۷: ۱ نوبت" in text(client.get(url("application_detail", application.pk)))


# --- Assigning anyone ---


def test_a_coordinator_assigns_and_sees_the_refusal_beside_the_field(
    login, coordinator, shifts, mawkibs, roles, season, make_application, demand_for
):
    person = make_application(season, 1, days=[])  # no days offered: a coordinator may still
    client = login(coordinator)
    page = text(client.get(url("application_detail", person.pk)))
    assert "گذاشتن در نوبت" in page
    morning = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    response = client.post(url("application_assign", person.pk), {"demand": morning.pk})
    assert response.status_code == 302
    assert Assignment.objects.get().demand == morning
    clash = demand_for(mawkibs["rimdan"], roles["serving"], Staffing.MEN)
    response = client.post(url("application_assign", person.pk), {"demand": clash.pk})
    assert response.status_code == 400
    assert "هم‌زمان است" in text(response)
    assert Assignment.objects.count() == 1


# --- Nominations ---


def _nomination(index=0, days=None, **extra):
    return {
        "national_code": to_persian_digits(NATIONAL_CODES[index]),
        "first_name": "رضا",
        "last_name": "شهنوازی",
        "mobile": "۰۹۱۵۱۲۳۴۵۶۷",
        "gender": "men",
        "birth_date": "۱۳۷۰/۰۱/۱۵",
        "available_days": days or [],
        "emergency_name": "پدر",
        "emergency_mobile": "09151112233",
        **extra,
    }


def test_a_pr_manager_nominates_their_staff_and_sees_the_quota(
    login, owner, agency, season, shifts, shift_days
):
    AgencyQuota.objects.create(season=season, organisation=agency, quota=2)
    client = login(owner)
    page = text(client.get(url("nominate", season.pk)))
    assert "اداره کل بهزیستی" in page and "سهمیه" in page
    days = [shift_days[0].isoformat()]
    response = client.post(url("nominate", season.pk), _nomination(0, days))
    assert response.status_code == 302, response.context["form"].errors
    made = Application.objects.get()
    assert made.organisation == agency and made.nominated_by == owner
    page = text(client.get(url("nominate", season.pk)))
    assert "رضا شهنوازی" in page
    response = client.post(url("nominate", season.pk), _nomination(0, days))
    assert response.status_code == 400 and "پیش‌تر معرفی شده" in text(response)
    response = client.post(url("nominate", season.pk), _nomination(1, days, national_code="123"))
    assert response.status_code == 400 and "کد ملی" in text(response)
    assert 'value="رضا"' in text(response)


def test_a_pr_manager_cannot_nominate_for_another_agency(
    login, other_owner, other_agency, agency, season, shifts, shift_days, outsider
):
    AgencyQuota.objects.create(season=season, organisation=agency, quota=5)
    client = login(other_owner)
    # No quota for their own agency: told so, with no form.
    page = client.get(url("nominate", season.pk))
    assert page.status_code == 200 and "سهمیه‌ای تعیین نکرده" in text(page)
    AgencyQuota.objects.create(season=season, organisation=other_agency, quota=5)
    body = _nomination(0, [shift_days[0].isoformat()], organisation=agency.pk)
    response = client.post(url("nominate", season.pk), body)
    assert response.status_code == 400
    assert not Application.objects.exists()
    assert login(outsider).get(url("nominate", season.pk)).status_code == 404


# --- Coverage and the needed list ---


def test_coverage_board_counts_needed_taken_present_in_fixed_queries(
    login, coordinator, shifts, mawkibs, roles, season, volunteer, demand_for
):
    from hamafza.mawkib.services import roster

    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    roster.shift_signup(application=volunteer, demand_id=demand.pk)
    client = login(coordinator)
    client.get(url("coverage", season.pk))
    with CaptureQueriesContext(connection) as first:
        body = text(client.get(url("coverage", season.pk)))
    assert "۱/۲" in body and 'class="cell partial"' in body and 'class="cell empty"' in body
    # Twice the shifts: the same number of queries.
    from hamafza.mawkib.services.seasons import shifts_generate

    later = [d + timedelta(days=3) for d in (shifts.first_day, shifts.last_day)]
    shifts_generate(actor=coordinator, season=season, first_day=later[0], last_day=later[1])
    with CaptureQueriesContext(connection) as second:
        client.get(url("coverage", season.pk))
    assert len(second) == len(first)
    coverage_queries = [q for q in second if "mawkib_shiftdemand" in q["sql"]]
    assert len(coverage_queries) <= 2


def test_needed_now_is_public_and_names_nobody(client, shifts, season, volunteer, mawkibs):
    ShiftDemand.objects.filter(shift__starts_at__gt=timezone.now() + timedelta(hours=48)).delete()
    response = client.get(url("needed", season.pk))
    assert response.status_code == 200
    body = text(response)
    assert "موکب مرز میرجاوه" in body and "پذیرایی" in body
    assert volunteer.first_name not in body and volunteer.tracking_code not in body
    assert client.get(url("needed", 99999)).status_code == 404


def test_a_pr_manager_finds_the_nomination_page_on_the_home_page(owner, agency, season, login):
    from hamafza.mawkib.models import AgencyQuota

    AgencyQuota.objects.create(season=season, organisation=agency, quota=5)
    page = login(owner).get("/").content.decode()
    assert "معرفی خادمان برای اربعین" in page
    assert f"/mawkib/{season.pk}/nominate/" in page


@pytest.mark.slow
def test_the_coverage_board_narrows_to_one_mawkib_and_one_day(
    coordinator, season, shifts, mawkibs, shift_days, login
):
    from hamafza.persian.dates import jalali_short

    client = login(coordinator)
    whole = client.get(f"/mawkib/{season.pk}/coverage/").content.decode()
    assert "موکب مرز ریمدان" in whole and "موکب مرز میرجاوه" in whole
    one = client.get(
        f"/mawkib/{season.pk}/coverage/",
        {"mawkib": mawkibs["rimdan"].pk, "day": jalali_short(shift_days[1])},
    ).content.decode()
    assert one.count('class="day"') == 1
    assert "موکب مرز میرجاوه</h2>" not in one
