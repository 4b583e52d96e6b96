"""The applicant's own page: tracking code -> one-time code by SMS -> status, edit,
withdraw, and once approved, their own sign-up for shifts with every refusal shown."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamafza.core.sms.log import LogBackend
from hamafza.mawkib.applicant import SESSION_KEY
from hamafza.mawkib.models import (
    ApplicationOtp,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Staffing,
    WaitlistEntry,
)
from hamafza.mawkib.services import applications, roster
from hamafza.mawkib.views_public import TRACKING_KEY
from hamafza.persian.digits import to_latin_digits, to_persian_digits

TRACK = reverse("mawkib:track")
VERIFY = reverse("mawkib:track_verify")
ME = reverse("mawkib:me")


@pytest.fixture(autouse=True)
def _clean_slate(settings):
    """SMS sent at once (the immediate task backend), an empty outbox, no rate limits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    LogBackend.outbox.clear()
    cache.clear()
    yield
    LogBackend.outbox.clear()


def last_otp() -> str:
    """The six digits of the last one-time code texted (sent in Persian digits)."""
    return re.search(r"\d{6}", to_latin_digits(LogBackend.outbox[-1].text))[0]


def ask_code(client, application, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            TRACK, {"tracking_code": to_persian_digits(application.tracking_code)}
        )
    assert response.status_code == 302 and response["Location"] == VERIFY
    return last_otp()


@pytest.fixture
def enter(client, django_capture_on_commit_callbacks):
    """`enter(application)`: the whole way in, as the applicant; returns the client."""

    def go(application):
        code = ask_code(client, application, django_capture_on_commit_callbacks)
        response = client.post(VERIFY, {"code": to_persian_digits(code)})
        assert response.status_code == 302 and response["Location"] == ME
        return client

    return go


# --- One-time code ----------------------------------------------------------------------


def test_a_one_time_code_lets_the_applicant_in(
    client, volunteer, django_capture_on_commit_callbacks
):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    assert LogBackend.outbox[-1].to == volunteer.mobile
    assert client.get(ME).status_code == 302  # not in yet
    response = client.post(VERIFY, {"code": code})
    assert response["Location"] == ME
    page = client.get(ME)
    assert page.status_code == 200
    assert "پذیرفته" in page.content.decode()


