"""The network's permission rules, registered into core's single `can()` policy.

Network admins manage everything. Everyone else acts through their memberships: a role in
an organisation applies to it and to the organisations under it (an agency's PR manager
also manages its county offices), never to a sibling or to the organisation above.
"""

from django.db.models import Q

from hamafza.core.permissions import rule

from .models import Channel, Membership, Organisation, Role

EDITING_ROLES = {Role.PR_MANAGER, Role.EDITOR}


def roles_by_organisation(user) -> dict[int, set[str]]:
    """The user's active roles per organisation id, loaded once per user object (a request)."""
    cached = getattr(user, "_hamafza_roles", None)
    if cached is None:
        cached = {}
        for org_id, role in (
            # No order: this runs on every request, and the default Persian order sorts.
            Membership.objects.active()
            .filter(user=user)
            .order_by()
            .values_list("organisation_id", "role")
        ):
            cached.setdefault(org_id, set()).add(role)
        user._hamafza_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (and what apps derived from them) after the user's
    memberships change."""
    for name in [k for k in user.__dict__ if k.startswith("_hamafza_")]:
        user.__dict__.pop(name, None)


def is_network_admin(user) -> bool:
    return user.is_superuser or holds_any_role(user, {Role.NETWORK_ADMIN})


def _lineage_ids(org: Organisation) -> list[int]:
    """The organisation and those above it (the chain is short: hub → agency → county)."""
    ids, seen, current = [], set(), org
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return ids


def roles_in(user, org: Organisation) -> set[str]:
    """The roles the user holds in `org`, directly or through an organisation above it."""
    held = roles_by_organisation(user)
    roles: set[str] = set()
    for org_id in _lineage_ids(org):
        roles |= held.get(org_id, set())
    return roles


# --- the role questions other apps ask (they never filter memberships themselves) ---------


def holds_any_role(user, roles) -> bool:
    """Whether the user holds one of `roles` in some organisation (being a network admin
    does not count unless that is one of them)."""
    wanted = set(roles)
    return any(held & wanted for held in roles_by_organisation(user).values())


def organisations_holding(user, roles) -> set[int]:
    """Ids of the organisations where the user holds one of `roles` themselves (not
    those below them)."""
    wanted = set(roles)
    return {oid for oid, held in roles_by_organisation(user).items() if held & wanted}


def organisations_where(user, roles) -> set[int] | None:
    """Ids of the organisations where one of the user's `roles` applies: where they hold
    it and those below, or None meaning every one (a network admin)."""
    if is_network_admin(user):
        return None
    return _with_descendants(organisations_holding(user, roles))


def holders(organisation_id: int, roles):
    """The active people who hold one of `roles` in the organisation itself."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=set(roles)
    )
    return get_user_model().objects.filter(
        is_active=True, pk__in=memberships.order_by().values("user_id")
    )


def managed_organisation_ids(user) -> set[int] | None:
    """Ids of organisations the user manages as PR manager (with those below), or None
    meaning all of them (a network admin)."""
    return organisations_where(user, {Role.PR_MANAGER})


def visible_organisation_ids(user) -> set[int] | None:
    """Ids of organisations the user may see (None: all): their own, and those below the
    ones they manage (the same rule as `organisation.view`)."""
    if is_network_admin(user):
        return None
    return set(roles_by_organisation(user)) | (managed_organisation_ids(user) or set())


def _with_descendants(roots: set[int]) -> set[int]:
    found, frontier = set(roots), set(roots)
    while frontier:
        frontier = (
            set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            - found
        )
        found |= frontier
    return found


@rule("organisation.view")
def _view_organisation(user, org: Organisation) -> bool:
    """Members see their own organisation; a PR manager also sees those below it. An
    instructor or coordinator at the hub does not thereby see every agency's people."""
    if is_network_admin(user) or roles_by_organisation(user).get(org.pk):
        return True
    return Role.PR_MANAGER in roles_in(user, org)


@rule("network.admin")
def _network_admin(user, _obj=None) -> bool:
    """Network-wide acts: moving or closing organisations, people outside any agency."""
    return is_network_admin(user)


@rule("organisation.create")
def _create_organisation(user, _obj=None) -> bool:
    return is_network_admin(user)


@rule("organisation.change")
def _change_organisation(user, org: Organisation) -> bool:
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, org)


@rule("organisation.manage_members")
def _manage_members(user, org: Organisation) -> bool:
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, org)


@rule("organisation.manage_channels")
def _manage_channels(user, org: Organisation) -> bool:
    return is_network_admin(user) or bool(EDITING_ROLES & roles_in(user, org))


@rule("organisation.view_audit")
def _view_organisation_audit(user, org: Organisation) -> bool:
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, org)


@rule("channel.view")
def _view_channel(user, channel: Channel) -> bool:
    return _view_organisation(user, channel.organisation)


@rule("channel.change")
def _change_channel(user, channel: Channel) -> bool:
    return _manage_channels(user, channel.organisation)


@rule("person.list")
def _list_people(user, _obj=None) -> bool:
    return is_network_admin(user) or managed_organisation_ids(user) != set()


@rule("person.create")
def _create_person(user, _obj=None) -> bool:
    return _list_people(user)


@rule("person.view")
def _view_person(user, person) -> bool:
    if is_network_admin(user) or person.pk == user.pk:
        return True
    managed = managed_organisation_ids(user) or set()
    return person.memberships.filter(organisation_id__in=managed).exists()


@rule("person.change")
def _change_person(user, person) -> bool:
    """A PR manager may edit only people wholly inside what they manage: never an admin,
    never someone who also belongs to an organisation they do not manage."""
    if is_network_admin(user) or person.pk == user.pk:
        return True
    if person.is_superuser or is_network_admin(person):
        return False
    managed = managed_organisation_ids(user) or set()
    org_ids = set(person.memberships.values_list("organisation_id", flat=True))
    return bool(org_ids) and org_ids <= managed


@rule("person.set_active")
def _set_person_active(user, _obj=None) -> bool:
    return is_network_admin(user)


@rule("network.grant_admin")
def _grant_admin(user, _obj=None) -> bool:
    return is_network_admin(user)


def top_network_admins() -> Q:
    """The network admins of the organisations at the top of the tree (the ministry, or
    the hub where a deployment serves one province): the deployment's operators."""
    return Q(
        pk__in=Membership.objects.active()
        .filter(role=Role.NETWORK_ADMIN, organisation__parent__isnull=True)
        .values("user_id")
    )


def grantable_roles(user) -> list[tuple[str, str]]:
    """The roles `user` may give, for the forms to offer (the service decides again):
    the network admin's role only by those the policy lets grant it."""
    from hamafza.core.permissions import can

    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.NETWORK_ADMIN or can(user, "network.grant_admin")
    ]


REQUIRED_ROLES_CACHE = "network:two-factor-roles"


def two_factor_required(user) -> bool:
    """Whether one of the user's active roles is one a network admin requires two-factor
    sign-in of. The required roles are asked on every page, so they are cached for a
    minute. The service clears the cache when they change; without Redis each process has
    a cache of its own, so the others follow within that minute."""
    from django.core.cache import cache

    from .models import TwoFactorRequirement

    required = cache.get(REQUIRED_ROLES_CACHE)
    if required is None:
        required = set(TwoFactorRequirement.objects.values_list("role", flat=True))
        cache.set(REQUIRED_ROLES_CACHE, required, 60)
    if not required:
        return False
    return any(required & roles for roles in roles_by_organisation(user).values())
