"""SMS: one interface, two ways to send, and the gateway named by settings.SMS_BACKEND.

- **One-time codes** (`send_otp`) go at once, from the request, never through the durable
  queue (its rows would keep the code in plain text). A busy or rate-limited gateway is
  tried once more within the request; after that the person is told, in Persian, to try
  again in a minute (`SmsUnavailable`).
- **Notices** (`queue_notice`, in `notices.py`) go through the durable queue as a task that
  carries a kind and ids; the text is rendered when the worker sends it, so no row holds
  a tracking code. Each notice is sent once even if its task runs twice.

A backend answers every send with an `SmsResult` whose outcome classifies the gateway's
answer, as the channel adapters do: sent, retry later, failed for this message, the
account's credentials or settings broken, no credit, or unconfirmed (the request went out
and no answer came). A broken account is an alert for the people who run the deployment
(`alerts.py`), by e-mail and a home-page card, never by SMS.

Backends: `log.LogBackend` (the default: development and tests) and
`kavenegar.KavenegarBackend` (Kavenegar's REST API).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

#: Why a one-time code is sent; each maps to a template approved in the gateway's panel.
OTP_PURPOSES = ("signin", "reset", "application", "request")


class SmsOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # nothing was sent: busy, rate-limited, no connection
    FAILED = "failed"  # this message can never go (a bad number, bad characters)
    CREDENTIALS = "credentials"  # the account or its settings refuse every message
    TEMPLATE = "template"  # one-time code templates missing or not approved
    NO_CREDIT = "no_credit"
    UNCONFIRMED = "unconfirmed"  # sent, and no answer came: it may have gone


#: The outcomes that stop every message until someone fixes the account.
ACCOUNT_PROBLEMS = (SmsOutcome.CREDENTIALS, SmsOutcome.TEMPLATE, SmsOutcome.NO_CREDIT)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    #: Our own id for the message (the notice's), which the gateway may use to refuse a
    #: second send of the same message.
    local_id: str = ""


@dataclass(frozen=True)
class SmsResult:
    outcome: SmsOutcome
    #: The gateway's own status code (0 when there was no answer).
    status: int = 0
    #: What went wrong, for the log and the admin: never the text, a code or the key.
    error: str = ""
    gateway_id: str = ""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == SmsOutcome.SENT


class SmsUnavailable(Exception):
    """A one-time code could not be sent now; `str()` is the Persian message to show."""


_BUSY_KEY = "core:sms:busy"
_BUSY_SECONDS = 60


def _busy_message() -> str:
    return _("ارسال پیامک اکنون ممکن نیست؛ یک دقیقه دیگر دوباره بخواهید.")


def _account_message() -> str:
    return _("ارسال پیامک اکنون ممکن نیست و مدیران سامانه باخبر شده‌اند؛ ساعتی بعد دوباره بخواهید.")


def gateway_unavailable(*, account: bool = True) -> SmsUnavailable | None:
    """What a one-time code request is told while the gateway takes nothing (busy a
    moment ago, or, with `account`, the account broken), or None. A request for a record
    that does not exist asks this and answers the same, so the gateway's trouble tells
    nobody which records exist; one for a real record asks first whether it is busy."""
    from django.core.cache import cache

    from hamafza.core.models import SmsAccountAlert

    if cache.get(_BUSY_KEY):
        return SmsUnavailable(_busy_message())
    if account and SmsAccountAlert.objects.filter(closed_at__isnull=True).exists():
        return SmsUnavailable(_account_message())
    return None


@cache
def _backend_class(path: str):
    return import_string(path)


def backend():
    """The configured backend, made fresh for each use (it reads the settings)."""
    return _backend_class(settings.SMS_BACKEND)()


def send_otp(*, to: str, code: str, purpose: str, language: str = "fa") -> SmsResult:
    """Send a one-time code now. Raises SmsUnavailable (with the message to show) when the
    gateway takes no message at all now (busy, or the account broken); an unconfirmed
    send counts as sent (the person asks again in a minute if nothing arrives)."""
    from .alerts import account_answered, account_problem

    if purpose not in OTP_PURPOSES:
        raise ValueError(f"unknown one-time code purpose {purpose!r}")
    gateway = backend()
    result = gateway.send_otp(to=to, code=code, purpose=purpose, language=language)
    if result.outcome == SmsOutcome.RETRY:
        # Busy or rate-limited: one more try within the request, after a short wait.
        time.sleep(min(result.retry_after or 1.0, 2.0))
        result = gateway.send_otp(to=to, code=code, purpose=purpose, language=language)
    if result.outcome in ACCOUNT_PROBLEMS:
        account_problem(result)
    elif result.outcome == SmsOutcome.SENT:
        account_answered(result, one_time_code=True)
    if result.outcome in (SmsOutcome.SENT, SmsOutcome.UNCONFIRMED, SmsOutcome.FAILED):
        # A code refused for this number alone (a bad number on file) is answered like a
        # sent one: telling the person would tell anyone that the record exists.
        return result
    if result.outcome in ACCOUNT_PROBLEMS:
        raise SmsUnavailable(_account_message())
    from django.core.cache import cache

    cache.set(_BUSY_KEY, 1, _BUSY_SECONDS)
    raise SmsUnavailable(_busy_message())


def otp_text(code: str) -> str:
    """The text of a one-time code where no template is used (the log backend), in the
    active language; the gateways' templates say the same."""
    from hamafza.persian.digits import to_persian_digits

    return _("هم‌افزا: رمز یک‌بار مصرف شما %(code)s است (۱۰ دقیقه اعتبار دارد).") % {
        "code": to_persian_digits(code)
    }


from .notices import Rendered, queue_notice, sms_notice  # noqa: E402  (they use the names above)

__all__ = [
    "ACCOUNT_PROBLEMS",
    "OTP_PURPOSES",
    "Rendered",
    "SmsMessage",
    "SmsOutcome",
    "SmsResult",
    "SmsUnavailable",
    "backend",
    "gateway_unavailable",
    "otp_text",
    "queue_notice",
    "send_otp",
    "sms_notice",
]
