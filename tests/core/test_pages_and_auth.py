"""The audit log page, the policy's refusals, API tokens and the Persian error pages."""

from datetime import datetime

import pytest
from django.utils import timezone

from hamafza.core.audit import audit
from hamafza.core.models import ApiToken, AuditEntry
from hamafza.core.permissions import can
from hamafza.persian.dates import TEHRAN

# --- the audit log ------------------------------------------------------------------------


def entry(action, actor, when):
    made = audit(actor=actor, action=action)
    AuditEntry.objects.filter(pk=made.pk).update(created_at=when)
    return made


@pytest.fixture
def entries(admin_user, owner):
    # 17 Mordad 1405 = 8 August 2026. 00:15 on the 18th in Tehran is 20:45 UTC on the
    # 8th: a filter counting UTC days would put it on the 17th.
    entry("network.channel.created", owner, datetime(2026, 8, 8, 23, 30, tzinfo=TEHRAN))
    entry("network.organisation.updated", admin_user, datetime(2026, 8, 8, 9, 0, tzinfo=TEHRAN))
    entry("network.channel.updated", owner, datetime(2026, 8, 9, 0, 15, tzinfo=TEHRAN))


def test_network_admin_browses_the_audit_log(login, admin_user, entries):
    response = login(admin_user).get("/audit/")

    assert response.status_code == 200
    assert "گزارش ممیزی" in response.content.decode()
    page = response.content.decode().split("<tbody>", 1)[1]  # the entries, not the filter
    assert "network.channel.created" in page
    assert "network.organisation.updated" in page
    assert "۱۷ مرداد ۱۴۰۵، ساعت ۲۳:۳۰" in page
    assert "زهرا نارویی" in page  # the actor, by name


def test_audit_log_filters_by_an_action_or_an_app(login, admin_user, entries):
    client = login(admin_user)
    page = (
        client.get("/audit/", {"action": "network.channel.created"})
        .content.decode()
        .split("<tbody>", 1)[1]
    )

    assert "network.channel.created" in page
    assert "network.channel.updated" not in page
    assert "network.organisation.updated" not in page

    page = client.get("/audit/", {"action": "network."}).content.decode().split("<tbody>", 1)[1]
    assert "network.channel.updated" in page and "network.organisation.updated" in page


def test_audit_log_filters_by_jalali_day_in_tehran_time(login, admin_user, entries):
    page = (
        login(admin_user)
        .get("/audit/", {"since": "۱۴۰۵/۰۵/۱۷", "until": "۱۴۰۵/۰۵/۱۷"})
        .content.decode()
        .split("<tbody>", 1)[1]
    )

    assert "network.channel.created" in page  # 23:30 on the 17th, Tehran
    assert "network.organisation.updated" in page
    assert "network.channel.updated" not in page  # 00:15 on the 18th, Tehran


def test_audit_log_filter_by_action_and_date_together(login, admin_user, entries):
    page = (
        login(admin_user)
        .get("/audit/", {"action": "network.channel.updated", "since": "1405/05/18"})
        .content.decode()
        .split("<tbody>", 1)[1]
    )

    assert "network.channel.updated" in page
    assert "network.channel.created" not in page
    assert "network.organisation.updated" not in page


def test_audit_log_with_a_bad_date_says_so_in_persian(login, admin_user, entries):
    response = login(admin_user).get("/audit/", {"since": "۱۴۰۴/۱۲/۳۰"})

    assert response.status_code == 200
    assert "وجود ندارد" in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "member", "outsider"])
def test_audit_log_is_forbidden_to_everyone_but_network_admins(login, request, who):
    response = login(request.getfixturevalue(who)).get("/audit/")

    assert response.status_code == 403
    assert "دسترسی ندارید" in response.content.decode()


def test_core_decides_the_audit_log_alone_when_no_app_names_its_readers(
    login, admin_user, django_user_model, monkeypatch
):
    from hamafza.core import audit as audit_module

    monkeypatch.setattr(audit_module, "_readers", None)  # as if the network were not there
    superuser = django_user_model.objects.create_superuser("root", password="x")

    assert login(admin_user).get("/audit/").status_code == 403
    assert login(superuser).get("/audit/").status_code == 200


def test_the_sign_in_page_offers_the_doors_the_apps_register(client, db, monkeypatch):
    page = client.get("/login/").content.decode()
    assert '<a href="/mawkib/apply/">اعلام آمادگی برای خدمت در موکب‌های اربعین</a>' in page
    assert '<a href="/mawkib/track/">پیگیری درخواست خدمت با کد رهگیری</a>' in page

    from hamafza.core import navigation

    monkeypatch.setattr(navigation, "_public_links", [])  # as if no app had one
    assert "بدون حساب کاربری" not in client.get("/login/").content.decode()


