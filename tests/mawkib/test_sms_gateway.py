"""The applicant's SMS through the Kavenegar client, with a local Kavenegar standing in:
the tracking code goes as a notice rendered by the worker (no queue row holds it), the
one-time code goes at once by template, and a busy or broken gateway is told in Persian."""

import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hamafza.core.models import SmsAccountAlert, SmsNotice
from hamafza.mawkib.models import Application, ApplicationOtp
from hamafza.mawkib.services import applications
from hamafza.persian.digits import to_persian_digits
from tests.conftest import queued_rows_text, run_worker
from tests.mawkib.test_public_apply import form_data

TRACK = reverse("mawkib:track")


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_the_tracking_code_is_rendered_by_the_worker_and_held_by_no_row(
    kavenegar, client, season, county
):
    days = applications.season_service_days(season)[:2]
    response = client.post(reverse("mawkib:apply"), form_data(county, days))
    assert response.status_code == 302
    application = Application.objects.get()
    code = application.tracking_code
    assert code not in queued_rows_text() and to_persian_digits(code) not in queued_rows_text()
    assert kavenegar.sent == []  # queued, not sent from the request

    run_worker()

    [sms] = kavenegar.sent
    assert sms["receptor"] == application.mobile and to_persian_digits(code) in sms["message"]
    assert SmsNotice.objects.get().state == "sent"
    assert code not in queued_rows_text()


def test_a_one_time_code_goes_at_once_by_template_and_is_kept_only_hashed(
    kavenegar, client, volunteer
):
    response = client.post(TRACK, {"tracking_code": volunteer.tracking_code})

    assert response.status_code == 302
    [sms] = kavenegar.sent
    assert sms["template"] == "hamafza-application" and sms["receptor"] == volunteer.mobile
    assert sms["token"].isdigit() and len(sms["token"]) == 6
    assert DBTaskResult.objects.count() == 0 and SmsNotice.objects.count() == 0
    stored = ApplicationOtp.objects.get().code_hash
    assert sms["token"] not in stored
    assert stored != hashlib.sha256(sms["token"].encode()).hexdigest()  # keyed, not plain


def test_a_number_the_gateway_refuses_gets_the_same_answer_as_a_sent_code(
    kavenegar, client, volunteer
):
    Application.objects.filter(pk=volunteer.pk).update(mobile="09100")

    response = client.post(TRACK, {"tracking_code": volunteer.tracking_code})
    unknown = client.post(TRACK, {"tracking_code": "99999999"})

    assert response.status_code == unknown.status_code == 302
    assert response["Location"] == unknown["Location"]


def test_a_busy_gateway_is_tried_once_more_within_the_request(kavenegar, client, volunteer):
    kavenegar.fail_next("409")

    response = client.post(TRACK, {"tracking_code": volunteer.tracking_code})

    assert response.status_code == 302 and len(kavenegar.sent) == 1
    assert len(kavenegar.calls_to("verify/lookup")) == 2


def test_a_gateway_still_busy_asks_to_try_again_in_a_minute_and_forgets_the_code(
    kavenegar, client, volunteer
):
    kavenegar.fail_next("451", n=2)

    response = client.post(TRACK, {"tracking_code": volunteer.tracking_code})

    assert response.status_code == 400
    assert "یک دقیقه دیگر دوباره بخواهید" in response.content.decode()
    assert not ApplicationOtp.objects.exists()  # it reached nobody


def test_a_broken_key_refuses_the_code_in_persian_and_opens_an_alert(
    kavenegar, client, volunteer, settings
):
    settings.KAVENEGAR_API_KEY = "revoked-kavenegar-key-000"

    response = client.post(TRACK, {"tracking_code": volunteer.tracking_code})

    assert response.status_code == 400
    page = response.content.decode()
    assert "مدیران سامانه باخبر شده‌اند" in page
    assert response.context["form"].errors == {
        "__all__": response.context["form"].non_field_errors()
    }
    assert SmsAccountAlert.objects.get().kind == "credentials"
    assert kavenegar.sent == []


@pytest.mark.parametrize("trouble", ["busy", "broken key"])
def test_while_the_gateway_takes_nothing_a_made_up_code_gets_the_same_answer(
    kavenegar, client, volunteer, settings, trouble
):
    if trouble == "busy":
        kavenegar.fail_next("409", n=2)
    else:
        settings.KAVENEGAR_API_KEY = "revoked-kavenegar-key-000"

    real = client.post(TRACK, {"tracking_code": volunteer.tracking_code})
    made_up = client.post(TRACK, {"tracking_code": "11223344"})

    assert real.status_code == made_up.status_code == 400
    assert real.context["form"].errors == made_up.context["form"].errors


def test_a_code_that_did_not_go_can_be_asked_for_again_at_once(kavenegar, client, volunteer):
    kavenegar.fail_next("409", n=2)
    assert client.post(TRACK, {"tracking_code": volunteer.tracking_code}).status_code == 400
    cache.delete("core:sms:busy")  # a minute later

    again = client.post(TRACK, {"tracking_code": volunteer.tracking_code})

    assert again.status_code == 302 and len(kavenegar.sent) == 1
