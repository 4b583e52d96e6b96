"""Every change to the network: one transaction, one permission check, one audit entry."""

from datetime import date

from django.contrib.auth import get_user_model, password_validation
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.audit import audit, changed_fields
from hamafza.core.permissions import require
from hamafza.core.validation import validate_fields
from hamafza.persian.validators import ValidationFailed, normalize_mobile

from .models import (
    CHANNEL_TAKEN,
    GUARDED_ROLES,
    ORGANISATION_NAME_TAKEN,
    ORGANISATION_SLUG_TAKEN,
    PROVINCE_HAS_HUB,
    AudienceSnapshot,
    Channel,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    TwoFactorRequirement,
)
from .policy import REQUIRED_ROLES_CACHE, forget_roles, managed_organisation_ids

User = get_user_model()

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "slug",
    "kind",
    "parent",
    "province",
    "county",
    "website",
    "phone",
    "address",
    "is_active",
)


def _clean_mobile(mobile: str) -> str:
    if not mobile:
        return ""
    try:
        return normalize_mobile(mobile)
    except ValidationFailed as error:
        raise ValidationError({"mobile": str(error)}) from None


def _check_organisation(values: dict, instance: Organisation | None = None) -> None:
    parent = values.get("parent")
    if parent is not None and instance is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == instance.pk:
                raise ValidationError({"parent": _("سازمان نمی‌تواند زیرمجموعه خودش باشد.")})
            ancestor = ancestor.parent
    if values.get("kind") == OrganisationKind.HUB and parent is not None:
        raise ValidationError({"parent": _("اداره کل مرکز شبکه است و بالادست ندارد.")})
    county = values.get("county")
    if county is not None and county.province_id != values["province"].pk:
        raise ValidationError({"county": _("این شهرستان در استان انتخاب‌شده نیست.")})


def _save_unique(instance, *, update_fields=None, messages: dict[str, tuple[str, str]]) -> None:
    """Save, turning a unique-constraint race into the field's Persian message.

    `messages` maps a unique field's name or a constraint's name to (form field, message).
    Which one was violated is found by asking the database again, not by reading the
    error's text: SQLite and PostgreSQL word it differently (SQLite names columns, not
    constraints)."""
    validate_fields(instance, update_fields)
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError:
        for key, (field, message) in messages.items():
            if _violates(instance, key):
                raise ValidationError({field: message}) from None
        raise


def _violates(instance, key: str) -> bool:
    model = type(instance)
    for constraint in model._meta.constraints:
        if constraint.name == key:
            try:
                constraint.validate(model, instance)
            except ValidationError:
                return True
            return False
    value = getattr(instance, model._meta.get_field(key).attname)
    others = model._default_manager.filter(**{key: value})
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    return others.exists()


MOBILE_UNIQUE = {
    "core_user_mobile_unique": ("mobile", _("این شماره همراه برای شخص دیگری ثبت شده است."))
}

ORGANISATION_UNIQUE_MESSAGES = {
    "name": ("name", ORGANISATION_NAME_TAKEN),
    "slug": ("slug", ORGANISATION_SLUG_TAKEN),
    "network_one_hub_per_province": ("kind", PROVINCE_HAS_HUB),
}


@transaction.atomic
def organisation_create(*, actor, **values) -> Organisation:
    require(actor, "organisation.create")
    _check_organisation(values)
    org = Organisation(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    _save_unique(org, messages=ORGANISATION_UNIQUE_MESSAGES)
    audit(actor=actor, action="network.organisation.created", target=org, organisation_id=org.pk)
    return org


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **values) -> Organisation:
    require(actor, "organisation.change", organisation)
    # Moving, re-kinding or closing an organisation reshapes the network: admins only.
    structural = {k for k in ("kind", "parent", "province", "is_active") if k in values}
    if structural and any(getattr(organisation, k) != values[k] for k in structural):
        require(actor, "network.admin")
    if organisation.is_hub and values.get("is_active") is False:
        raise ValidationError({"is_active": _("اداره کل مرکز شبکه است و غیرفعال نمی‌شود.")})
    merged = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS} | values
    _check_organisation(merged, organisation)
    changed = changed_fields(
        organisation, {k: v for k, v in values.items() if k in ORGANISATION_FIELDS}
    )
    if changed:
        _save_unique(organisation, update_fields=changed, messages=ORGANISATION_UNIQUE_MESSAGES)
        audit(
            actor=actor,
            action="network.organisation.updated",
            target=organisation,
            organisation_id=organisation.pk,
            data={"fields": changed},
        )
    return organisation


