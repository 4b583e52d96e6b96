"""The public readiness form: no account, Persian digits accepted, every refusal beside its
field, one application per person per season, the tracking code on screen and by SMS."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hamafza.core.models import AuditEntry, SmsNotice
from hamafza.core.sms.log import LogBackend
from hamafza.mawkib.models import Application, ApplicationStatus
from hamafza.mawkib.services import applications
from hamafza.persian.digits import to_persian_digits

APPLY = reverse("mawkib:apply")


@pytest.fixture(autouse=True)
def _clean_slate(settings):
    """SMS sent at once (the immediate task backend), an empty outbox, no rate limits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    LogBackend.outbox.clear()
    cache.clear()
    yield
    LogBackend.outbox.clear()


def form_data(county, days, **changes) -> dict:
    """A complete form, typed the way a Persian keyboard types it."""
    data = {
        "first_name": "محمد",
        "last_name": "ریگی",
        "national_code": "۰۰۱۳۵۴۲۴۱۹",
        "mobile": "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "gender": "men",
        "birth_date": "۱۳۷۰/۰۱/۱۵",
        "county": str(county.pk),
        "origin": "public",
        "certificates": ["health_card"],
        "languages": ["urdu"],
        "skills_note": "آشپز رستوران",
        "available_days": [d.isoformat() for d in days],
        "preferred_mawkib": "",
        "emergency_name": "پدر",
        "emergency_mobile": "٠٩١٥٠٠٠٠٠٠٠",  # Arabic digits
        "consent": "on",
    }
    data.update(changes)
    return data


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.fixture
def days(season):
    return applications.season_service_days(season)[:2]


def test_the_form_offers_the_ten_days_before_arbaeen_and_five_after_when_no_shift_exists(
    client, season, mawkibs
):
    response = client.get(APPLY)
    assert response.status_code == 200
    form = response.context["form"]
    choices = form.fields["available_days"].choices
    assert len(choices) == 16
    assert choices[10][0] == season.arbaeen.isoformat()
    assert "مرداد" in choices[10][1]  # Jalali, with the weekday
    assert choices[10][1].split()[0] in (
        "شنبه",
        "یکشنبه",
        "دوشنبه",
        "سه\u200cشنبه",
        "چهارشنبه",
        "پنج\u200cشنبه",
        "جمعه",
    )
    assert list(form.fields["preferred_mawkib"].queryset) == sorted(
        mawkibs.values(), key=lambda m: m.name
    )


def test_the_form_offers_the_season_shift_days_once_shifts_exist(
    client, season, shifts, shift_days
):
    choices = client.get(APPLY).context["form"].fields["available_days"].choices
    assert [value for value, _label in choices] == [d.isoformat() for d in shift_days]


