"""The mawkib's SMS notices, rendered when the worker sends them (`core.sms.notices`): the
queue holds the application's or the waiting entry's id, never the tracking code."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hamafza.core.sms import Rendered, sms_notice
from hamafza.persian.dates import jalali_datetime
from hamafza.persian.digits import to_persian_digits

from .models import Application, ApplicationStatus, WaitlistEntry


def _code(application: Application) -> str:
    return to_persian_digits(application.tracking_code)


@sms_notice("mawkib.application.tracking_code")
def tracking_code(*, application: int, again: bool = False) -> Rendered | None:
    row = Application.objects.filter(pk=application).first()
    if row is None or not row.mobile:
        return None  # erased since, or the mobile was removed
    if again:
        text = _(
            "هم‌افزا: برای این کد ملی پیش‌تر درخواست خدمت ثبت شده است. کد رهگیری: %(code)s؛ "
            "برای ویرایش از صفحه پیگیری درخواست استفاده کنید."
        )
    else:
        text = _("هم‌افزا: درخواست خدمت شما در موکب‌های اربعین ثبت شد. کد رهگیری: %(code)s")
    return Rendered(to=row.mobile, text=text % {"code": _code(row)})


@sms_notice("mawkib.application.approved")
def approved(*, application: int) -> Rendered | None:
    row = Application.objects.filter(pk=application, status=ApplicationStatus.APPROVED).first()
    if row is None or not row.mobile:
        return None  # no longer approved by the time the worker ran: nothing to say
    text = _(
        "هم‌افزا: درخواست خدمت شما در موکب‌های اربعین پذیرفته شد. با کد رهگیری %(code)s نوبت‌های خود را برگزینید."
    )
    return Rendered(to=row.mobile, text=text % {"code": _code(row)})


@sms_notice("mawkib.waitlist.place_freed")
def place_freed(*, entry: int) -> Rendered | None:
    row = (
        WaitlistEntry.objects.filter(pk=entry)
        .select_related("application", "demand__shift__mawkib", "demand__role")
        .first()
    )
    if row is None or not row.application.mobile:
        return None  # they signed up or withdrew meanwhile
    shift = row.demand.shift
    text = _(
        "هم‌افزا: در نوبت %(role)s %(mawkib)s، %(when)s جایی خالی شد؛ با کد رهگیری خود زود ثبت‌نام کنید."
    )
    return Rendered(
        to=row.application.mobile,
        text=text
        % {
            "role": row.demand.role,
            "mawkib": shift.mawkib,
            "when": jalali_datetime(shift.starts_at),
        },
    )