@transaction.atomic
def person_create(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    mobile: str = "",
    email: str = "",
    password: str | None = None,
    organisation: Organisation | None = None,
    role: str | None = None,
    title: str = "",
):
    """Create a person; a PR manager must place them in an organisation they manage."""
    require(actor, "person.create")
    if organisation is None or not role:
        require(actor, "network.admin")  # only admins create people outside the network
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("این نام کاربری گرفته شده است.")})
    person = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        mobile=_clean_mobile(mobile),
        email=email,
    )
    if password:
        try:
            password_validation.validate_password(password, person)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        person.set_password(password)
        person.must_change_password = True  # chosen by someone else: changed at first login
    else:
        person.set_unusable_password()
    _save_unique(
        person,
        messages={
            **MOBILE_UNIQUE,
            "username": ("username", _("این نام کاربری گرفته شده است.")),
        },
    )
    audit(actor=actor, action="network.person.created", target=person)
    if organisation is not None and role:
        require(actor, "organisation.manage_members", organisation)
        _grant(actor=actor, organisation=organisation, user=person, role=role, title=title)
    return person


@transaction.atomic
def person_update(*, actor, person, **values):
    require(actor, "person.change", person)
    allowed = {
        k: v for k, v in values.items() if k in ("first_name", "last_name", "email", "mobile")
    }
    if "mobile" in allowed:
        allowed["mobile"] = _clean_mobile(allowed["mobile"])
    changed = changed_fields(person, allowed)
    if changed:
        _save_unique(person, update_fields=changed, messages=MOBILE_UNIQUE)
        audit(actor=actor, action="network.person.updated", target=person, data={"fields": changed})
    return person


@transaction.atomic
def person_set_active(*, actor, person, active: bool):
    """Disable or re-enable a person's login (admins only; a person never disables themself,
    and the last active network admin is never disabled)."""
    require(actor, "person.set_active", person)
    if not active:
        admin_roles = Membership.objects.filter(
            user=person, role=Role.NETWORK_ADMIN, is_active=True
        )
        if admin_roles.exists():
            _keep_one_admin(excluding_user=person)
    if person.pk == actor.pk:
        raise ValidationError(_("نمی‌توانید حساب خودتان را غیرفعال کنید."))
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        action = "network.person.activated" if active else "network.person.deactivated"
        audit(actor=actor, action=action, target=person)
    return person


@transaction.atomic
def membership_grant(
    *, actor, organisation: Organisation, user, role: str, title: str = ""
) -> Membership:
    """Give `user` a role in `organisation`; granting a role they held before re-activates it.
    A PR manager may give roles only to people of the organisations they manage (new people
    come through `person_create`, which places them)."""
    require(actor, "organisation.manage_members", organisation)
    managed = managed_organisation_ids(actor)
    if managed is not None and not user.memberships.filter(organisation_id__in=managed).exists():
        raise PermissionDenied
    return _grant(actor=actor, organisation=organisation, user=user, role=role, title=title)


