"""Seasons, their mawkibs and roles, and the shifts generated from templates."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit, changed_fields
from hamafza.core.permissions import require
from hamafza.persian.dates import TEHRAN, InvalidDate
from hamafza.persian.digits import to_persian_digits

from ..models import (
    HOLDING,
    AgencyQuota,
    Assignment,
    AssignmentStatus,
    Mawkib,
    Season,
    ServiceRole,
    Shift,
    ShiftBatch,
    ShiftDemand,
    ShiftTemplate,
    TemplateDemand,
)
from .applications import counted_nominations
from .roster import places_freed


@transaction.atomic
def season_copy_next(*, actor, season: Season, **window) -> Season:
    """Start next season from this one: the same mawkibs, roles and shift templates, with
    no applications and no shifts. `window` gives the new sign-up dates."""
    require(actor, "mawkib.coordinate")
    year = season.hijri_year + 1
    if Season.objects.filter(hijri_year=year).exists():
        raise ValidationError(
            _("فصل اربعین %(year)s پیش‌تر ساخته شده است.") % {"year": to_persian_digits(year)}
        )
    _check_window(year, window)
    new = Season.objects.create(
        hijri_year=year,
        title=_("اربعین %(year)s") % {"year": to_persian_digits(year)},
        min_rest_hours=season.min_rest_hours,
        copied_from=season,
        **window,
    )
    roles = {}
    for role in season.roles.all():
        roles[role.pk] = ServiceRole.objects.create(
            season=new,
            code=role.code,
            name=role.name,
            staffing=role.staffing,
            requirements=role.requirements,
        )
    for mawkib in season.mawkibs.prefetch_related("templates__demands", "managers"):
        copy = Mawkib.objects.create(
            season=new,
            site_key=mawkib.site_key,
            name=mawkib.name,
            kind=mawkib.kind,
            county=mawkib.county,
            latitude=mawkib.latitude,
            longitude=mawkib.longitude,
            facilities=mawkib.facilities,
            has_men_section=mawkib.has_men_section,
            has_women_section=mawkib.has_women_section,
        )
        copy.managers.set(mawkib.managers.all())
        for template in mawkib.templates.all():
            new_template = ShiftTemplate.objects.create(
                mawkib=copy, name=template.name, starts=template.starts, hours=template.hours
            )
            TemplateDemand.objects.bulk_create(
                TemplateDemand(
                    template=new_template, role=roles[d.role_id], gender=d.gender, count=d.count
                )
                for d in template.demands.all()
            )
    audit(actor=actor, action="mawkib.season.copied", target=new, data={"from": season.pk})
    return new


@transaction.atomic
def shifts_generate(*, actor, season: Season, first_day: date, last_day: date) -> ShiftBatch:
    """Turn every template of the season into dated shifts, one batch that can be undone.
    Shifts that already exist (same mawkib, start and name) are left as they are."""
    require(actor, "mawkib.coordinate")
    if last_day < first_day:
        raise ValidationError({"last_day": _("روز پایان پیش از روز آغاز است.")})
    if (last_day - first_day).days > 40:
        raise ValidationError({"last_day": _("بیش از ۴۰ روز را یک‌جا نمی‌توان ساخت.")})
    batch = ShiftBatch.objects.create(
        season=season, first_day=first_day, last_day=last_day, created_by=actor
    )
    templates = ShiftTemplate.objects.filter(mawkib__season=season).prefetch_related("demands")
    existing = set(
        Shift.objects.filter(mawkib__season=season).values_list("mawkib_id", "starts_at", "name")
    )
    shifts, demands = [], []
    day = first_day
    while day <= last_day:
        for template in templates:
            starts_at = datetime.combine(day, template.starts, tzinfo=TEHRAN)
            if (template.mawkib_id, starts_at, template.name) in existing:
                continue
            shift = Shift(
                mawkib_id=template.mawkib_id,
                batch=batch,
                template=template,
                name=template.name,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=template.hours),
            )
            shifts.append(shift)
            demands.extend(
                ShiftDemand(shift=shift, role_id=d.role_id, gender=d.gender, capacity=d.count)
                for d in template.demands.all()
            )
        day += timedelta(days=1)
    Shift.objects.bulk_create(shifts)
    for demand in demands:
        demand.shift_id = demand.shift.pk
    ShiftDemand.objects.bulk_create(demands)
    audit(
        actor=actor,
        action="mawkib.shifts.generated",
        target=batch,
        data={
            "shifts": len(shifts),
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
        },
    )
    return batch


@transaction.atomic
def shift_batch_undo(*, actor, batch: ShiftBatch) -> int:
    """Remove a generated batch, as long as nobody holds a place in it yet."""
    require(actor, "mawkib.coordinate")
    batch = ShiftBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at:
        raise ValidationError(_("این دسته پیش‌تر برداشته شده است."))
    # A no-show is a record of the day, so only places given back (cancelled) may go with
    # the batch; the audit log keeps their history.
    held = (
        Assignment.objects.filter(shift__batch=batch)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("shift")
        .distinct()
        .count()
    )
    if held:
        raise ValidationError(
            _("%(n)s نوبت از این دسته خادم دارد؛ نخست آن‌ها را جابه‌جا یا لغو کنید.")
            % {"n": to_persian_digits(held)}
        )
    Assignment.objects.filter(shift__batch=batch, status=AssignmentStatus.CANCELLED).delete()
    removed, _detail = Shift.objects.filter(batch=batch).delete()
    batch.undone_at = timezone.now()
    batch.save(update_fields=["undone_at"])
    audit(actor=actor, action="mawkib.shifts.undone", target=batch, data={"rows": removed})
    return removed


@transaction.atomic
def demand_set_capacity(*, actor, demand: ShiftDemand, capacity: int) -> ShiftDemand:
    """Change one shift's need; never below the places already taken."""
    require(actor, "mawkib.coordinate")
    demand = ShiftDemand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    taken = demand.assignments.filter(status__in=HOLDING).count()
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(n)s نفر این جا را گرفته‌اند؛ ظرفیت کمتر از آن نمی‌شود.")
                % {"n": to_persian_digits(taken)}
            }
        )
    old = demand.capacity
    demand.capacity = capacity
    demand.save(update_fields=["capacity"])
    places_freed([demand.pk])
    audit(
        actor=actor,
        action="mawkib.demand.changed",
        target=demand,
        data={"from": old, "to": capacity},
    )
    return demand


