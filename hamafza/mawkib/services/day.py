"""The day of service: what each mawkib gave, shift by shift (check-in and check-out
themselves are roster actions, in roster.py)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import require

from ..models import Mawkib, ServiceLog, Shift

LOG_COUNTS = (
    "pilgrims_men",
    "pilgrims_women",
    "meals",
    "tea_water",
    "first_aid_visits",
    "lodging_nights",
)


@transaction.atomic
def service_log_record(
    *,
    actor,
    mawkib: Mawkib,
    shift: Shift | None = None,
    day: date | None = None,
    notes="",
    **counts,
) -> tuple[ServiceLog, bool]:
    """Record what a mawkib served in one shift (or, with no shift, on one day). There is one
    log per shift (and one per shift-less day): recording again updates it. Returns
    (log, created)."""
    require(actor, "mawkib.checkin", mawkib)
    if shift is not None:
        if shift.mawkib_id != mawkib.pk:
            raise ValidationError({"shift": _("این نوبت از موکب دیگری است.")})
        day = timezone.localdate(shift.starts_at)
    if day is None:
        raise ValidationError({"day": _("روز یا نوبت را برگزینید.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("گزارش روزی را که هنوز نرسیده نمی‌توان ثبت کرد.")})
    values = {}
    for name in LOG_COUNTS:
        value = counts.get(name) or 0
        if value < 0:
            raise ValidationError({name: _("شمار نمی‌تواند منفی باشد.")})
        values[name] = value
    values.update(notes=(notes or "").strip(), recorded_by=actor, recorded_at=timezone.now())
    log = _locked_log(mawkib, shift, day)
    created = log is None
    if created:
        try:
            with transaction.atomic():
                log = ServiceLog.objects.create(mawkib=mawkib, shift=shift, day=day, **values)
        except IntegrityError:
            # Someone else recorded this shift at the same moment: theirs is updated instead.
            log = _locked_log(mawkib, shift, day)
            created = False
    if not created:
        for name, value in values.items():
            setattr(log, name, value)
        log.save(update_fields=list(values))
    audit(
        actor=actor,
        action="mawkib.service_log.recorded" if created else "mawkib.service_log.updated",
        target=log,
        data={name: values[name] for name in LOG_COUNTS},
    )
    return log, created


def _locked_log(mawkib: Mawkib, shift: Shift | None, day: date) -> ServiceLog | None:
    logs = ServiceLog.objects.select_for_update().filter(mawkib=mawkib)
    if shift is not None:
        return logs.filter(shift=shift).first()
    return logs.filter(shift__isnull=True, day=day).first()
