from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.persian.lunar import override_problems

from .models import LunarMonthOverride
from .selectors import lunar_overrides


@transaction.atomic
def lunar_month_override(
    *, actor, hijri_year: int, month: int, first_day: date, note: str = ""
) -> LunarMonthOverride:
    """Set the first day of a lunar month, refusing a day that would make it or the month
    before it other than 29 or 30 days long."""
    require(actor, "calendar.edit")
    proposed = {**lunar_overrides(), (hijri_year, month): first_day}
    if problems := override_problems(proposed):
        raise ValidationError({"first_day": problems})
    override, _created = LunarMonthOverride.objects.update_or_create(
        hijri_year=hijri_year, month=month,
        defaults={"first_day": first_day, "note": note, "created_by": actor},
    )  # fmt: skip
    audit(
        actor=actor,
        action="occasions.lunar_month.overridden",
        target=override,
        data={"year": hijri_year, "month": month, "first_day": first_day.isoformat()},
    )
    return override


@transaction.atomic
def lunar_month_override_remove(*, actor, override: LunarMonthOverride) -> None:
    require(actor, "calendar.edit")
    audit(actor=actor, action="occasions.lunar_month.restored", target=override)
    override.delete()