def test_persian_and_arabic_digits_are_accepted_and_the_tracking_code_goes_only_by_sms(
    client, county, season, days, mawkibs
):
    data = form_data(county, days, preferred_mawkib=str(mawkibs["rimdan"].pk))
    response = client.post(APPLY, data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.national_code == "0013542419"
    assert application.mobile == "09123456789"
    assert application.emergency_mobile == "09150000000"
    assert application.qualifications == ["health_card", "urdu"]
    assert application.organisation is None
    assert application.preferred_mawkib == mawkibs["rimdan"]
    assert application.status == ApplicationStatus.PENDING
    done = client.get(response["Location"]).content.decode()
    assert "کد رهگیری به همراهی که ثبت شده است پیامک شد" in done
    assert to_persian_digits(application.tracking_code) not in done
    assert application.tracking_code not in done


def test_the_tracking_code_goes_out_by_sms_after_commit(
    client, county, season, days, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(APPLY, form_data(county, days))
    assert len(callbacks) == 1
    application = Application.objects.get()
    [sms] = LogBackend.outbox
    assert sms.to == "09123456789"
    assert to_persian_digits(application.tracking_code) in sms.text


def test_a_wrong_national_code_is_refused_beside_its_field_and_nothing_is_lost(
    client, county, season, days
):
    response = client.post(APPLY, form_data(county, days, national_code="۱۲۳۴۵۶۷۸۹۰"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["national_code"] == ["کد ملی معتبر نیست."]
    assert list(form.errors) == ["national_code"]
    html = response.content.decode()
    assert 'id="id_national_code_error"' in html
    assert 'value="محمد"' in html and 'value="ریگی"' in html
    assert "checked" in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"national_code": "۱۲۳"}, "national_code", "کد ملی باید ۱۰ رقم باشد."),
        ({"mobile": "۱۲۳۴"}, "mobile", "شمارهٔ موبایل معتبر نیست"),
        ({"birth_date": "۱۴۰۰/۱۳/۰۱"}, "birth_date", "ماه ۱۳ وجود ندارد"),
        ({"available_days": []}, "available_days", "دست‌کم یک روز آمادگی را برگزینید."),
        ({"consent": ""}, "consent", "شرایط حریم خصوصی را بپذیرید"),
        ({"origin": "agency"}, "organisation", "دستگاه یا نهادی"),
        ({"emergency_mobile": "09123456789"}, "emergency_mobile", "کس دیگری"),
        # The service's rule: too young to serve.
        ({"birth_date": "۱۴۰۰/۰۱/۰۱"}, "birth_date", "دست‌کم ۱۵ سال"),
    ],
)
def test_each_refusal_is_a_persian_message_beside_its_field(
    client, county, season, days, changes, field, message
):
    response = client.post(APPLY, form_data(county, days, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Application.objects.exists()


def test_an_affiliated_agency_is_recorded(client, county, season, days, agency):
    client.post(APPLY, form_data(county, days, origin="agency", organisation=str(agency.pk)))
    assert Application.objects.get().organisation == agency


@pytest.mark.parametrize(
    "status", [ApplicationStatus.PENDING, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN]
)
def test_applying_again_changes_nothing_and_reminds_the_registered_mobile(
    client, county, season, days, status, django_capture_on_commit_callbacks
):
    """A national code is no secret: typing someone's again (even with their mobile)
    neither changes their application nor shows its tracking code."""
    client.post(APPLY, form_data(county, days))
    Application.objects.update(status=status)
    SmsNotice.objects.update(created_at=timezone.now() - applications.REMINDER_GAP)
    LogBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            APPLY,
            form_data(
                county, days, national_code="0013542419", first_name="محمدرضا", gender="women"
            ),
        )
    assert response.status_code == 302
    again = Application.objects.get()
    assert (again.first_name, again.gender, again.status) == ("محمد", "men", status)
    done = client.get(response["Location"]).content.decode()
    assert "کد رهگیری به همراهی که ثبت شده است پیامک شد" in done
    assert "پیش‌تر" not in done and "محمدرضا" not in done
    assert to_persian_digits(again.tracking_code) not in done
    [sms] = LogBackend.outbox
    assert sms.to == "09123456789"  # the mobile on file, not one typed now
    assert to_persian_digits(again.tracking_code) in sms.text
    assert AuditEntry.objects.filter(action="mawkib.application.reminded").count() == 1


def test_a_closed_season_says_when_sign_up_opens(client, season):
    now = timezone.now()
    season.signup_opens_at = now + timedelta(days=3)
    season.signup_closes_at = now + timedelta(days=20)
    season.save()
    response = client.get(APPLY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "باز نیست" in html and "آغاز می‌شود" in html
    assert "form" not in response.context


def test_with_no_season_at_all_the_page_says_sign_up_is_not_open(client, db):
    html = client.get(APPLY).content.decode()
    assert "هنوز اعلام نشده" in html


def test_the_privacy_page_says_what_is_kept_and_that_no_id_image_is_taken(client, db):
    html = client.get(reverse("mawkib:privacy")).content.decode()
    assert "کد ملی" in html and "هماهنگ‌کنندگان" in html and "دو سال" in html
    assert "تصویر کارت ملی" in html


def test_the_form_links_the_privacy_terms_and_labels_every_field(client, season):
    html = client.get(APPLY).content.decode()
    assert reverse("mawkib:privacy") in html
    for name in ("first_name", "national_code", "mobile", "birth_date", "emergency_mobile"):
        assert f'for="id_{name}"' in html
    assert "<legend>روزهایی که می‌توانید خدمت کنید</legend>" in html


def test_a_new_and_an_existing_national_code_get_the_same_page(
    client, county, season, days, django_capture_on_commit_callbacks
):
    first = client.post(APPLY, form_data(county, days))
    new_page = client.get(first["Location"]).content.decode()
    again = client.post(APPLY, form_data(county, days, first_name="دیگری"))
    old_page = client.get(again["Location"]).content.decode()

    assert first.status_code == again.status_code == 302
    assert without_csrf(new_page) == without_csrf(old_page)


@pytest.mark.slow
def test_someone_elses_national_code_cannot_flood_their_phone(
    client, county, season, days, django_capture_on_commit_callbacks
):
    """13 posts in a second gave 13 SMS: now the first, and one reminder within the
    10-minute gap."""
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(13):
            client.post(APPLY, form_data(county, days))

    assert len(LogBackend.outbox) == 1  # the first application's own SMS only
    assert AuditEntry.objects.filter(action="mawkib.application.reminded").count() == 0


def test_reminders_are_capped_per_day(
    client, county, season, days, django_capture_on_commit_callbacks, settings
):
    client.post(APPLY, form_data(county, days))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            SmsNotice.objects.update(created_at=timezone.now() - timedelta(minutes=11))
            client.post(APPLY, form_data(county, days))
    reminders = AuditEntry.objects.filter(action="mawkib.application.reminded").count()
    assert reminders == applications.REMINDERS_PER_DAY - 1  # the first SMS counts too


def test_lost_tracking_code_answers_the_same_and_sends_only_to_the_mobile_on_file(
    client, county, season, days, django_capture_on_commit_callbacks
):
    lost = reverse("mawkib:track_lost")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, form_data(county, days))
    LogBackend.outbox.clear()
    SmsNotice.objects.update(created_at=timezone.now() - timedelta(minutes=11))

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(lost, {"national_code": "۰۰۱۳۵۴۲۴۱۹"})
        unknown = client.post(lost, {"national_code": "3620017840"})

    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content.decode()) == without_csrf(unknown.content.decode())
    [sms] = LogBackend.outbox
    assert sms.to == "09123456789"
    assert to_persian_digits(Application.objects.get().tracking_code) in sms.text
    bad = client.post(lost, {"national_code": "۱۲۳"})
    assert bad.status_code == 400 and "کد ملی" in bad.content.decode()
