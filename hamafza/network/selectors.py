"""Reads the network's views and API share, each through the policy: the permission-checked
getters (`<entity>_get_for_user`) and the lists a user may see."""

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from hamafza.core.collation import PERSON_ORDER, persian_order
from hamafza.core.permissions import fetch_or_404, get_for_user, require
from hamafza.core.search import name_contains_any
from hamafza.persian.digits import to_latin_digits

from .models import AudienceSnapshot, Channel, Membership, Organisation
from .policy import managed_organisation_ids, visible_organisation_ids

User = get_user_model()


def organisation_get_for_user(user, pk, *, action: str = "organisation.view") -> Organisation:
    org = fetch_or_404(Organisation.objects.select_related("parent", "province", "county"), pk)
    return get_for_user(user, org, view_action="organisation.view", action=action)


def channel_get_for_user(user, pk, *, action: str = "channel.view") -> Channel:
    channel = fetch_or_404(Channel.objects.select_related("organisation__parent"), pk)
    return get_for_user(user, channel, view_action="channel.view", action=action)


def person_get_for_user(user, pk, *, action: str = "person.view"):
    person = fetch_or_404(User.objects.all(), pk)
    return get_for_user(user, person, view_action="person.view", action=action)


def membership_get_for_user(user, pk) -> Membership:
    """Memberships are managed through their organisation: seeing one needs the right to
    manage that organisation's members."""
    membership = fetch_or_404(Membership.objects.select_related("organisation__parent", "user"), pk)
    get_for_user(
        user,
        membership.organisation,
        view_action="organisation.view",
        action="organisation.manage_members",
    )
    return membership


def organisation_list(user, *, search: str = "", kind: str = "") -> QuerySet[Organisation]:
    visible = visible_organisation_ids(user)
    orgs = Organisation.objects.select_related("parent", "county").annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        channel_count=Count("channels", distinct=True),
    )
    if visible is not None:
        orgs = orgs.filter(id__in=visible)
    if search:
        orgs = orgs.filter(name_contains_any(("name", "short_name"), search))
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs.in_network_order()


def person_list(user, *, search: str = "") -> QuerySet:
    require(user, "person.list")
    managed = managed_organisation_ids(user)
    people = User.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                persian_order("organisation__name")
            ),
        )
    )
    if managed is not None:
        people = people.filter(memberships__organisation_id__in=managed).distinct()
    if search:
        people = people.filter(
            Q(username__icontains=search)
            | name_contains_any(("first_name", "last_name"), search)
            | Q(mobile__icontains=to_latin_digits(search))
        )
    return people.order_by(*PERSON_ORDER)


def organisation_members(org: Organisation) -> QuerySet[Membership]:
    return org.memberships.select_related("user").order_by(
        "-is_active", "role", persian_order("user__last_name")
    )


def with_latest_audience(channels: QuerySet[Channel]) -> QuerySet[Channel]:
    """Annotate each channel with its latest audience figure and its date."""
    latest = AudienceSnapshot.objects.filter(channel=OuterRef("pk")).order_by("-taken_on")
    return channels.annotate(
        latest_members=Subquery(latest.values("members")[:1]),
        latest_taken_on=Subquery(latest.values("taken_on")[:1]),
    )


def organisation_channels(org: Organisation) -> QuerySet[Channel]:
    return with_latest_audience(org.channels.order_by("kind", "handle"))


def user_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user).select_related("organisation")


def person_candidates(user) -> QuerySet:
    """People a user may give a role to: anyone for a network admin, otherwise the people
    already in the organisations they manage (new people are created through the person
    form, which places them in one)."""
    managed = managed_organisation_ids(user)
    people = User.objects.filter(is_active=True)
    if managed is not None:
        people = people.filter(memberships__organisation_id__in=managed).distinct()
    return people.order_by(*PERSON_ORDER)