def test_audit_log_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/audit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_audit_log_lists_many_entries_in_few_queries(
    login, admin_user, owner, django_assert_max_num_queries
):
    for n in range(40):
        audit(actor=owner if n % 2 else admin_user, action=f"network.test.{n}")
    client = login(admin_user)

    with django_assert_max_num_queries(10):
        response = client.get("/audit/")
    assert response.status_code == 200


# --- the policy -----------------------------------------------------------------------------


def test_can_refuses_an_inactive_user_even_a_superuser(admin_user):
    admin_user.is_superuser = True
    admin_user.is_active = False
    admin_user.save()

    assert can(admin_user, "audit.view") is False
    assert can(admin_user, "organisation.create") is False


def test_can_refuses_anonymous_and_none(db):
    from django.contrib.auth.models import AnonymousUser

    assert can(AnonymousUser(), "audit.view") is False
    assert can(None, "audit.view") is False


def test_an_unknown_action_is_an_error_not_a_silent_answer(admin_user):
    with pytest.raises(KeyError):
        can(admin_user, "organisation.teleport")


# --- API tokens ----------------------------------------------------------------------------


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_valid_token_reads_me(client, owner, agency):
    _token, raw = ApiToken.issue(user=owner, name="انتشار خودکار")

    response = client.get("/api/network/me", **bearer(raw))

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "owner"
    assert me["full_name"] == "زهرا نارویی"
    assert [(m["organisation_id"], m["role"]) for m in me["memberships"]] == [
        (agency.pk, "pr_manager")
    ]


def test_using_a_token_records_when_it_was_last_used(client, owner):
    token, raw = ApiToken.issue(user=owner, name="x")

    client.get("/api/network/me", **bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(owner):
    token, raw = ApiToken.issue(user=owner, name="x")

    assert raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_a_revoked_token_is_refused(client, owner):
    token, raw = ApiToken.issue(user=owner, name="x")
    token.revoked_at = timezone.now()
    token.save()

    assert client.get("/api/network/me", **bearer(raw)).status_code == 401


def test_a_bogus_token_is_refused(client, owner):
    ApiToken.issue(user=owner, name="x")

    assert client.get("/api/network/me", **bearer("not-a-real-token")).status_code == 401


def test_a_deactivated_persons_token_is_refused(client, owner):
    _token, raw = ApiToken.issue(user=owner, name="x")
    owner.is_active = False
    owner.save()

    assert client.get("/api/network/me", **bearer(raw)).status_code == 401


def test_the_api_without_credentials_is_refused(client, db):
    assert client.get("/api/network/me").status_code == 401


def test_a_signed_in_browser_session_reads_me(login, member):
    response = login(member).get("/api/network/me")

    assert response.status_code == 200
    assert response.json()["username"] == "member"


# --- error pages ---------------------------------------------------------------------------


def assert_in_layout(page: str):
    assert '<html lang="fa" dir="rtl">' in page
    assert 'role="banner"' in page
    assert 'role="contentinfo"' in page
    assert "بازگشت به پیشخوان" in page


def test_a_missing_page_is_a_persian_404_in_the_layout(login, member):
    response = login(member).get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "صفحه پیدا نشد" in page
    assert "۴۰۴" in page
    assert_in_layout(page)


def test_anonymous_visitors_get_the_persian_404_too(client, db):
    response = client.get("/network/organisations/999999/nothing/")

    assert response.status_code == 404
    assert "صفحه پیدا نشد" in response.content.decode()


def test_a_forbidden_page_is_a_persian_403_in_the_layout(login, member):
    response = login(member).get("/audit/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "دسترسی ندارید" in page
    assert "۴۰۳" in page
    assert_in_layout(page)


def test_login_pauses_after_repeated_wrong_passwords(client, member, password):
    for _attempt in range(10):
        client.post("/login/", {"username": "member", "password": "wrong"})
    response = client.post("/login/", {"username": "member", "password": password})
    assert response.status_code == 429  # refused, even with the right password
    assert "۱۵ دقیقه دیگر" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_second_app_cannot_quietly_take_over_who_reads_the_audit_log():
    from hamafza.core.audit import register_audit_readers
    from hamafza.network.policy import is_network_admin

    register_audit_readers(is_network_admin)  # the same answer again: harmless
    with pytest.raises(RuntimeError, match="registered already"):
        register_audit_readers(lambda user: True)  # everyone: refused
