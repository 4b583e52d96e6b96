"""Seasons, their mawkibs and roles, and the shifts generated from templates."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.persian.dates import TEHRAN

from ..models import (
    HOLDING,
    Mawkib,
    Season,
    ServiceRole,
    Shift,
    ShiftBatch,
    ShiftDemand,
    ShiftTemplate,
    TemplateDemand,
)


@transaction.atomic
def season_copy_next(*, actor, season: Season, **window) -> Season:
    """Start next season from this one: the same mawkibs, roles and shift templates, with
    no applications and no shifts. `window` gives the new sign-up dates."""
    require(actor, "mawkib.coordinate")
    year = season.hijri_year + 1
    if Season.objects.filter(hijri_year=year).exists():
        raise ValidationError(_("فصل اربعین %(year)s پیش‌تر ساخته شده است.") % {"year": year})
    new = Season.objects.create(
        hijri_year=year,
        title=_("اربعین %(year)s") % {"year": year},
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
            season=new, site_key=mawkib.site_key, name=mawkib.name, kind=mawkib.kind, county=mawkib.county,
            latitude=mawkib.latitude, longitude=mawkib.longitude, facilities=mawkib.facilities,
            has_men_section=mawkib.has_men_section, has_women_section=mawkib.has_women_section,
        )  # fmt: skip
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
                mawkib_id=template.mawkib_id, batch=batch, template=template, name=template.name,
                starts_at=starts_at, ends_at=starts_at + timedelta(hours=template.hours),
            )  # fmt: skip
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
    held = Shift.objects.filter(batch=batch, assignments__status__in=HOLDING).distinct().count()
    if held:
        raise ValidationError(
            _("%(n)s نوبت از این دسته خادم دارد؛ نخست آن‌ها را جابه‌جا یا لغو کنید.") % {"n": held}
        )
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
            {"capacity": _("%(n)s نفر این جا را گرفته‌اند؛ ظرفیت کمتر از آن نمی‌شود.") % {"n": taken}}
        )
    old = demand.capacity
    demand.capacity = capacity
    demand.save(update_fields=["capacity"])
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