def _grant(*, actor, organisation: Organisation, user, role: str, title: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("این نقش شناخته نیست.")})
    if role == Role.NETWORK_ADMIN:
        require(actor, "network.grant_admin")
        if not organisation.is_hub:
            raise ValidationError({"role": _("مدیر شبکه فقط در اداره کل تعریف می‌شود.")})
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, organisation=organisation, role=role, defaults={"title": title}
    )
    if not created:
        changed = changed_fields(
            membership, {"is_active": True, "title": title or membership.title}
        )
        if not changed:
            raise ValidationError({"role": _("این شخص همین نقش را در این سازمان دارد.")})
        membership.save(update_fields=changed)
    forget_roles(user)
    audit(
        actor=actor,
        action="network.membership.granted",
        target=membership,
        organisation_id=organisation.pk,
        data={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    """End a role. The row stays (inactive) so the history of who held it is kept."""
    require(actor, "organisation.manage_members", membership.organisation)
    if membership.role == Role.NETWORK_ADMIN and membership.is_active:
        require(actor, "network.grant_admin")
        _keep_one_admin(excluding_membership=membership)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        forget_roles(membership.user)
        audit(
            actor=actor,
            action="network.membership.revoked",
            target=membership,
            organisation_id=membership.organisation_id,
            data={"user": membership.user_id, "role": membership.role},
        )
    return membership


def _keep_one_admin(*, excluding_membership=None, excluding_user=None) -> None:
    """Refuse a change that would leave the network without an active admin who can log
    in. The admin rows are locked, so two admins removing each other at once cannot both
    succeed."""
    admins = Membership.objects.select_for_update().filter(
        role=Role.NETWORK_ADMIN, is_active=True, user__is_active=True, organisation__is_active=True
    )
    remaining = [
        m
        for m in admins
        if m.pk != getattr(excluding_membership, "pk", None)
        and m.user_id != getattr(excluding_user, "pk", None)
    ]
    if not remaining:
        raise ValidationError(_("شبکه دست‌کم یک مدیر شبکه فعال لازم دارد."))


CHANNEL_UNIQUE = {"network_channel_kind_handle_unique": ("handle", CHANNEL_TAKEN)}


@transaction.atomic
def channel_create(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    handle: str,
    title: str = "",
    url: str = "",
    is_active: bool = True,
) -> Channel:
    require(actor, "organisation.manage_channels", organisation)
    channel = Channel(
        organisation=organisation,
        kind=kind,
        handle=handle.strip(),
        title=title,
        url=url,
        is_active=is_active,
    )
    _save_unique(channel, messages=CHANNEL_UNIQUE)
    audit(
        actor=actor,
        action="network.channel.created",
        target=channel,
        organisation_id=organisation.pk,
    )
    return channel


@transaction.atomic
def channel_update(*, actor, channel: Channel, **values) -> Channel:
    require(actor, "channel.change", channel)
    allowed = {
        k: v for k, v in values.items() if k in ("kind", "handle", "title", "url", "is_active")
    }
    changed = changed_fields(channel, allowed)
    if changed:
        _save_unique(channel, update_fields=changed, messages=CHANNEL_UNIQUE)
        audit(
            actor=actor,
            action="network.channel.updated",
            target=channel,
            organisation_id=channel.organisation_id,
            data={"fields": changed},
        )
    return channel


@transaction.atomic
def audience_record(
    *,
    actor,
    channel: Channel,
    taken_on: date,
    members: int,
    source: str = AudienceSnapshot.Source.MANUAL,
) -> AudienceSnapshot:
    """Record a channel's audience for a day; a second figure for the same day replaces it
    (the returned snapshot's `replaced` says so)."""
    require(actor, "channel.change", channel)
    if members < 0:
        raise ValidationError({"members": _("شمار مخاطبان نمی‌تواند منفی باشد.")})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("آمار روزی را که هنوز نیامده نمی‌توان ثبت کرد.")})
    validate_fields(
        AudienceSnapshot(channel=channel, taken_on=taken_on, members=members, source=source)
    )
    snapshot, created = AudienceSnapshot.objects.update_or_create(
        channel=channel,
        taken_on=taken_on,
        defaults={"members": members, "source": source, "recorded_by": actor},
    )
    audit(
        actor=actor,
        action="network.audience.recorded",
        target=channel,
        organisation_id=channel.organisation_id,
        data={"taken_on": taken_on.isoformat(), "members": members},
    )
    snapshot.replaced = not created
    return snapshot


@transaction.atomic
def audience_record_collected(
    *, channel: Channel, taken_on: date, members: int
) -> AudienceSnapshot:
    """A figure read from the platform itself by the periodic collector (no person acts,
    so there is no permission to check); it never overwrites one a person entered."""
    validate_fields(
        AudienceSnapshot(
            channel=channel,
            taken_on=taken_on,
            members=members,
            source=AudienceSnapshot.Source.COLLECTED,
        )
    )
    snapshot, created = AudienceSnapshot.objects.get_or_create(
        channel=channel,
        taken_on=taken_on,
        defaults={"members": members, "source": AudienceSnapshot.Source.COLLECTED},
    )
    if not created and snapshot.source == AudienceSnapshot.Source.COLLECTED:
        snapshot.members = members
        snapshot.save(update_fields=["members"])
    audit(
        actor=None,
        action="network.audience.collected",
        target=channel,
        organisation_id=channel.organisation_id,
        data={"taken_on": taken_on.isoformat(), "members": members},
    )
    return snapshot


@transaction.atomic
def two_factor_requirements_set(*, actor, roles: set[str]) -> set[str]:
    """Require two-factor sign-in of exactly these roles (of GUARDED_ROLES); audited when
    something changed. Returns the roles now required."""
    require(actor, "network.admin")
    guarded = {role.value for role in GUARDED_ROLES}
    if roles - guarded:
        raise ValidationError(
            {"roles": _("ورود دومرحله‌ای را تنها برای این نقش‌ها می‌توان لازم کرد.")}
        )
    before = set(TwoFactorRequirement.objects.values_list("role", flat=True))
    if before == roles:
        return roles
    TwoFactorRequirement.objects.exclude(role__in=roles).delete()
    for role in roles - before:
        TwoFactorRequirement.objects.create(role=role, required_by=actor)
    # Now and after the commit: a page between the two must not cache the old roles again.
    cache.delete(REQUIRED_ROLES_CACHE)
    transaction.on_commit(lambda: cache.delete(REQUIRED_ROLES_CACHE))
    audit(
        actor=actor,
        action="network.two_factor.required",
        data={"roles": sorted(roles), "before": sorted(before)},
    )
    return roles
