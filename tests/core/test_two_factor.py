"""Two-factor sign-in: any staff member turns it on with an authenticator app, the second
step holds every page (the Django admin and the session API too), recovery codes work
once, a network admin may require it for the guarded roles (never of a demo account),
and an API token asks for a recent second step."""

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamafza.core import two_factor
from hamafza.core.models import ApiToken
from hamafza.network.models import Role, TwoFactorRequirement
from tests.conftest import sign_in_through_the_form

SETUP = "/account/two-factor/"
VERIFY = "/account/two-factor/verify/"


def app_code(device: TOTPDevice, *, later: int = 0) -> str:
    """What the phone's app shows now (or `later` steps on, for a second fresh code)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - later * device.step):06d}"


def turn_on(client) -> tuple[TOTPDevice, list[str]]:
    page = client.post(SETUP, {"action": "start"}).content.decode()
    assert "<svg" in page  # the QR code, drawn here, not fetched from anywhere
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post(SETUP, {"action": "confirm", "code": app_code(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def with_two_factor(client, member, password):
    """The member, with the second factor on, signed out again."""
    assert sign_in_through_the_form(client, "member", password)
    device, codes = turn_on(client)
    client.post("/logout/")
    return device, codes


def test_turning_it_on_takes_the_first_code_and_shows_ten_recovery_codes(login, member):
    client = login(member)
    client.post(SETUP, {"action": "start"})
    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and not two_factor.is_on(member)

    device, codes = turn_on(client)

    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200  # this session has just given the code


def test_the_second_step_holds_every_page_until_the_code(client, member, password, with_two_factor):
    device, _codes = with_two_factor
    member.is_staff = True
    member.save()
    assert sign_in_through_the_form(client, "member", password)

    for path in ("/", "/publishing/", "/admin/", "/network/organisations/"):
        held = client.get(path)
        assert held.status_code == 302 and held["Location"].startswith(VERIFY), path
    assert client.get("/api/network/organisations").status_code == 403

    response = client.post(VERIFY + "?next=/publishing/", {"code": app_code(device, later=1)})
    assert response.status_code == 302 and response["Location"] == "/publishing/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, member, password, with_two_factor):
    _device, codes = with_two_factor
    assert sign_in_through_the_form(client, "member", password)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    client.post("/logout/")

    assert sign_in_through_the_form(client, "member", password)
    again = client.post(VERIFY, {"code": codes[0]})

    assert again.status_code == 400
    assert client.get("/").status_code == 302


def test_wrong_codes_slow_the_next_tries(client, member, password, with_two_factor):
    device, _codes = with_two_factor
    assert sign_in_through_the_form(client, "member", password)
    for _ in range(3):
        client.post(VERIFY, {"code": "123456"})

    right_but_too_soon = client.post(VERIFY, {"code": app_code(device, later=1)})

    assert right_but_too_soon.status_code == 400


def test_a_network_admin_requires_it_for_pr_managers_and_they_cannot_turn_it_off(
    client, login, admin_user, owner, password
):
    response = login(admin_user).post("/network/security/", {"roles": [Role.PR_MANAGER]})
    assert response.status_code == 302
    client.logout()

    assert sign_in_through_the_form(client, "owner", password)
    held = client.get("/")
    assert held.status_code == 302 and held["Location"].startswith(SETUP)
    assert "لازم می‌دانند" in client.get(SETUP).content.decode()
    device, _codes = turn_on(client)
    assert client.get("/").status_code == 200
    refused = client.post(SETUP, {"action": "disable", "code": app_code(device, later=1)})
    assert refused.status_code == 400 and two_factor.is_on(owner)


def test_only_a_network_admin_sets_the_requirement_and_only_for_guarded_roles(
    login, admin_user, owner
):
    assert login(owner).post("/network/security/", {"roles": [Role.PR_MANAGER]}).status_code == 403
    refused = login(admin_user).post("/network/security/", {"roles": [Role.EDITOR]})
    assert refused.status_code == 200 and "roles" in refused.context["form"].errors
    assert not TwoFactorRequirement.objects.exists()


def test_a_demo_account_is_never_held(client, login, admin_user, owner, password):
    login(admin_user).post("/network/security/", {"roles": [Role.PR_MANAGER]})
    client.logout()
    owner.is_demo_account = True
    owner.save()

    assert sign_in_through_the_form(client, "owner", password)
    assert client.get("/").status_code == 200


def test_an_api_token_asks_for_a_recent_second_step(client, member, password, with_two_factor):
    device, _codes = with_two_factor
    assert sign_in_through_the_form(client, "member", password)
    client.post(VERIFY, {"code": app_code(device, later=1)})
    session = client.session
    session[two_factor.VERIFIED_AT_KEY] = time.time() - two_factor.RECENT_SECONDS - 1
    session.save()

    stale = client.post("/account/api-tokens/", {"name": "گزارش‌ها"})

    assert stale.status_code == 302 and stale["Location"].startswith(VERIFY)
    assert not ApiToken.objects.exists()
    client.post(VERIFY + "?next=/account/api-tokens/", {"code": app_code(device, later=2)})
    assert client.post("/account/api-tokens/", {"name": "گزارش‌ها"}).status_code == 200
    assert ApiToken.objects.count() == 1


def test_a_password_alone_cannot_enrol_a_new_app(client, member, password, with_two_factor):
    device, _codes = with_two_factor
    assert sign_in_through_the_form(client, "member", password)

    start = client.post(SETUP, {"action": "start"})
    sneaky = TOTPDevice.objects.filter(confirmed=False).first()

    assert start.status_code == 302 and start["Location"].startswith(VERIFY)
    assert sneaky is None
    assert list(TOTPDevice.objects.filter(confirmed=True)) == [device]
    assert client.get("/").status_code == 302  # still held at the second step


def test_a_forced_password_change_and_a_required_second_factor_do_not_loop(
    client, login, admin_user, agency
):
    login(admin_user).post("/network/security/", {"roles": [Role.PR_MANAGER]})
    login(admin_user).post(
        "/network/people/new/",
        {
            "username": "navid",
            "first_name": "نوید",
            "last_name": "ریگی",
            "password": "Chosen-by-admin-1405",
            "organisation": agency.pk,
            "role": "pr_manager",
        },
    )
    client.logout()
    assert sign_in_through_the_form(client, "navid", "Chosen-by-admin-1405")

    first = client.get("/")
    assert first["Location"].startswith(SETUP)  # the second factor comes first
    assert client.get(first["Location"]).status_code == 200
    turn_on(client)
    assert client.get("/")["Location"] == "/password/"
    assert client.get("/password/").status_code == 200


def test_the_verify_page_lets_go_when_the_factor_was_turned_off_elsewhere(
    client, member, password, with_two_factor
):
    assert sign_in_through_the_form(client, "member", password)
    TOTPDevice.objects.all().delete()  # turned off in another session

    response = client.get(VERIFY + "?next=/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
