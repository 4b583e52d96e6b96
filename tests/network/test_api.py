"""The JSON API: the same objects, under the same policy, as the pages."""

import json

import pytest
from django.test import Client

from hamafza.core.models import ApiToken, AuditEntry, User
from hamafza.network.models import AudienceSnapshot, Channel, Membership, Organisation, Role


class Api:
    """A client calling the API with a person's bearer token."""

    def __init__(self, user):
        _token, raw = ApiToken.issue(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def get(self, path):
        return self.client.get(f"/api/network{path}")

    def post(self, path, payload):
        return self.client.post(
            f"/api/network{path}", json.dumps(payload), content_type="application/json"
        )

    def patch(self, path, payload):
        return self.client.patch(
            f"/api/network{path}", json.dumps(payload), content_type="application/json"
        )

    def delete(self, path):
        return self.client.delete(f"/api/network{path}")


@pytest.fixture
def api(db):
    return Api


@pytest.fixture
def channel(agency):
    return Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti_sb")


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Hamafza API"
    assert "/api/network/organisations" in schema["paths"]
    assert "/api/network/organisations/{org_id}" in schema["paths"]


# --- reading --------------------------------------------------------------------------------


def test_admin_lists_every_organisation(api, admin_user, hub, agency, other_agency):
    names = {org["name"] for org in api(admin_user).get("/organisations").json()}

    assert names == {hub.name, agency.name, other_agency.name}


def test_member_lists_only_their_agency(api, member, agency, other_agency):
    listed = api(member).get("/organisations").json()

    assert [org["id"] for org in listed] == [agency.pk]


def test_member_reads_their_agency(api, member, agency):
    response = api(member).get(f"/organisations/{agency.pk}")

    assert response.status_code == 200
    assert response.json()["slug"] == "behzisti"
    assert response.json()["kind"] == "agency"


@pytest.mark.parametrize("who", ["outsider", "other_owner"])
def test_another_organisation_is_404_not_403(api, request, who, agency, channel):
    client = api(request.getfixturevalue(who))

    assert client.get(f"/organisations/{agency.pk}").status_code == 404
    assert client.get(f"/organisations/{agency.pk}/memberships").status_code == 404
    assert client.get(f"/organisations/{agency.pk}/channels").status_code == 404
    assert client.get(f"/channels/{channel.pk}/audience").status_code == 404
    assert client.patch(f"/organisations/{agency.pk}", {"phone": "1"}).status_code == 404


def test_a_missing_organisation_is_404(api, admin_user):
    assert api(admin_user).get("/organisations/999999").status_code == 404


def test_member_reads_the_agencys_channels_and_audience(api, member, channel):
    AudienceSnapshot.objects.create(
        channel=channel, taken_on="2026-08-08", members=1200, source="manual"
    )
    client = api(member)

    channels = client.get(f"/organisations/{channel.organisation_id}/channels").json()
    assert [c["handle"] for c in channels] == ["@behzisti_sb"]
    audience = client.get(f"/channels/{channel.pk}/audience").json()
    assert audience == [{"taken_on": "2026-08-08", "members": 1200, "source": "manual"}]


# --- writing ---------------------------------------------------------------------------------


def test_admin_creates_an_organisation(api, admin_user, hub):
    response = api(admin_user).post(
        "/organisations",
        {
            "name": "صندوق کارآفرینی امید",
            "slug": "omid",
            "kind": "agency",
            "province_id": hub.province_id,
            "parent_id": hub.pk,
        },
    )

    assert response.status_code == 201
    org = Organisation.objects.get(slug="omid")
    assert response.json()["id"] == org.pk
    assert org.parent == hub
    assert AuditEntry.objects.filter(
        action="network.organisation.created", actor=admin_user
    ).exists()


def test_pr_manager_cannot_create_an_organisation(api, owner, agency):
    response = api(owner).post(
        "/organisations",
        {
            "name": "سازمان تازه",
            "slug": "new",
            "kind": "agency",
            "province_id": agency.province_id,
            "parent_id": agency.pk,
        },
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "اجازه این کار را ندارید."}
    assert not Organisation.objects.filter(slug="new").exists()


def test_a_duplicate_organisation_is_422_with_a_persian_message(api, admin_user, hub, agency):
    response = api(admin_user).post(
        "/organisations",
        {
            "name": "سازمان تازه",
            "slug": agency.slug,
            "kind": "agency",
            "province_id": hub.province_id,
        },
    )

    assert response.status_code == 422
    assert response.json() == {"detail": {"slug": ["این نشانی کوتاه را سازمان دیگری دارد."]}}


def test_pr_manager_patches_their_agency(api, owner, agency):
    response = api(owner).patch(f"/organisations/{agency.pk}", {"phone": "05433221100"})

    assert response.status_code == 200
    assert response.json()["phone"] == "05433221100"
    agency.refresh_from_db()
    assert agency.phone == "05433221100"


def test_read_only_member_gets_403_on_change(api, member, agency):
    response = api(member).patch(f"/organisations/{agency.pk}", {"phone": "1"})

    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.phone == ""


def test_editor_adds_a_channel_and_records_audience(api, member, agency):
    client = api(member)

    created = client.post(f"/organisations/{agency.pk}/channels", {"kind": "eitaa", "handle": "@b"})
    assert created.status_code == 201
    channel_id = created.json()["id"]

    recorded = client.post(
        f"/channels/{channel_id}/audience", {"taken_on": "2026-08-08", "members": 900}
    )
    assert recorded.status_code == 201
    again = client.post(
        f"/channels/{channel_id}/audience", {"taken_on": "2026-08-08", "members": 950}
    )
    assert again.status_code == 201
    assert list(AudienceSnapshot.objects.values_list("members", flat=True)) == [950]


def test_a_duplicate_channel_is_422_with_a_persian_field_message(api, member, channel):
    response = api(member).post(
        f"/organisations/{channel.organisation_id}/channels",
        {"kind": "telegram", "handle": "@behzisti_sb"},
    )

    assert response.status_code == 422
    assert response.json() == {"detail": {"handle": ["این کانال پیش‌تر ثبت شده است."]}}


def test_a_negative_audience_is_422_in_persian(api, member, channel):
    response = api(member).post(
        f"/channels/{channel.pk}/audience", {"taken_on": "2026-08-08", "members": -5}
    )

    assert response.status_code == 422
    assert response.json()["detail"] == {"members": ["شمار مخاطبان نمی‌تواند منفی باشد."]}


def test_reviewer_can_read_a_channel_but_not_change_it(api, agency, channel):
    reviewer = User.objects.create(username="reviewer", first_name="مریم", last_name="میر")
    Membership.objects.create(user=reviewer, organisation=agency, role=Role.REVIEWER)
    client = api(reviewer)

    assert client.get(f"/channels/{channel.pk}/audience").status_code == 200
    assert client.patch(f"/channels/{channel.pk}", {"title": "x"}).status_code == 403
    response = client.post(
        f"/channels/{channel.pk}/audience", {"taken_on": "2026-08-08", "members": 1}
    )
    assert response.status_code == 403


def test_pr_manager_grants_and_revokes_a_role(api, owner, member, agency):
    client = api(owner)

    granted = client.post(
        f"/organisations/{agency.pk}/memberships", {"user_id": member.pk, "role": "reviewer"}
    )
    assert granted.status_code == 201
    assert granted.json()["username"] == "member"

    revoked = client.delete(f"/memberships/{granted.json()['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    assert not Membership.objects.get(pk=granted.json()["id"]).is_active


def test_pr_manager_cannot_reach_people_outside_their_agency(api, owner, outsider, agency):
    response = api(owner).post(
        f"/organisations/{agency.pk}/memberships", {"user_id": outsider.pk, "role": "editor"}
    )

    assert response.status_code == 404  # a person they may not see does not exist for them
    assert not Membership.objects.filter(user=outsider).exists()


def test_network_admin_role_outside_the_hub_is_422(api, admin_user, member, agency):
    response = api(admin_user).post(
        f"/organisations/{agency.pk}/memberships", {"user_id": member.pk, "role": "network_admin"}
    )

    assert response.status_code == 422
    assert response.json() == {"detail": {"role": ["مدیر شبکه فقط در اداره کل تعریف می‌شود."]}}


def test_the_last_network_admin_cannot_be_revoked_through_the_api(api, admin_user):
    membership = Membership.objects.get(user=admin_user, role=Role.NETWORK_ADMIN)

    response = api(admin_user).delete(f"/memberships/{membership.pk}")

    assert response.status_code == 422
    assert response.json() == {"detail": {"__all__": ["شبکه دست‌کم یک مدیر شبکه فعال لازم دارد."]}}


def test_an_unknown_kind_is_refused_before_the_service(api, admin_user, hub):
    response = api(admin_user).post(
        "/organisations",
        {"name": "x", "slug": "x", "kind": "bakery", "province_id": hub.province_id},
    )

    assert response.status_code == 422
    assert not Organisation.objects.filter(slug="x").exists()


def test_organisation_list_queries_do_not_grow_with_rows(
    api, admin_user, hub, django_assert_max_num_queries
):
    client = api(admin_user)
    for i in range(25):
        Organisation.objects.create(
            name=f"دستگاه {i}", slug=f"o{i}", kind="agency", province=hub.province, parent=hub
        )

    with django_assert_max_num_queries(6):
        assert client.get("/organisations").status_code == 200


def test_api_errors_speak_persian(client, admin_user, login):
    anonymous = client.get("/api/network/me")
    assert anonymous.status_code == 401
    assert "وارد شوید" in anonymous.json()["detail"]
    login(admin_user)
    bad = client.post("/api/network/organisations", data="{}", content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("ورودی نادرست است")
    missing = client.get("/api/network/organisations/999999")
    assert (missing.status_code, missing.json()["detail"]) == (404, "پیدا نشد.")
