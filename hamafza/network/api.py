from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from hamafza.core.api_errors import AUTH, READ, WRITE, answers

from . import selectors, services
from .models import AudienceSnapshot, ChannelKind, County, OrganisationKind, Province, Role

router = Router(tags=["network"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    kind: OrganisationKind
    parent_id: int | None
    province_id: int
    county_id: int | None
    website: str
    phone: str
    is_active: bool


class OrganisationIn(Schema):
    name: str
    short_name: str = ""
    slug: str
    kind: OrganisationKind
    parent_id: int | None = None
    province_id: int
    county_id: int | None = None
    website: str = ""
    phone: str = ""
    address: str = ""


class OrganisationPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    website: str | None = None
    phone: str | None = None
    address: str | None = None
    is_active: bool | None = None


class MembershipOut(Schema):
    id: int
    user_id: int
    username: str = Field(..., alias="user.username")
    organisation_id: int
    role: Role
    title: str
    is_active: bool


class MembershipIn(Schema):
    user_id: int
    role: Role
    title: str = ""


class ChannelOut(Schema):
    id: int
    organisation_id: int
    kind: ChannelKind
    handle: str
    title: str
    url: str
    is_active: bool


class ChannelIn(Schema):
    kind: ChannelKind
    handle: str
    title: str = ""
    url: str = ""


class ChannelPatch(Schema):
    handle: str | None = None
    title: str | None = None
    url: str | None = None
    is_active: bool | None = None


class AudienceIn(Schema):
    taken_on: date
    members: int


class AudienceOut(Schema):
    taken_on: date
    members: int
    source: AudienceSnapshot.Source


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]


@router.get("/me", response=answers({200: MeOut}, *AUTH))
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "memberships": list(selectors.user_memberships(user).select_related("user")),
    }


@router.get("/organisations", response=answers({200: list[OrganisationOut]}, *AUTH))
def organisation_list(request, q: str = "", kind: str = ""):
    return list(selectors.organisation_list(request.auth, search=q, kind=kind))


@router.post("/organisations", response=answers({201: OrganisationOut}, *WRITE))
def organisation_create(request, payload: OrganisationIn):
    values = payload.dict()
    values["province"] = get_object_or_404(Province, pk=values.pop("province_id"))
    county_id = values.pop("county_id")
    values["county"] = get_object_or_404(County, pk=county_id) if county_id else None
    parent_id = values.pop("parent_id")
    values["parent"] = (
        selectors.organisation_get_for_user(request.auth, parent_id) if parent_id else None
    )
    return Status(201, services.organisation_create(actor=request.auth, **values))


@router.get("/organisations/{org_id}", response=answers({200: OrganisationOut}, *READ))
def organisation_get(request, org_id: int):
    return selectors.organisation_get_for_user(request.auth, org_id)


@router.patch("/organisations/{org_id}", response=answers({200: OrganisationOut}, *WRITE))
def organisation_update(request, org_id: int, payload: OrganisationPatch):
    org = selectors.organisation_get_for_user(request.auth, org_id, action="organisation.change")
    return services.organisation_update(
        actor=request.auth, organisation=org, **payload.dict(exclude_none=True)
    )


@router.get(
    "/organisations/{org_id}/memberships", response=answers({200: list[MembershipOut]}, *READ)
)
def membership_list(request, org_id: int):
    org = selectors.organisation_get_for_user(request.auth, org_id)
    return list(selectors.organisation_members(org))


@router.post("/organisations/{org_id}/memberships", response=answers({201: MembershipOut}, *WRITE))
def membership_grant(request, org_id: int, payload: MembershipIn):
    org = selectors.organisation_get_for_user(
        request.auth, org_id, action="organisation.manage_members"
    )
    person = selectors.person_get_for_user(request.auth, payload.user_id)
    membership = services.membership_grant(
        actor=request.auth, organisation=org, user=person, role=payload.role, title=payload.title
    )
    return Status(201, membership)


@router.delete("/memberships/{membership_id}", response=answers({200: MembershipOut}, *WRITE))
def membership_revoke(request, membership_id: int):
    membership = selectors.membership_get_for_user(request.auth, membership_id)
    return services.membership_revoke(actor=request.auth, membership=membership)


@router.get("/organisations/{org_id}/channels", response=answers({200: list[ChannelOut]}, *READ))
def channel_list(request, org_id: int):
    org = selectors.organisation_get_for_user(request.auth, org_id)
    return list(selectors.organisation_channels(org))


@router.post("/organisations/{org_id}/channels", response=answers({201: ChannelOut}, *WRITE))
def channel_create(request, org_id: int, payload: ChannelIn):
    org = selectors.organisation_get_for_user(
        request.auth, org_id, action="organisation.manage_channels"
    )
    return Status(
        201, services.channel_create(actor=request.auth, organisation=org, **payload.dict())
    )


@router.patch("/channels/{channel_id}", response=answers({200: ChannelOut}, *WRITE))
def channel_update(request, channel_id: int, payload: ChannelPatch):
    channel = selectors.channel_get_for_user(request.auth, channel_id, action="channel.change")
    return services.channel_update(
        actor=request.auth, channel=channel, **payload.dict(exclude_none=True)
    )


@router.get("/channels/{channel_id}/audience", response=answers({200: list[AudienceOut]}, *READ))
def audience_list(request, channel_id: int):
    channel = selectors.channel_get_for_user(request.auth, channel_id)
    return list(channel.snapshots.order_by("-taken_on")[:365])


@router.post("/channels/{channel_id}/audience", response=answers({201: AudienceOut}, *WRITE))
def audience_record(request, channel_id: int, payload: AudienceIn):
    channel = selectors.channel_get_for_user(request.auth, channel_id, action="channel.change")
    return Status(
        201, services.audience_record(actor=request.auth, channel=channel, **payload.dict())
    )