def test_an_unknown_tracking_code_gets_the_same_answer_and_no_sms(client, volunteer):
    response = client.post(TRACK, {"tracking_code": "12345678"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert LogBackend.outbox == []
    assert "اگر کد رهگیری" in client.get(VERIFY).content.decode()
    refused = client.post(VERIFY, {"code": "123456"})
    assert refused.status_code == 400
    assert "درست نیست" in " ".join(refused.context["form"].errors["code"])


def test_a_malformed_tracking_code_is_refused_beside_the_field(client, db):
    response = client.post(TRACK, {"tracking_code": "۱۲۳"})
    assert response.status_code == 400
    assert response.context["form"].errors["tracking_code"] == [
        "کد رهگیری ۸ رقم است؛ آن را دوباره بنویسید."
    ]


def test_a_wrong_code_is_refused_and_counted(client, volunteer, django_capture_on_commit_callbacks):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "درست نیست" in response.content.decode()
    assert ApplicationOtp.objects.get().attempts == 1  # the count survives the refusal
    assert SESSION_KEY not in client.session


def test_five_wrong_tries_spend_the_code(client, volunteer, django_capture_on_commit_callbacks):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(applications.OTP_MAX_ATTEMPTS):
        client.post(VERIFY, {"code": wrong})
    assert client.post(VERIFY, {"code": code}).status_code == 400


def test_an_expired_code_is_refused(client, volunteer, django_capture_on_commit_callbacks):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    ApplicationOtp.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "منقضی" in response.content.decode()


def test_a_code_works_only_once(client, volunteer, django_capture_on_commit_callbacks):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    assert client.post(VERIFY, {"code": code})["Location"] == ME
    client.post(reverse("mawkib:me_leave"))
    assert client.get(ME)["Location"] == TRACK
    session = client.session
    session[TRACKING_KEY] = volunteer.tracking_code
    session.save()
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "درست نیست" in response.content.decode()
    with pytest.raises(ValidationError):
        applications.application_otp_verify(tracking_code=volunteer.tracking_code, code=code)


def test_asking_twice_within_a_minute_is_refused_the_same_way_for_any_code(client, volunteer):
    client.post(TRACK, {"tracking_code": volunteer.tracking_code})
    again = client.post(TRACK, {"tracking_code": volunteer.tracking_code})
    unknown = "12345678"
    client.post(TRACK, {"tracking_code": unknown})
    again_unknown = client.post(TRACK, {"tracking_code": unknown})
    assert again.status_code == again_unknown.status_code == 400
    assert again.context["form"].errors == again_unknown.context["form"].errors


def test_one_address_cannot_sweep_many_tracking_codes(client, db):
    for number in range(20):
        assert client.post(TRACK, {"tracking_code": f"{number:08d}"}).status_code == 302
    response = client.post(TRACK, {"tracking_code": "99999999"})
    assert response.status_code == 400
    assert "بیش از اندازه" in response.content.decode()


def test_the_applicant_session_expires(enter, volunteer):
    client = enter(volunteer)
    session = client.session
    session[f"{SESSION_KEY}_until"] = 0
    session.save()
    response = client.get(ME)
    assert response.status_code == 302 and response["Location"] == TRACK


# --- Status, edit, withdraw ------------------------------------------------------------------


def test_a_rejected_applicant_sees_the_reason(enter, volunteer):
    volunteer.status = ApplicationStatus.REJECTED
    volunteer.decision_reason = "سن کمتر از حد لازم"
    volunteer.save()
    html = enter(volunteer).get(ME).content.decode()
    assert "پذیرفته نشد" in html and "سن کمتر از حد لازم" in html
    assert reverse("mawkib:me_edit") not in html


def test_the_applicant_edits_their_application(enter, volunteer, shift_days, county):
    client = enter(volunteer)
    form = client.get(reverse("mawkib:me_edit")).context["form"]
    assert "national_code" not in form.fields
    assert form.initial["available_days"] == volunteer.available_days
    data = {
        "first_name": "علی",
        "last_name": "داوطلب",
        "mobile": "۰۹۱۲۰۰۰۰۰۰۰",
        "gender": "men",
        "birth_date": "۱۳۶۸/۱۰/۱۱",
        "county": str(county.pk),
        "origin": "public",
        "certificates": ["first_aid"],
        "languages": [],
        "skills_note": "",
        "available_days": [shift_days[0].isoformat()],
        "preferred_mawkib": "",
        "emergency_name": "همسر",
        "emergency_mobile": "09150000001",
    }
    response = client.post(reverse("mawkib:me_edit"), data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.first_name == "علی"
    assert volunteer.qualifications == ["first_aid"]
    assert volunteer.available_days == [shift_days[0].isoformat()]


def test_no_edit_or_withdrawal_after_the_edit_deadline(enter, volunteer, season):
    client = enter(volunteer)
    season.edit_deadline = timezone.now() - timedelta(minutes=1)
    season.save()
    html = client.get(ME).content.decode()
    assert reverse("mawkib:me_edit") not in html
    assert reverse("mawkib:me_withdraw") not in html
    assert "گذشته است" in client.get(reverse("mawkib:me_edit")).content.decode()
    response = client.post(reverse("mawkib:me_withdraw"))
    assert response.status_code == 400
    assert "مهلت ویرایش" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == ApplicationStatus.APPROVED


def test_withdrawing_frees_the_places(enter, volunteer, shifts, mawkibs, roles, demand_for):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    held = roster.shift_signup(application=volunteer, demand_id=demand.pk)
    client = enter(volunteer)
    response = client.post(reverse("mawkib:me_withdraw"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    held.refresh_from_db()
    assert volunteer.status == ApplicationStatus.WITHDRAWN
    assert held.status == AssignmentStatus.CANCELLED
    assert "انصراف داده‌اید" in client.get(ME).content.decode()


# --- Shifts ----------------------------------------------------------------------------


def test_an_approved_volunteer_sees_only_places_that_fit_them(
    enter, volunteer, shifts, mawkibs, roles, demand_for
):
    response = enter(volunteer).get(ME)
    places = [
        p
        for day in response.context["days"]
        for m in day["mawkibs"]
        for s in m["shifts"]
        for p in s["places"]
    ]
    # A man with no certificates: serving in the men's section only (no cooking, first aid
    # or women's places), 3 mawkibs x 2 shifts x 3 days.
    assert {(p.role.code, p.gender) for p in places} == {("serving", Staffing.MEN)}
    assert len(places) == 18
    assert len(response.context["days"]) == 3
    assert all(p.free == 2 for p in places)
    html = response.content.decode()
    assert "۲ جای خالی از ۲" in html
    assert "موکب مرز ریمدان" in html


def test_the_applicant_page_preloads_what_it_shows(
    enter, volunteer, shifts, mawkibs, roles, demand_for, django_assert_max_num_queries
):
    client = enter(volunteer)
    for day in range(2):
        roster.shift_signup(
            application=volunteer,
            demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN, day).pk,
        )
    with django_assert_max_num_queries(8):
        client.get(ME)


def test_a_pending_applicant_sees_no_places(enter, make_application, season, shifts, shift_days):
    person = make_application(
        season, 1, status=ApplicationStatus.PENDING, days=[d.isoformat() for d in shift_days]
    )
    response = enter(person).get(ME)
    assert response.context["days"] == []
    assert "در انتظار بررسی" in response.content.decode()


def test_the_volunteer_signs_up_and_sees_the_shift_in_their_list(
    enter, volunteer, shifts, mawkibs, roles, demand_for
):
    demand = demand_for(mawkibs["imam-reza"], roles["serving"], Staffing.MEN)
    client = enter(volunteer)
    response = client.post(reverse("mawkib:me_signup", args=[demand.pk]))
    assert response.status_code == 302
    assignment = Assignment.objects.get(application=volunteer)
    assert assignment.demand == demand
    html = client.get(ME).content.decode()
    assert "این نوبت برای شما ثبت شد." in html
    assert f'id="assignment-{assignment.pk}"' in html
    assert "در این نوبت جا دارید" in html


def test_a_refused_sign_up_shows_why_beside_the_place(
    enter, volunteer, shifts, mawkibs, roles, demand_for
):
    roster.shift_signup(
        application=volunteer,
        demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN).pk,
    )
    elsewhere = demand_for(mawkibs["rimdan"], roles["serving"], Staffing.MEN)
    response = enter(volunteer).post(reverse("mawkib:me_signup", args=[elsewhere.pk]))
    assert response.status_code == 400
    assert response.context["refusal"]["code"] == "overlap"
    html = response.content.decode()
    assert "هم‌زمان است" in html and "موکب مرز میرجاوه" in html


def test_a_place_in_the_wrong_section_is_refused(
    enter, volunteer, shifts, mawkibs, roles, demand_for
):
    womens = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.WOMEN)
    response = enter(volunteer).post(reverse("mawkib:me_signup", args=[womens.pk]))
    assert response.status_code == 400
    # Not a place offered to him, so the reason is shown at the top of the page.
    assert response.context["refusal"]["beside"] is False
    assert "بخش بانوان" in response.content.decode()


def test_a_full_place_offers_the_waiting_list(
    enter, volunteer, shifts, mawkibs, roles, season, shift_days, make_application, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    days = [d.isoformat() for d in shift_days]
    for index in (1, 2):
        roster.shift_signup(
            application=make_application(season, index, days=days), demand_id=demand.pk
        )
    client = enter(volunteer)
    response = client.post(reverse("mawkib:me_signup", args=[demand.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "پر است" in html
    assert reverse("mawkib:me_waitlist", args=[demand.pk]) in html
    assert client.post(reverse("mawkib:me_waitlist", args=[demand.pk])).status_code == 302
    assert WaitlistEntry.objects.filter(demand=demand, application=volunteer).exists()
    assert "در فهرست انتظار" in client.get(ME).content.decode()


def test_the_waiting_list_is_only_for_full_places(
    enter, volunteer, shifts, mawkibs, roles, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    response = enter(volunteer).post(reverse("mawkib:me_waitlist", args=[demand.pk]))
    assert response.status_code == 400
    assert "جای خالی دارد" in response.content.decode()


def test_the_volunteer_cancels_their_place(enter, volunteer, shifts, mawkibs, roles, demand_for):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    held = roster.shift_signup(application=volunteer, demand_id=demand.pk)
    client = enter(volunteer)
    assert client.post(reverse("mawkib:me_cancel", args=[held.pk])).status_code == 302
    held.refresh_from_db()
    assert held.status == AssignmentStatus.CANCELLED


def test_a_place_that_is_not_theirs_cannot_be_cancelled(
    enter, volunteer, shifts, mawkibs, roles, season, shift_days, make_application, demand_for
):
    other = make_application(season, 1, days=[d.isoformat() for d in shift_days])
    theirs = roster.shift_signup(
        application=other,
        demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN).pk,
    )
    response = enter(volunteer).post(reverse("mawkib:me_cancel", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.ASSIGNED


def test_an_unknown_place_is_not_found(enter, volunteer, shifts):
    assert enter(volunteer).post(reverse("mawkib:me_signup", args=[999999])).status_code == 404


def test_place_actions_need_the_applicant_session(
    client, volunteer, shifts, mawkibs, roles, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    response = client.post(reverse("mawkib:me_signup", args=[demand.pk]))
    assert response.status_code == 302 and response["Location"] == TRACK
    assert not Assignment.objects.exists()


def test_guessing_one_time_codes_is_cut_off(client, volunteer, django_capture_on_commit_callbacks):
    code = ask_code(client, volunteer, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _try in range(10):
        client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "بیش از اندازه" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("mawkib:me", [], "get"),
        ("mawkib:me_edit", [], "get"),
        ("mawkib:me_edit", [], "post"),
        ("mawkib:me_withdraw", [], "post"),
        ("mawkib:me_waitlist", [1], "post"),
        ("mawkib:me_cancel", [1], "post"),
    ],
)
def test_the_applicant_pages_need_the_tracking_code_session(client, volunteer, name, args, method):
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"] == TRACK
    volunteer.refresh_from_db()
    assert volunteer.status == ApplicationStatus.APPROVED


def test_a_days_wrong_tries_are_capped_across_fresh_codes(season, make_application):
    from datetime import timedelta

    from django.utils import timezone

    from hamafza.mawkib.models import ApplicationOtp
    from hamafza.mawkib.services import applications as services

    application = make_application(season, 3)
    # Three codes already spent on wrong guesses today (5 each).
    for _ in range(3):
        ApplicationOtp.objects.create(
            application=application,
            code_hash="x",
            attempts=5,
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    services.ApplicationOtp.objects.create(
        application=application,
        code_hash=services._hash("123456"),
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    with pytest.raises(ValidationError):  # even the right code waits for tomorrow
        services.application_otp_verify(tracking_code=application.tracking_code, code="123456")


def test_the_one_time_code_is_not_kept_in_the_task_queue(
    season, make_application, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from hamafza.mawkib.services import applications as services

    application = make_application(season, 4)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_otp_send(tracking_code=application.tracking_code)
    assert not DBTaskResult.objects.exists()