def demand_counts(demands):
    """Annotate demands with the places taken and the people present."""
    return demands.annotate(
        taken=Count("assignments", filter=Q(assignments__status__in=HOLDING)),
        present=Count("assignments", filter=Q(assignments__status="checked_in")),
    )


# --- Setting a season up: the season, its mawkibs, roles, shift templates and quotas ---


def _check_window(hijri_year: int, values: dict) -> None:
    """The sign-up window must be ordered and the year's Arbaeen must be computable."""
    try:
        Season(hijri_year=hijri_year).arbaeen  # noqa: B018  (raises for a year out of range)
    except InvalidDate as error:
        raise ValidationError({"hijri_year": str(error)}) from None
    opens, closes = values.get("signup_opens_at"), values.get("signup_closes_at")
    deadline = values.get("edit_deadline")
    if opens and closes and closes <= opens:
        raise ValidationError({"signup_closes_at": _("پایان ثبت‌نام باید پس از آغاز آن باشد.")})
    if opens and deadline and deadline < opens:
        raise ValidationError({"edit_deadline": _("مهلت ویرایش نمی‌تواند پیش از آغاز ثبت‌نام باشد.")})


SEASON_FIELDS = ("title", "signup_opens_at", "signup_closes_at", "edit_deadline", "min_rest_hours")


@transaction.atomic
def season_create(
    *,
    actor,
    hijri_year: int,
    title: str = "",
    signup_opens_at,
    signup_closes_at,
    edit_deadline,
    min_rest_hours: int = 8,
) -> Season:
    """Open a new Arbaeen season (an empty one; `season_copy_next` starts from the last)."""
    require(actor, "mawkib.coordinate")
    values = {
        "signup_opens_at": signup_opens_at,
        "signup_closes_at": signup_closes_at,
        "edit_deadline": edit_deadline,
    }
    _check_window(hijri_year, values)
    if Season.objects.filter(hijri_year=hijri_year).exists():
        raise ValidationError(
            {
                "hijri_year": _("فصل اربعین %(year)s پیش‌تر ساخته شده است.")
                % {"year": to_persian_digits(hijri_year)}
            }
        )
    season = Season.objects.create(
        hijri_year=hijri_year,
        title=title.strip() or _("اربعین %(year)s") % {"year": to_persian_digits(hijri_year)},
        min_rest_hours=min_rest_hours,
        **values,
    )
    audit(actor=actor, action="mawkib.season.created", target=season)
    return season


