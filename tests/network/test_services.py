"""The network's rules, checked on the services every page and endpoint goes through."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from hamafza.core.models import AuditEntry
from hamafza.core.permissions import can
from hamafza.network import services
from hamafza.network.models import (
    AudienceSnapshot,
    Channel,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from hamafza.network.policy import forget_roles


@pytest.fixture
def county_office(agency):
    """A county office under the agency: its PR manager manages this too."""
    return Organisation.objects.create(
        name="اداره بهزیستی شهرستان زابل",
        slug="behzisti-zabol",
        kind=OrganisationKind.COUNTY_OFFICE,
        province=agency.province,
        parent=agency,
    )


def last_audit():
    return AuditEntry.objects.order_by("-id").first()


def new_org_values(province, **extra):
    return {
        "name": "صندوق کارآفرینی امید",
        "slug": "omid",
        "kind": OrganisationKind.AGENCY,
        "province": province,
        **extra,
    }


# --- who manages what ----------------------------------------------------------------------


def test_pr_manager_edits_own_agency(owner, agency):
    services.organisation_update(actor=owner, organisation=agency, phone="05433221100")

    agency.refresh_from_db()
    assert agency.phone == "05433221100"


def test_pr_manager_edits_the_county_office_under_their_agency(owner, county_office):
    services.organisation_update(actor=owner, organisation=county_office, short_name="بهزیستی زابل")

    county_office.refresh_from_db()
    assert county_office.short_name == "بهزیستی زابل"


def test_pr_manager_never_edits_another_agency(owner, other_agency):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=owner, organisation=other_agency, phone="1")

    other_agency.refresh_from_db()
    assert other_agency.phone == ""


def test_pr_manager_never_edits_the_hub_above_them(owner, hub):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=owner, organisation=hub, phone="1")


def test_pr_manager_cannot_move_their_agency_in_the_network(owner, agency, other_agency):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=owner, organisation=agency, parent=other_agency)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=owner, organisation=agency, kind=OrganisationKind.PRIVATE
        )

    agency.refresh_from_db()
    assert agency.parent_id != other_agency.pk
    assert agency.kind == OrganisationKind.AGENCY


def test_editor_cannot_edit_the_agency_but_can_manage_its_channels(member, agency):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=member, organisation=agency, phone="1")

    channel = services.channel_create(
        actor=member, organisation=agency, kind="telegram", handle="@behzisti_sb"
    )
    assert channel.organisation == agency


def test_pr_manager_grants_roles_in_own_agency_but_not_another(owner, member, agency, other_agency):
    services.membership_grant(actor=owner, organisation=agency, user=member, role=Role.REVIEWER)
    assert Membership.objects.filter(user=member, organisation=agency, role=Role.REVIEWER).exists()

    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=owner, organisation=other_agency, user=member, role=Role.EDITOR
        )


def test_pr_manager_manages_channels_of_their_county_office_not_a_siblings(
    owner, county_office, other_agency
):
    services.channel_create(actor=owner, organisation=county_office, kind="eitaa", handle="@zabol")

    with pytest.raises(PermissionDenied):
        services.channel_create(actor=owner, organisation=other_agency, kind="eitaa", handle="@x")
    assert not Channel.objects.filter(organisation=other_agency).exists()


def test_outsider_can_do_nothing(outsider, agency):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=outsider, organisation=agency, phone="1")
    with pytest.raises(PermissionDenied):
        services.channel_create(actor=outsider, organisation=agency, kind="bale", handle="@x")


# --- only network admins shape the network ---------------------------------------------------


def test_network_admin_creates_an_organisation_and_it_is_audited(admin_user, province, hub):
    org = services.organisation_create(actor=admin_user, **new_org_values(province, parent=hub))

    assert org.parent == hub
    entry = last_audit()
    assert entry.action == "network.organisation.created"
    assert entry.actor == admin_user
    assert entry.target_id == str(org.pk)
    assert entry.organisation_id == org.pk


@pytest.mark.parametrize("who", ["owner", "member", "outsider"])
def test_only_network_admins_create_organisations(request, who, province):
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=request.getfixturevalue(who), **new_org_values(province))

    assert not Organisation.objects.filter(slug="omid").exists()


def test_a_duplicate_organisation_name_is_a_persian_field_error(admin_user, province, agency):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            actor=admin_user, **new_org_values(province, name=agency.name, slug="new-slug")
        )

    assert caught.value.message_dict == {"name": ["سازمانی با این نام هست."]}


def test_a_duplicate_slug_is_a_persian_field_error(admin_user, province, agency):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(actor=admin_user, **new_org_values(province, slug=agency.slug))

    assert caught.value.message_dict == {"slug": ["این نشانی کوتاه را سازمان دیگری دارد."]}


def test_a_second_hub_in_the_province_is_a_persian_field_error(admin_user, province, hub):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            actor=admin_user, **new_org_values(province, kind=OrganisationKind.HUB)
        )

    assert caught.value.message_dict == {"kind": ["این استان اداره کل دارد."]}


def test_an_organisation_cannot_sit_under_its_own_child(admin_user, agency, county_office):
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(actor=admin_user, organisation=agency, parent=county_office)

    assert "parent" in caught.value.message_dict
    agency.refresh_from_db()
    assert agency.parent != county_office


def test_updating_nothing_writes_no_audit_entry(admin_user, agency):
    before = AuditEntry.objects.count()

    services.organisation_update(actor=admin_user, organisation=agency, name=agency.name)

    assert AuditEntry.objects.count() == before


def test_an_update_audits_the_fields_that_changed(owner, agency):
    services.organisation_update(actor=owner, organisation=agency, phone="0543", name=agency.name)

    entry = last_audit()
    assert entry.action == "network.organisation.updated"
    assert entry.actor == owner
    assert entry.data == {"fields": ["phone"]}


# --- network admin roles -----------------------------------------------------------------------


def test_network_admin_grants_network_admin_at_the_hub(admin_user, outsider, hub):
    services.membership_grant(
        actor=admin_user, organisation=hub, user=outsider, role=Role.NETWORK_ADMIN
    )

    forget_roles(outsider)
    assert can(outsider, "organisation.create")
    entry = last_audit()
    assert entry.action == "network.membership.granted"
    assert entry.actor == admin_user
    assert entry.data == {"user": outsider.pk, "role": "network_admin"}


def test_network_admin_is_only_granted_at_the_hub(admin_user, member, agency):
    with pytest.raises(ValidationError) as caught:
        services.membership_grant(
            actor=admin_user, organisation=agency, user=member, role=Role.NETWORK_ADMIN
        )

    assert caught.value.message_dict == {"role": ["مدیر شبکه فقط در اداره کل تعریف می‌شود."]}


def test_pr_manager_cannot_grant_network_admin(owner, member, agency):
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            actor=owner, organisation=agency, user=member, role=Role.NETWORK_ADMIN
        )

    assert not Membership.objects.filter(user=member, role=Role.NETWORK_ADMIN).exists()


def test_the_last_network_admin_cannot_be_revoked(admin_user):
    membership = Membership.objects.get(user=admin_user, role=Role.NETWORK_ADMIN)

    with pytest.raises(ValidationError) as caught:
        services.membership_revoke(actor=admin_user, membership=membership)

    assert caught.value.messages == ["شبکه دست‌کم یک مدیر شبکه فعال لازم دارد."]
    membership.refresh_from_db()
    assert membership.is_active


def test_a_network_admin_can_be_revoked_while_another_remains(admin_user, outsider, hub):
    second = services.membership_grant(
        actor=admin_user, organisation=hub, user=outsider, role=Role.NETWORK_ADMIN
    )

    services.membership_revoke(actor=admin_user, membership=second)

    second.refresh_from_db()
    assert not second.is_active
    forget_roles(outsider)
    assert not can(outsider, "organisation.create")


def test_revoking_a_role_keeps_the_row_and_audits(owner, member, agency):
    membership = Membership.objects.get(user=member, organisation=agency)

    services.membership_revoke(actor=owner, membership=membership)

    membership.refresh_from_db()
    assert membership.is_active is False
    forget_roles(member)
    assert not can(member, "organisation.view", agency)
    entry = last_audit()
    assert (entry.action, entry.actor, entry.organisation_id) == (
        "network.membership.revoked",
        owner,
        agency.pk,
    )


def test_re_granting_a_revoked_role_reactivates_the_same_row(owner, member, agency):
    membership = Membership.objects.get(user=member, organisation=agency)
    services.membership_revoke(actor=owner, membership=membership)

    again = services.membership_grant(
        actor=owner, organisation=agency, user=member, role=Role.EDITOR, title="دبیر خبر"
    )

    assert again.pk == membership.pk
    again.refresh_from_db()
    assert again.is_active
    assert again.title == "دبیر خبر"
    assert Membership.objects.filter(user=member, organisation=agency).count() == 1


def test_granting_a_role_already_held_is_a_persian_error(owner, member, agency):
    with pytest.raises(ValidationError) as caught:
        services.membership_grant(actor=owner, organisation=agency, user=member, role=Role.EDITOR)

    assert caught.value.message_dict == {"role": ["این شخص همین نقش را در این سازمان دارد."]}


# --- people -------------------------------------------------------------------------------------


def test_a_persons_mobile_is_stored_canonical_from_persian_digits(admin_user):
    person = services.person_create(
        actor=admin_user,
        username="reza",
        first_name="رضا",
        last_name="بلوچ",
        mobile="+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
    )

    person.refresh_from_db()
    assert person.mobile == "09121234567"
    assert last_audit().action == "network.person.created"


def test_an_invalid_mobile_is_a_persian_field_error(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=admin_user, username="reza", first_name="رضا", last_name="بلوچ", mobile="۱۲۳"
        )

    assert list(caught.value.message_dict) == ["mobile"]
    assert "موبایل" in caught.value.message_dict["mobile"][0]


def test_a_mobile_already_in_use_is_a_persian_field_error(admin_user, member):
    member.mobile = "09121234567"
    member.save()

    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=admin_user,
            username="reza",
            first_name="رضا",
            last_name="بلوچ",
            mobile="۰۹۱۲۱۲۳۴۵۶۷",
        )

    assert caught.value.message_dict == {"mobile": ["این شماره همراه برای شخص دیگری ثبت شده است."]}


def test_pr_manager_creates_a_person_in_their_agency(owner, agency):
    person = services.person_create(
        actor=owner,
        username="sara",
        first_name="سارا",
        last_name="میر",
        organisation=agency,
        role=Role.EDITOR,
    )

    assert Membership.objects.filter(user=person, organisation=agency, role=Role.EDITOR).exists()
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert actions[-2:] == [
        ("network.person.created", owner.pk),
        ("network.membership.granted", owner.pk),
    ]


def test_pr_manager_cannot_create_a_person_outside_the_network(owner):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=owner, username="sara", first_name="سارا", last_name="میر")


def test_pr_manager_cannot_create_a_person_in_another_agency(owner, other_agency):
    from hamafza.core.models import User

    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=owner,
            username="sara",
            first_name="سارا",
            last_name="میر",
            organisation=other_agency,
            role=Role.EDITOR,
        )

    assert not User.objects.filter(username="sara").exists()


def test_pr_manager_cannot_edit_a_network_admin(owner, admin_user, agency):
    # Even when the admin also holds a role in the agency.
    Membership.objects.create(user=admin_user, organisation=agency, role=Role.EDITOR)

    with pytest.raises(PermissionDenied):
        services.person_update(actor=owner, person=admin_user, first_name="دیگر")


def test_pr_manager_cannot_edit_someone_also_in_another_agency(owner, member, other_agency):
    Membership.objects.create(user=member, organisation=other_agency, role=Role.EDITOR)

    with pytest.raises(PermissionDenied):
        services.person_update(actor=owner, person=member, first_name="دیگر")


def test_a_person_cannot_deactivate_themself(admin_user):
    with pytest.raises(ValidationError):
        services.person_set_active(actor=admin_user, person=admin_user, active=False)


# --- channels and their audience ------------------------------------------------------------------


def test_a_duplicate_channel_is_a_persian_field_error(owner, member, agency, other_agency):
    services.channel_create(
        actor=owner, organisation=agency, kind="telegram", handle="@behzisti_sb"
    )

    with pytest.raises(ValidationError) as caught:
        services.channel_create(
            actor=owner, organisation=agency, kind="telegram", handle=" @behzisti_sb "
        )

    assert caught.value.message_dict == {"handle": ["این کانال پیش‌تر ثبت شده است."]}
    assert Channel.objects.filter(handle="@behzisti_sb").count() == 1


def test_the_same_handle_on_another_platform_is_fine(owner, agency):
    services.channel_create(
        actor=owner, organisation=agency, kind="telegram", handle="@behzisti_sb"
    )
    services.channel_create(actor=owner, organisation=agency, kind="eitaa", handle="@behzisti_sb")

    assert Channel.objects.filter(handle="@behzisti_sb").count() == 2


def test_channel_create_and_update_are_audited(member, agency):
    channel = services.channel_create(actor=member, organisation=agency, kind="bale", handle="@b")
    assert (last_audit().action, last_audit().actor) == ("network.channel.created", member)

    services.channel_update(actor=member, channel=channel, title="بله بهزیستی")

    entry = last_audit()
    assert (entry.action, entry.actor, entry.data) == (
        "network.channel.updated",
        member,
        {"fields": ["title"]},
    )


@pytest.fixture
def channel(agency):
    return Channel.objects.create(organisation=agency, kind="telegram", handle="@behzisti_sb")


def test_a_second_audience_figure_for_a_day_replaces_the_first(member, channel):
    day = date(2026, 8, 8)
    services.audience_record(actor=member, channel=channel, taken_on=day, members=1200)
    services.audience_record(actor=member, channel=channel, taken_on=day, members=1250)

    assert list(channel.snapshots.values_list("taken_on", "members")) == [(day, 1250)]
    entry = last_audit()
    assert entry.action == "network.audience.recorded"
    assert entry.actor == member
    assert entry.data == {"taken_on": "2026-08-08", "members": 1250}


def test_audience_figures_on_different_days_are_kept(member, channel):
    services.audience_record(actor=member, channel=channel, taken_on=date(2026, 8, 1), members=1200)
    services.audience_record(actor=member, channel=channel, taken_on=date(2026, 8, 8), members=1250)

    assert AudienceSnapshot.objects.filter(channel=channel).count() == 2


def test_a_negative_audience_is_a_persian_error(member, channel):
    with pytest.raises(ValidationError) as caught:
        services.audience_record(
            actor=member, channel=channel, taken_on=date(2026, 8, 8), members=-1
        )

    assert "members" in caught.value.message_dict


def test_another_agencys_pr_manager_cannot_record_audience(other_owner, channel):
    with pytest.raises(PermissionDenied):
        services.audience_record(
            actor=other_owner, channel=channel, taken_on=date(2026, 8, 8), members=5
        )

    assert not channel.snapshots.exists()


def test_changing_a_mobile_to_one_in_use_is_a_persian_field_error(owner, member, other_owner):
    other_owner.mobile = "09121234567"
    other_owner.save()

    with pytest.raises(ValidationError) as caught:
        services.person_update(actor=owner, person=member, mobile="۰۹۱۲-۱۲۳-۴۵۶۷")

    assert caught.value.message_dict == {"mobile": ["این شماره همراه برای شخص دیگری ثبت شده است."]}
    member.refresh_from_db()
    assert member.mobile == ""


def test_renaming_an_organisation_to_a_taken_name_is_a_persian_field_error(
    admin_user, agency, other_agency
):
    with pytest.raises(ValidationError) as caught:
        services.organisation_update(actor=admin_user, organisation=agency, name=other_agency.name)

    assert caught.value.message_dict == {"name": ["سازمانی با این نام هست."]}


def test_moving_a_channel_onto_a_taken_handle_is_a_persian_field_error(member, agency):
    services.channel_create(actor=member, organisation=agency, kind="bale", handle="@one")
    second = services.channel_create(actor=member, organisation=agency, kind="bale", handle="@two")

    with pytest.raises(ValidationError) as caught:
        services.channel_update(actor=member, channel=second, handle="@one")

    assert caught.value.message_dict == {"handle": ["این کانال پیش‌تر ثبت شده است."]}


def test_a_pr_manager_cannot_close_their_agency_and_nobody_closes_the_hub(
    owner, agency, admin_user, hub
):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=owner, organisation=agency, is_active=False)
    with pytest.raises(ValidationError):
        services.organisation_update(actor=admin_user, organisation=hub, is_active=False)


def test_a_pr_manager_cannot_give_a_role_to_someone_outside_their_agency(owner, agency, outsider):
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=owner, organisation=agency, user=outsider, role="editor")


def test_the_last_admin_who_can_log_in_is_kept(admin_user, hub, password):
    from hamafza.network.models import Membership, Role

    second = get_user_model().objects.create_user("second", password=password)
    Membership.objects.create(user=second, organisation=hub, role=Role.NETWORK_ADMIN)
    services.person_set_active(actor=admin_user, person=second, active=False)
    # The only other admin can no longer log in: the last working admin stays.
    with pytest.raises(ValidationError):
        services.membership_revoke(
            actor=admin_user, membership=Membership.objects.get(user=admin_user)
        )


def test_a_javascript_url_or_an_oversized_figure_is_refused_not_stored(member, agency):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            actor=member, organisation=agency, kind="bale", handle="@x", url="javascript:alert(1)"
        )
    assert "url" in refused.value.message_dict
    channel = services.channel_create(actor=member, organisation=agency, kind="bale", handle="@x")
    with pytest.raises(ValidationError):
        services.audience_record(
            actor=member, channel=channel, taken_on=date(2026, 8, 8), members=2**40
        )
    with pytest.raises(ValidationError):
        services.channel_update(actor=member, channel=channel, title="bad\x00title")
