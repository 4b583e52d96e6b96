"""When the SMS account stops taking messages (a bad key, an address or a line the
account does not allow, a missing template, no credit), the deployment's operators
(`core.operators`) hear of it once per episode: an e-mail when the alert opens, and a
card on their home page until the gateway next accepts a message. Never by SMS: that is
what is broken."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hamafza.core.audit import audit
from hamafza.core.dashboard import Card, card
from hamafza.core.operators import is_operator, operators

from . import SmsOutcome, SmsResult

logger = logging.getLogger(__name__)


def account_problem(result: SmsResult) -> None:
    """Open the alert for this kind of problem, or note that it is still there."""
    from hamafza.core.models import SmsAccountAlert, SmsAccountAlertKind
    from hamafza.core.tasks import enqueue_on_commit

    kind = {
        SmsOutcome.NO_CREDIT: SmsAccountAlertKind.NO_CREDIT,
        SmsOutcome.TEMPLATE: SmsAccountAlertKind.TEMPLATE,
    }.get(result.outcome, SmsAccountAlertKind.CREDENTIALS)
    now = timezone.now()
    detail = result.error[:300]
    if SmsAccountAlert.objects.filter(kind=kind, closed_at__isnull=True).update(
        last_seen_at=now, status=result.status, detail=detail
    ):
        return
    logger.error("SMS account alert (%s): %s", kind, detail)
    try:
        with transaction.atomic():
            alert = SmsAccountAlert.objects.create(
                kind=kind, status=result.status, detail=detail, opened_at=now, last_seen_at=now
            )
            audit(
                actor=None,
                action="core.sms.account_alert",
                target=alert,
                data={"status": result.status, "detail": detail},
            )
            enqueue_on_commit(send_account_alert_email, alert_id=alert.pk)
    except IntegrityError:
        pass  # another process opened it a moment ago: one alert, one e-mail


def account_answered(result: SmsResult, *, one_time_code: bool = False) -> None:
    """The gateway took a message: the key and the credit work again, and the templates
    too when it was a one-time code (a plain notice proves nothing about templates, and
    closing their alert on it would open a new one, and a new e-mail, at the next code)."""
    from hamafza.core.models import SmsAccountAlert, SmsAccountAlertKind

    fixed = [SmsAccountAlertKind.CREDENTIALS, SmsAccountAlertKind.NO_CREDIT]
    if one_time_code:
        fixed.append(SmsAccountAlertKind.TEMPLATE)
    SmsAccountAlert.objects.filter(closed_at__isnull=True, kind__in=fixed).update(
        closed_at=timezone.now()
    )


@task()
def send_account_alert_email(*, alert_id: int) -> None:
    from hamafza.core.models import SmsAccountAlert

    alert = SmsAccountAlert.objects.filter(pk=alert_id, closed_at__isnull=True).first()
    if alert is None:
        return
    emails = sorted({e for e in operators().values_list("email", flat=True) if e})
    if not emails:
        logger.error("SMS account alert %s: no operator has an e-mail address", alert_id)
        return
    send_mail(
        _("هم‌افزا: پیامک‌ها فرستاده نمی‌شوند"),
        _(
            "درگاه پیامک پیام‌ها را نمی‌پذیرد: %(kind)s.\n"
            "پاسخ درگاه: %(detail)s\n\n"
            "پیامک‌های اطلاع‌رسانی تا رفع مشکل نگه داشته می‌شوند و رمزهای یک‌بار مصرف فرستاده نمی‌شوند. "
            "کلید، خط فرستنده، الگوها و اعتبار حساب را در پنل درگاه بررسی کنید."
        )
        % {"kind": alert.get_kind_display(), "detail": alert.detail},
        None,
        emails,
    )


@card
def sms_account_alerts(user) -> Card | None:
    """«پیامک‌ها نمی‌روند»: for the operators, while an alert is open."""
    if not is_operator(user):
        return None
    from hamafza.core.models import SmsAccountAlert

    alerts = list(SmsAccountAlert.objects.filter(closed_at__isnull=True))
    if not alerts:
        return None
    return Card(_("پیامک‌ها نمی‌روند"), "core/cards/sms_account.html", {"alerts": alerts}, order=1)