@transaction.atomic
def season_update(*, actor, season: Season, **values) -> Season:
    """Change a season's title, sign-up window, edit deadline or rest rule."""
    require(actor, "mawkib.coordinate")
    season = Season.objects.select_for_update().get(pk=season.pk)
    values = {k: v for k, v in values.items() if k in SEASON_FIELDS}
    merged = {name: values.get(name, getattr(season, name)) for name in SEASON_FIELDS}
    _check_window(season.hijri_year, merged)
    changed = changed_fields(season, values)
    if changed:
        season.save(update_fields=changed)
        audit(actor=actor, action="mawkib.season.changed", target=season, data={"fields": changed})
    return season


MAWKIB_FIELDS = (
    "site_key",
    "name",
    "kind",
    "county",
    "latitude",
    "longitude",
    "facilities",
    "has_men_section",
    "has_women_section",
)


def _check_mawkib(values: dict) -> None:
    if values.get("has_men_section") is False and values.get("has_women_section") is False:
        raise ValidationError(_("موکب دست‌کم یک بخش (آقایان یا بانوان) دارد."))
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        raise ValidationError({"longitude": _("عرض و طول جغرافیایی را با هم بنویسید.")})
    if lat is not None and not (-90 <= lat <= 90):
        raise ValidationError({"latitude": _("عرض جغرافیایی باید میان ۹۰- و ۹۰ باشد.")})
    if lon is not None and not (-180 <= lon <= 180):
        raise ValidationError({"longitude": _("طول جغرافیایی باید میان ۱۸۰- و ۱۸۰ باشد.")})


@transaction.atomic
def mawkib_create(*, actor, season: Season, managers=(), **values) -> Mawkib:
    require(actor, "mawkib.coordinate")
    values = {k: v for k, v in values.items() if k in MAWKIB_FIELDS}
    _check_mawkib(values)
    if Mawkib.objects.filter(season=season, site_key=values.get("site_key")).exists():
        raise ValidationError({"site_key": _("موکبی با این شناسه در این فصل هست.")})
    mawkib = Mawkib.objects.create(season=season, **values)
    mawkib.managers.set(managers)
    audit(actor=actor, action="mawkib.mawkib.created", target=mawkib)
    return mawkib


@transaction.atomic
def mawkib_update(*, actor, mawkib: Mawkib, managers=None, **values) -> Mawkib:
    """Edit a mawkib: name, place, kind, facilities, sections; `managers` replaces the list."""
    require(actor, "mawkib.coordinate")
    mawkib = Mawkib.objects.select_for_update().get(pk=mawkib.pk)
    values = {k: v for k, v in values.items() if k in MAWKIB_FIELDS}
    _check_mawkib({name: values.get(name, getattr(mawkib, name)) for name in MAWKIB_FIELDS})
    key = values.get("site_key")
    if key and key != mawkib.site_key:
        if Mawkib.objects.filter(season_id=mawkib.season_id, site_key=key).exists():
            raise ValidationError({"site_key": _("موکبی با این شناسه در این فصل هست.")})
    changed = changed_fields(mawkib, values)
    if changed:
        mawkib.save(update_fields=changed)
    if managers is not None:
        before = set(mawkib.managers.values_list("pk", flat=True))
        after = {m.pk for m in managers}
        if before != after:
            mawkib.managers.set(managers)
            changed.append("managers")
    if changed:
        audit(actor=actor, action="mawkib.mawkib.changed", target=mawkib, data={"fields": changed})
    return mawkib


ROLE_FIELDS = ("code", "name", "staffing", "requirements")


@transaction.atomic
def role_create(*, actor, season: Season, **values) -> ServiceRole:
    require(actor, "mawkib.coordinate")
    values = {k: v for k, v in values.items() if k in ROLE_FIELDS}
    if ServiceRole.objects.filter(season=season, code=values.get("code")).exists():
        raise ValidationError({"code": _("نقشی با این کد در این فصل هست.")})
    role = ServiceRole.objects.create(season=season, **values)
    audit(actor=actor, action="mawkib.role.created", target=role)
    return role


