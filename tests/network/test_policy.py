"""The role questions the network answers for the other apps (they never filter the
memberships themselves): where a person's roles apply, whether they hold any, and who
holds a role in an organisation."""

from hamafza.network.models import Membership, Organisation, OrganisationKind, Role
from hamafza.network.policy import (
    holders,
    holds_any_role,
    organisations_holding,
    organisations_where,
)
from tests.conftest import grant, make_user


def county_office(agency):
    return Organisation.objects.create(
        name="بهزیستی شهرستان زاهدان",
        slug="behzisti-zahedan",
        kind=OrganisationKind.COUNTY_OFFICE,
        province=agency.province,
        parent=agency,
    )


def test_a_role_applies_where_it_is_held_and_below(owner, member, agency, other_agency):
    office = county_office(agency)

    assert organisations_where(owner, {Role.PR_MANAGER}) == {agency.pk, office.pk}
    assert organisations_holding(owner, {Role.PR_MANAGER}) == {agency.pk}
    assert organisations_where(member, {Role.PR_MANAGER}) == set()
    assert organisations_where(member, {Role.EDITOR, Role.REVIEWER}) == {agency.pk, office.pk}


def test_a_network_admin_reaches_every_organisation_but_holds_only_their_role(admin_user):
    assert organisations_where(admin_user, {Role.PR_MANAGER}) is None
    assert organisations_holding(admin_user, {Role.PR_MANAGER}) == set()
    assert holds_any_role(admin_user, {Role.PR_MANAGER}) is False
    assert holds_any_role(admin_user, {Role.NETWORK_ADMIN}) is True


def test_holds_any_role(owner, member, outsider):
    assert holds_any_role(owner, {Role.PR_MANAGER, Role.REVIEWER})
    assert not holds_any_role(member, {Role.PR_MANAGER, Role.REVIEWER})
    assert not holds_any_role(outsider, set(Role.values))


def test_an_ended_role_counts_nowhere(owner, agency):
    Membership.objects.filter(user=owner).update(is_active=False)
    owner = type(owner).objects.get(pk=owner.pk)  # a new request: roles not yet cached

    assert organisations_where(owner, {Role.PR_MANAGER}) == set()
    assert not holds_any_role(owner, {Role.PR_MANAGER})


def test_holders_are_the_active_people_with_the_role_in_the_organisation_itself(
    owner, member, other_owner, agency, hub
):
    gone = grant(make_user("gone"), agency, Role.PR_MANAGER)
    gone.is_active = False
    gone.save()
    ended = grant(make_user("ended"), agency, Role.PR_MANAGER)
    Membership.objects.filter(user=ended).update(is_active=False)
    grant(make_user("above"), hub, Role.PR_MANAGER)

    assert list(holders(agency.pk, {Role.PR_MANAGER})) == [owner]
    assert set(holders(agency.pk, {Role.PR_MANAGER, Role.EDITOR})) == {owner, member}
