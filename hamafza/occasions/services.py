from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.persian.lunar import override_problems

from .models import LunarMonthOverride


def _locked_overrides() -> dict:
    """Every correction, read under a lock: two editors cannot each pass the month-length
    check against what the other is changing."""
    rows = LunarMonthOverride.objects.select_for_update().values_list(
        "hijri_year", "month", "first_day"
    )
    return {(year, month): first for year, month, first in rows}


@transaction.atomic
def lunar_month_override(
    *, actor, hijri_year: int, month: int, first_day: date, note: str = ""
) -> LunarMonthOverride:
    """Set the first day of a lunar month, refusing a day that would make it or the month
    before it other than 29 or 30 days long."""
    require(actor, "calendar.edit")
    proposed = {**_locked_overrides(), (hijri_year, month): first_day}
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
    remaining = _locked_overrides()
    remaining.pop((override.hijri_year, override.month), None)
    # Going back to the official day can still leave a month of 28 or 31 days beside
    # other corrections: check what remains.
    if problems := override_problems(remaining):
        raise ValidationError(problems)
    audit(actor=actor, action="occasions.lunar_month.restored", target=override)
    override.delete()