@transaction.atomic
def role_update(*, actor, role: ServiceRole, **values) -> ServiceRole:
    require(actor, "mawkib.coordinate")
    role = ServiceRole.objects.select_for_update().get(pk=role.pk)
    values = {k: v for k, v in values.items() if k in ROLE_FIELDS}
    code = values.get("code")
    if code and code != role.code:
        if ServiceRole.objects.filter(season_id=role.season_id, code=code).exists():
            raise ValidationError({"code": _("نقشی با این کد در این فصل هست.")})
    changed = changed_fields(role, values)
    if changed:
        role.save(update_fields=changed)
        audit(actor=actor, action="mawkib.role.changed", target=role, data={"fields": changed})
    return role


@transaction.atomic
def template_create(*, actor, mawkib: Mawkib, name: str, starts, hours: int) -> ShiftTemplate:
    """A daily shift pattern of a mawkib (generation turns it into dated shifts)."""
    require(actor, "mawkib.coordinate")
    if not 1 <= hours <= 24:
        raise ValidationError({"hours": _("مدت نوبت باید از ۱ تا ۲۴ ساعت باشد.")})
    if ShiftTemplate.objects.filter(mawkib=mawkib, name=name.strip()).exists():
        raise ValidationError({"name": _("این موکب نوبتی با همین نام دارد.")})
    template = ShiftTemplate.objects.create(
        mawkib=mawkib, name=name.strip(), starts=starts, hours=hours
    )
    audit(actor=actor, action="mawkib.template.created", target=template)
    return template


@transaction.atomic
def template_delete(*, actor, template: ShiftTemplate) -> None:
    """Remove a template; shifts already generated from it stay."""
    require(actor, "mawkib.coordinate")
    audit(actor=actor, action="mawkib.template.deleted", target=template)
    template.delete()


@transaction.atomic
def template_demand_set(
    *, actor, template: ShiftTemplate, role: ServiceRole, gender: str, count: int
) -> TemplateDemand | None:
    """How many people of a role (and section) a template's shifts need; 0 removes it.
    Shifts already generated keep their own demand (change those one by one)."""
    require(actor, "mawkib.coordinate")
    mawkib = template.mawkib
    if role.season_id != mawkib.season_id:
        raise ValidationError({"role": _("این نقش از فصل دیگری است.")})
    if role.staffing != "any" and gender != role.staffing:
        raise ValidationError(
            {
                "gender": _("نقش «%(role)s» فقط برای بخش %(section)s است.")
                % {"role": role, "section": role.get_staffing_display()}
            }
        )
    if gender in ("men", "women") and gender not in mawkib.sections():
        raise ValidationError({"gender": _("این موکب چنین بخشی ندارد.")})
    if count < 0:
        raise ValidationError({"count": _("تعداد نمی‌تواند منفی باشد.")})
    current = TemplateDemand.objects.filter(template=template, role=role, gender=gender)
    if count == 0:
        current.delete()
        demand = None
    else:
        demand, _created = TemplateDemand.objects.update_or_create(
            template=template, role=role, gender=gender, defaults={"count": count}
        )
    audit(
        actor=actor,
        action="mawkib.template.demand_set",
        target=template,
        data={"role": role.code, "gender": gender, "count": count},
    )
    return demand


@transaction.atomic
def quota_set(*, actor, season: Season, organisation, quota: int) -> AgencyQuota:
    """How many of its staff an agency's PR manager may nominate; never below those
    already nominated."""
    require(actor, "mawkib.coordinate")
    row = (
        AgencyQuota.objects.select_for_update()
        .filter(season=season, organisation=organisation)
        .first()
    )
    used = counted_nominations(season).filter(organisation=organisation).count()
    if quota < used:
        raise ValidationError(
            {
                "quota": _("این دستگاه تاکنون %(n)s نفر معرفی کرده است؛ سهمیه کمتر از آن نمی‌شود.")
                % {"n": to_persian_digits(used)}
            }
        )
    old = row.quota if row else None
    if row is None:
        row = AgencyQuota.objects.create(season=season, organisation=organisation, quota=quota)
    else:
        row.quota = quota
        row.save(update_fields=["quota"])
    audit(
        actor=actor,
        action="mawkib.quota.set",
        target=row,
        organisation_id=organisation.pk,
        data={"from": old, "to": quota},
    )
    return row
