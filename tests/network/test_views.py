"""The network's pages, as the people who use them see them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamafza.core.models import AuditEntry, User
from hamafza.network.models import (
    AudienceSnapshot,
    Channel,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from tests.conftest import sign_in_through_the_form


def text(response) -> str:
    return response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_agencies(hub, n, *, start=0):
    for i in range(start, start + n):
        org = Organisation.objects.create(
            name=f"دستگاه شماره {i}",
            slug=f"org-{i}",
            kind=OrganisationKind.AGENCY,
            province=hub.province,
            parent=hub,
        )
        Channel.objects.create(organisation=org, kind="telegram", handle=f"@org{i}")
        person = User.objects.create(username=f"person{i}", first_name="نفر", last_name=str(i))
        Membership.objects.create(user=person, organisation=org, role=Role.EDITOR)


# --- organisation list -----------------------------------------------------------------------


def test_admin_sees_every_organisation(login, admin_user, hub, agency, other_agency):
    page = text(login(admin_user).get("/network/organisations/"))

    assert hub.name in page
    assert agency.name in page
    assert other_agency.name in page
    assert "سازمان تازه" in page  # the button to add one


def test_agency_member_sees_only_their_agency(login, member, agency, other_agency, hub):
    page = text(login(member).get("/network/organisations/"))

    assert f'href="/network/organisations/{agency.pk}/"' in page
    assert f'href="/network/organisations/{other_agency.pk}/"' not in page
    assert f'href="/network/organisations/{hub.pk}/"' not in page
    assert "سازمان تازه" not in page


def test_outsider_sees_no_organisations(login, outsider, agency):
    page = text(login(outsider).get("/network/organisations/"))

    assert agency.name not in page
    assert "سازمانی پیدا نشد." in page


def test_organisation_list_shows_counts_in_persian_digits(login, admin_user, owner, member, agency):
    Channel.objects.create(organisation=agency, kind="bale", handle="@behzisti")

    page = text(login(admin_user).get("/network/organisations/", {"q": "بهزیستی"}))

    assert "۲ عضو، ۱ کانال" in page


def test_organisation_list_search(login, admin_user, agency, other_agency):
    page = text(login(admin_user).get("/network/organisations/", {"q": "تأمین"}))

    assert other_agency.name in page
    assert agency.name not in page


def test_organisation_list_queries_do_not_grow_with_rows(login, admin_user, hub):
    client = login(admin_user)
    add_agencies(hub, 3)
    few = count_queries(client, "/network/organisations/")

    add_agencies(hub, 20, start=3)
    many = count_queries(client, "/network/organisations/")

    assert many == few


def test_organisation_list_stays_cheap(login, admin_user, hub, django_assert_max_num_queries):
    add_agencies(hub, 25)
    client = login(admin_user)

    with django_assert_max_num_queries(10):
        client.get("/network/organisations/")


# --- creating and editing an organisation -----------------------------------------------------


def test_admin_creates_an_organisation_through_the_form(login, admin_user, hub, county):
    typed = {
        "name": "صندوق کارآفرینی امید سیستان و بلوچستان",
        "short_name": "صندوق امید",
        "slug": "omid",
        "kind": "agency",
        "parent": hub.pk,
        "province": hub.province_id,
        "county": county.pk,
        "website": "",
        "phone": "",
        "address": "",
        "is_active": "on",
    }
    response = login(admin_user).post("/network/organisations/new/", typed, follow=True)

    org = Organisation.objects.get(slug="omid")
    assert org.parent == hub
    assert response.redirect_chain[-1][0] == f"/network/organisations/{org.pk}/"
    page = text(response)
    assert "سازمان «صندوق امید» ساخته شد." in page
    assert AuditEntry.objects.filter(
        action="network.organisation.created", actor=admin_user
    ).exists()


def test_a_bad_organisation_form_shows_persian_errors_and_keeps_what_was_typed(
    login, admin_user, hub, agency
):
    response = login(admin_user).post(
        "/network/organisations/new/",
        {
            "name": agency.name,
            "short_name": "نام کوتاه تایپ‌شده",
            "slug": "",
            "kind": "agency",
            "province": hub.province_id,
            "phone": "۰۵۴۳۳۲۲",
        },
    )

    assert response.status_code == 200
    page = text(response)
    assert "این فیلد لازم است." in page  # the empty slug, in Persian
    assert "سازمانی با این نام هست." in page
    assert 'value="نام کوتاه تایپ‌شده"' in page
    assert 'value="۰۵۴۳۳۲۲"' in page
    assert Organisation.objects.count() == 2


def test_pr_manager_cannot_open_the_new_organisation_form(login, owner):
    assert login(owner).get("/network/organisations/new/").status_code == 403


def test_pr_manager_edits_own_agency_but_cannot_move_it(login, owner, agency, other_agency):
    client = login(owner)
    page = text(client.get(f"/network/organisations/{agency.pk}/edit/"))
    assert 'name="parent"' in page and "disabled" in page

    response = client.post(
        f"/network/organisations/{agency.pk}/edit/",
        {
            "name": agency.name,
            "slug": agency.slug,
            "kind": "private",
            "parent": other_agency.pk,
            "province": agency.province_id,
            "phone": "05433221100",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.phone == "05433221100"
    assert agency.kind == OrganisationKind.AGENCY  # the disabled fields were ignored
    assert agency.parent_id != other_agency.pk
    entry = AuditEntry.objects.get(action="network.organisation.updated")
    assert (entry.actor, entry.data) == (owner, {"fields": ["phone"]})


def test_another_agencys_page_is_404_for_a_pr_manager(login, owner, other_agency):
    client = login(owner)

    assert client.get(f"/network/organisations/{other_agency.pk}/").status_code == 404
    assert client.get(f"/network/organisations/{other_agency.pk}/edit/").status_code == 404


def test_editor_may_see_but_not_edit_the_agency(login, member, agency):
    client = login(member)

    assert client.get(f"/network/organisations/{agency.pk}/").status_code == 200
    assert client.get(f"/network/organisations/{agency.pk}/edit/").status_code == 403


# --- channels and audience ----------------------------------------------------------------------


def test_editor_adds_a_channel(login, member, agency):
    response = login(member).post(
        f"/network/organisations/{agency.pk}/channels/",
        {"kind": "telegram", "handle": "@behzisti_sb", "title": "کانال بهزیستی", "is_active": "on"},
        follow=True,
    )

    channel = Channel.objects.get(handle="@behzisti_sb")
    assert channel.organisation == agency
    assert response.redirect_chain[-1][0] == f"/network/channels/{channel.pk}/"
    assert "افزوده شد" in text(response)


def test_a_duplicate_channel_is_refused_in_persian_and_keeps_the_form(login, member, agency):
    Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti_sb")

    response = login(member).post(
        f"/network/organisations/{agency.pk}/channels/",
        {"kind": "telegram", "handle": "@behzisti_sb", "title": "دوباره", "is_active": "on"},
    )

    assert response.status_code == 400
    page = text(response)
    assert "این کانال پیش‌تر ثبت شده است." in page
    assert 'value="دوباره"' in page
    assert Channel.objects.filter(handle="@behzisti_sb").count() == 1


def test_another_agencys_pr_manager_cannot_add_a_channel(login, other_owner, agency):
    response = login(other_owner).post(
        f"/network/organisations/{agency.pk}/channels/", {"kind": "bale", "handle": "@x"}
    )

    assert response.status_code == 404
    assert not Channel.objects.filter(handle="@x").exists()


@pytest.fixture
def channel(agency):
    return Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti_sb")


def test_recording_audience_with_a_jalali_date_in_persian_digits(login, member, channel):
    response = login(member).post(
        f"/network/channels/{channel.pk}/",
        {"taken_on": "۱۴۰۵/۰۵/۱۷", "members": "۱۲۳۴۵"},
        follow=True,
    )

    snapshot = AudienceSnapshot.objects.get(channel=channel)
    assert (snapshot.taken_on, snapshot.members, snapshot.recorded_by) == (
        date(2026, 8, 8),
        12345,
        member,
    )
    page = text(response)
    assert "آمار مخاطبان ثبت شد." in page
    assert "شنبه ۱۷ مرداد ۱۴۰۵" in page
    assert "۱۲٬۳۴۵" in page


def test_recording_audience_with_an_impossible_date_says_so_in_persian(login, member, channel):
    response = login(member).post(
        f"/network/channels/{channel.pk}/", {"taken_on": "۱۴۰۴/۱۲/۳۰", "members": "۱۰"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "وجود ندارد" in page
    assert 'value="۱۴۰۴/۱۲/۳۰"' in page
    assert not AudienceSnapshot.objects.exists()


def test_editor_edits_a_channel_and_the_change_is_saved_and_audited(login, member, channel):
    response = login(member).post(
        f"/network/channels/{channel.pk}/",
        {"kind": "telegram", "handle": "@behzisti_new", "title": "بهزیستی", "is_active": "on"},
        follow=True,
    )

    assert "کانال به‌روز شد." in text(response)
    channel.refresh_from_db()
    assert (channel.handle, channel.title) == ("@behzisti_new", "بهزیستی")
    entry = AuditEntry.objects.get(action="network.channel.updated")
    assert entry.actor == member
    assert sorted(entry.data["fields"]) == ["handle", "title"]


def test_a_channel_edit_keeps_its_own_handle_and_refuses_another_channels(
    login, member, agency, channel
):
    Channel.objects.create(organisation=agency, kind="telegram", handle="@taken")
    client = login(member)
    form = {"kind": channel.kind, "handle": channel.handle, "title": "تازه", "is_active": "on"}

    page = text(client.get(f"/network/channels/{channel.pk}/"))
    assert f'value="{channel.handle}"' in page  # the stored values, to edit

    response = client.post(f"/network/channels/{channel.pk}/", form | {"handle": "@taken"})
    assert response.status_code == 200
    page = text(response)
    assert 'id="id_handle_error">این کانال پیش‌تر ثبت شده است.' in page  # beside the handle
    assert 'value="تازه"' in page
    channel.refresh_from_db()
    assert channel.title != "تازه"

    response = client.post(f"/network/channels/{channel.pk}/", form, follow=True)
    assert "کانال به‌روز شد." in text(response)
    channel.refresh_from_db()
    assert channel.title == "تازه"


def test_another_agency_cannot_see_or_record_a_channel(login, other_owner, channel):
    client = login(other_owner)

    assert client.get(f"/network/channels/{channel.pk}/").status_code == 404
    response = client.post(
        f"/network/channels/{channel.pk}/", {"taken_on": "1405/05/17", "members": "1"}
    )
    assert response.status_code == 404
    assert not AudienceSnapshot.objects.exists()


# --- memberships ----------------------------------------------------------------------------------


def test_pr_manager_gives_a_role_to_someone_in_their_agency(login, owner, member, agency):
    response = login(owner).post(
        f"/network/organisations/{agency.pk}/members/",
        {"user": member.pk, "role": "reviewer", "title": "رئیس روابط عمومی"},
        follow=True,
    )

    assert "نقش داده شد." in text(response)
    assert Membership.objects.get(user=member, role=Role.REVIEWER).title == "رئیس روابط عمومی"


def test_pr_manager_cannot_pick_someone_from_outside_their_agency(login, owner, outsider, agency):
    response = login(owner).post(
        f"/network/organisations/{agency.pk}/members/", {"user": outsider.pk, "role": "editor"}
    )

    assert response.status_code == 400
    assert not Membership.objects.filter(user=outsider).exists()


def test_pr_manager_is_not_offered_the_network_admin_role(login, owner, member, agency):
    client = login(owner)
    page = text(client.get(f"/network/organisations/{agency.pk}/"))
    assert 'value="network_admin"' not in page

    response = client.post(
        f"/network/organisations/{agency.pk}/members/", {"user": member.pk, "role": "network_admin"}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(role=Role.NETWORK_ADMIN, user=member).exists()


def test_pr_manager_ends_a_role(login, owner, member, agency):
    membership = Membership.objects.get(user=member, organisation=agency)

    response = login(owner).post(f"/network/memberships/{membership.pk}/revoke/", follow=True)

    assert "نقش پایان یافت." in text(response)
    membership.refresh_from_db()
    assert membership.is_active is False


def test_revoking_the_last_network_admin_shows_a_persian_message(login, admin_user):
    membership = Membership.objects.get(user=admin_user, role=Role.NETWORK_ADMIN)

    response = login(admin_user).post(f"/network/memberships/{membership.pk}/revoke/", follow=True)

    assert "شبکه دست‌کم یک مدیر شبکه فعال لازم دارد." in text(response)
    membership.refresh_from_db()
    assert membership.is_active


def test_another_agencys_pr_manager_cannot_end_a_role(login, other_owner, member, agency):
    membership = Membership.objects.get(user=member, organisation=agency)

    response = login(other_owner).post(f"/network/memberships/{membership.pk}/revoke/")

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_revoking_needs_a_post(login, owner, member, agency):
    membership = Membership.objects.get(user=member, organisation=agency)

    assert login(owner).get(f"/network/memberships/{membership.pk}/revoke/").status_code == 405


def test_organisation_page_queries_do_not_grow_with_members_and_channels(login, admin_user, agency):
    client = login(admin_user)
    url = f"/network/organisations/{agency.pk}/"
    few = count_queries(client, url)

    for i in range(15):
        person = User.objects.create(username=f"p{i}", first_name="نفر", last_name=str(i))
        Membership.objects.create(user=person, organisation=agency, role=Role.EDITOR)
        ch = Channel.objects.create(organisation=agency, kind="eitaa", handle=f"@c{i}")
        AudienceSnapshot.objects.create(
            channel=ch, taken_on=date(2026, 8, 8), members=i, source="manual"
        )
    many = count_queries(client, url)

    assert many == few


# --- people ----------------------------------------------------------------------------------------


def test_person_created_by_a_pr_manager_lands_in_their_agency(login, owner, agency, other_agency):
    client = login(owner)
    form_page = text(client.get("/network/people/new/"))
    assert other_agency.name not in form_page  # only their own organisations are offered

    response = client.post(
        "/network/people/new/",
        {
            "username": "sara",
            "first_name": "سارا",
            "last_name": "میر",
            "mobile": "۰۹۱۵ ۱۲۳ ۴۵۶۷",
            "organisation": agency.pk,
            "role": "editor",
        },
        follow=True,
    )

    person = User.objects.get(username="sara")
    assert person.mobile == "09151234567"
    assert list(person.memberships.values_list("organisation_id", "role")) == [
        (agency.pk, "editor")
    ]
    assert "«سارا میر» افزوده شد." in text(response)
    assert not person.has_usable_password()


def test_pr_manager_cannot_place_a_person_in_another_agency(login, owner, other_agency):
    response = login(owner).post(
        "/network/people/new/",
        {
            "username": "sara",
            "first_name": "سارا",
            "last_name": "میر",
            "organisation": other_agency.pk,
            "role": "editor",
        },
    )

    assert response.status_code == 200  # the form again, with the choice refused
    assert not User.objects.filter(username="sara").exists()


def test_a_taken_username_is_a_persian_error_and_keeps_the_form(login, admin_user, member, agency):
    response = login(admin_user).post(
        "/network/people/new/",
        {
            "username": "MEMBER",
            "first_name": "سارا",
            "last_name": "میر",
            "organisation": agency.pk,
            "role": "editor",
        },
    )

    page = text(response)
    assert "این نام کاربری گرفته شده است." in page
    assert 'value="سارا"' in page


def test_pr_manager_lists_only_people_of_their_agency(login, owner, member, other_owner):
    page = text(login(owner).get("/network/people/"))

    assert "علی ریگی" in page
    assert "مریم شهرکی" not in page


def test_editor_has_no_people_page(login, member):
    assert login(member).get("/network/people/").status_code == 403


def test_person_list_queries_do_not_grow_with_rows(login, admin_user, hub):
    client = login(admin_user)
    add_agencies(hub, 3)
    few = count_queries(client, "/network/people/")

    add_agencies(hub, 20, start=3)
    many = count_queries(client, "/network/people/")

    assert many == few


def test_reviewer_sees_a_channel_but_cannot_record_audience(login, agency, channel):
    reviewer = User.objects.create(username="reviewer", first_name="مریم", last_name="میر")
    Membership.objects.create(user=reviewer, organisation=agency, role=Role.REVIEWER)
    client = login(reviewer)

    page = text(client.get(f"/network/channels/{channel.pk}/"))
    assert "ثبت آمار" not in page

    response = client.post(
        f"/network/channels/{channel.pk}/", {"taken_on": "1405/05/17", "members": "1"}
    )
    assert response.status_code == 403
    assert not AudienceSnapshot.objects.exists()


def test_pr_manager_edits_a_persons_mobile_typed_in_persian_digits(login, owner, member):
    response = login(owner).post(
        f"/network/people/{member.pk}/",
        {"first_name": "علی", "last_name": "ریگی", "mobile": "۰۹۱۵۱۲۳۴۵۶۷", "email": ""},
        follow=True,
    )

    assert "تغییرات ذخیره شد." in text(response)
    member.refresh_from_db()
    assert member.mobile == "09151234567"
    assert AuditEntry.objects.filter(action="network.person.updated", actor=owner).exists()


def test_another_agencys_pr_manager_cannot_see_a_person(login, other_owner, member):
    assert login(other_owner).get(f"/network/people/{member.pk}/").status_code == 404


def test_a_network_admin_can_disable_a_login_and_the_person_is_refused(
    login, admin_user, owner, password, client
):
    response = login(admin_user).post(f"/network/people/{owner.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    client.logout()
    assert not sign_in_through_the_form(client, "owner", password)
    assert AuditEntry.objects.filter(action="network.person.deactivated", actor=admin_user).exists()
