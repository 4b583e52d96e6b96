"""«Forgot my password»: a one-time link by e-mail and a one-time code by SMS to what is on
file, the same answer for a username that does not exist, and limits on both."""

import re

import pytest
from django.core import mail

from hamafza.core.sms.log import LogBackend
from hamafza.persian.digits import to_latin_digits
from tests.conftest import make_user, sign_in_through_the_form

FORGOT = "/password/forgot/"
CODE = "/password/forgot/code/"
NEW = "A-fresh-password-1405"


@pytest.fixture(autouse=True)
def _empty_outbox():
    LogBackend.outbox.clear()
    yield
    LogBackend.outbox.clear()


@pytest.fixture
def person(db):
    return make_user("leila", mobile="09151112233", email="leila@example.ir")


def texted_code() -> str:
    return re.search(r"\d{6}", to_latin_digits(LogBackend.outbox[-1].text))[0]


def reset_by_code(client, code, password=NEW):
    return client.post(CODE, {"code": code, "new_password1": password, "new_password2": password})


def test_a_known_and_an_unknown_username_get_the_same_pages(client, person):
    known = client.post(FORGOT, {"username": "leila"})
    known_page = client.get(CODE).content.decode()
    stranger = client.post(FORGOT, {"username": "nobody-here"})
    stranger_page = client.get(CODE).content.decode()

    assert known.status_code == stranger.status_code == 302
    assert known["Location"] == stranger["Location"] == CODE
    strip = lambda html: re.sub(r'value="[^"]{40,}"', "", html)  # noqa: E731  (CSRF tokens)
    assert strip(known_page) == strip(stranger_page)
    assert len(LogBackend.outbox) == 1 and len(mail.outbox) == 1  # only for the real one


def test_the_texted_code_sets_a_new_password_once(client, person):
    client.post(FORGOT, {"username": "LEILA "})
    code = texted_code()

    assert reset_by_code(client, code).status_code == 302
    assert sign_in_through_the_form(client, "leila", NEW)
    client.logout()
    client.post(FORGOT, {"username": "leila"})  # a fresh request has a fresh code
    assert reset_by_code(client, code, "Another-one-1405").status_code == 400


def test_five_wrong_codes_close_the_code_even_for_the_right_one(client, person):
    client.post(FORGOT, {"username": "leila"})
    code = texted_code()
    for wrong in range(5):
        assert (
            reset_by_code(
                client, f"{wrong:06d}" if f"{wrong:06d}" != code else "999999"
            ).status_code
            == 400
        )

    response = reset_by_code(client, code)

    assert response.status_code == 400 and "درست نیست" in response.content.decode()
    person.refresh_from_db()
    assert not person.check_password(NEW)


def test_a_weak_new_password_is_refused_in_persian(client, person):
    client.post(FORGOT, {"username": "leila"})

    response = reset_by_code(client, texted_code(), "12345678")

    assert response.status_code == 400 and "رایج" in response.content.decode()


def test_the_emailed_link_works_once(client, person):
    client.post(FORGOT, {"username": "leila"})
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body)[1]

    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})

    assert done.status_code == 302
    assert sign_in_through_the_form(client, "leila", NEW)
    client.logout()
    again = client.get(link, follow=True)
    assert "دیگر کار نمی‌کند" in again.content.decode()


def test_asking_again_and_again_sends_three_times_an_hour(client, person):
    for _ in range(6):
        client.post(FORGOT, {"username": "leila"})

    assert len(LogBackend.outbox) == 3 and len(mail.outbox) == 3


def test_the_reset_code_goes_by_its_own_template(client, person, kavenegar, settings):
    settings.KAVENEGAR_TEMPLATES = "application=hamafza-application,reset=hamafza-reset"
    kavenegar.templates = None  # any template is approved

    client.post(FORGOT, {"username": "leila"})

    [sms] = kavenegar.sent
    assert sms["template"] == "hamafza-reset" and sms["receptor"] == "09151112233"


def test_a_new_password_like_the_name_answers_a_stranger_and_a_person_alike(client, person):
    person.first_name = "leilakarimi"
    person.save()
    answers = []
    for username in ("leila", "nobody-at-all"):
        client.post(FORGOT, {"username": username})
        response = reset_by_code(client, "000000", "leilakarimi1")
        answers.append((response.status_code, response.context["form"].errors))
    assert answers[0] == answers[1]


def test_guesses_from_several_sessions_share_one_count(client, person):
    from django.test import Client

    other = Client()
    client.post(FORGOT, {"username": "leila"})
    other.post(FORGOT, {"username": "leila"})
    code = texted_code()  # the last one asked for: the other session's
    for _ in range(3):
        reset_by_code(client, "999999" if code != "999999" else "999998")
        reset_by_code(other, "999999" if code != "999999" else "999998")

    assert reset_by_code(other, code).status_code == 400  # six wrong tries for leila
