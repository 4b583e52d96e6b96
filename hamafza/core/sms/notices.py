"""SMS notices through the durable queue, by id.

An app registers each kind of notice with the function that renders it:

    @sms_notice("mawkib.application.approved")
    def approved(*, application: int) -> Rendered | None:
        ...  # load the row, return Rendered(to=..., text=...) or None (nobody to tell)

and queues one inside its service's transaction with `queue_notice(kind, application=pk)`.
The queue's row and the notice's row hold the kind and the ids only; the text is rendered
when the worker sends it. Register renderers in a module the app imports in its
AppConfig.ready(), so a worker knows every kind before it runs a task.

A notice is claimed by a conditional update (pending -> sending) before it is sent, so a
task run twice sends it once. A busy or rate-limited gateway puts it back with backoff;
a broken account holds it (and raises an alert) until the account works again or the
notice is too old to matter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import ACCOUNT_PROBLEMS, SmsMessage, SmsOutcome, SmsResult, backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: A notice held by a broken account is given up after this long: news of a place freed
#: two days ago helps nobody.
HOLD_LIMIT = timedelta(days=2)
ACCOUNT_RECHECK = timedelta(minutes=10)
#: A notice still "sending" after this long lost its worker mid-send: it may have gone.
STALE_SENDING = timedelta(minutes=10)


@dataclass(frozen=True)
class Rendered:
    to: str
    text: str


Renderer = Callable[..., Rendered | None]
_renderers: dict[str, Renderer] = {}


def sms_notice(kind: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of a kind of notice; a second registration is an error."""

    def register(fn: Renderer) -> Renderer:
        if kind in _renderers and _renderers[kind] is not fn:
            raise RuntimeError(f"an SMS notice {kind!r} is already registered")
        _renderers[kind] = fn
        return fn

    return register


def queue_notice(kind: str, **ids: int | str | bool):
    """Queue a notice to be rendered and sent once the current transaction commits.
    `ids` are what the renderer needs to find its rows: never a code or a text."""
    from hamafza.core.models import SmsNotice
    from hamafza.core.tasks import enqueue_on_commit

    if kind not in _renderers:
        raise KeyError(f"no SMS notice registered as {kind!r}")
    notice = SmsNotice.objects.create(kind=kind, params=ids)
    enqueue_on_commit(send_sms_notice, notice_id=notice.pk)
    return notice


@task()
def send_sms_notice(*, notice_id: int) -> None:
    deliver_notice(notice_id)


def deliver_notice(notice_id: int) -> str:
    """Send one notice if it is still waiting; returns the state it is left in."""
    from hamafza.core.models import SmsNotice, SmsNoticeState

    now = timezone.now()
    # A worker killed between its claim and its record leaves "sending" behind: whether
    # that one went is unknown, so it becomes unconfirmed for a person to look at.
    SmsNotice.objects.filter(
        state=SmsNoticeState.SENDING, updated_at__lt=now - STALE_SENDING
    ).update(state=SmsNoticeState.UNCONFIRMED, error="the worker stopped while sending")
    claimed = SmsNotice.objects.filter(pk=notice_id, state=SmsNoticeState.PENDING).update(
        state=SmsNoticeState.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    notice = SmsNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return ""
    if not claimed:  # sent already, or another worker has it
        return notice.state
    renderer = _renderers.get(notice.kind)
    if renderer is None:
        return _finish(notice, SmsNoticeState.FAILED, error=f"unknown kind {notice.kind}")
    try:
        rendered = renderer(**notice.params)
    except Exception as exc:  # a bug in one renderer must not hold the notice for ever
        logger.exception("SMS notice %s could not be rendered", notice.pk)
        return _finish(notice, SmsNoticeState.FAILED, error=f"render: {type(exc).__name__}")
    if rendered is None or not rendered.to:
        return _finish(notice, SmsNoticeState.DROPPED)
    try:
        gateway = backend()
    except Exception as exc:  # a broken setting: nothing was sent, try again later
        logger.exception("SMS backend could not be made")
        return _again(notice, backoff(notice.attempts), f"backend: {type(exc).__name__}")
    result = gateway.send(SmsMessage(to=rendered.to, text=rendered.text, local_id=str(notice.pk)))
    return _record(notice, result)


def _record(notice, result: SmsResult) -> str:
    from hamafza.core.models import SmsNoticeState

    from .alerts import account_answered, account_problem

    if result.outcome == SmsOutcome.SENT:
        account_answered(result)
        return _finish(
            notice, SmsNoticeState.SENT, gateway_id=result.gateway_id, sent_at=timezone.now()
        )
    if result.outcome == SmsOutcome.FAILED:
        logger.warning("SMS notice %s failed: %s", notice.pk, result.error)
        return _finish(notice, SmsNoticeState.FAILED, error=result.error)
    if result.outcome == SmsOutcome.UNCONFIRMED:
        # It may have gone: sending it again could send it twice. It stays for a person
        # to look at (the admin lists notices by state).
        logger.warning("SMS notice %s unconfirmed: %s", notice.pk, result.error)
        return _finish(notice, SmsNoticeState.UNCONFIRMED, error=result.error)
    if result.outcome in ACCOUNT_PROBLEMS:
        account_problem(result)
        if timezone.now() - notice.created_at > HOLD_LIMIT:
            return _finish(notice, SmsNoticeState.FAILED, error=result.error)
        # Held, not tried: the wait for a fixed account does not use up the retries.
        return _again(notice, ACCOUNT_RECHECK, result.error, counted=False)
    # RETRY
    if notice.attempts >= MAX_ATTEMPTS:
        return _finish(notice, SmsNoticeState.FAILED, error=result.error)
    return _again(notice, backoff(notice.attempts, result.retry_after), result.error)


def backoff(attempt: int, retry_after: float | None = None) -> timedelta:
    """30 s, 1 min, 2 min … up to 30 min; never sooner than the gateway asked."""
    seconds = min(30 * 2 ** max(attempt - 1, 0), 1800)
    return timedelta(seconds=max(seconds, retry_after or 0))


def _finish(notice, state: str, **fields) -> str:
    from hamafza.core.models import SmsNotice

    fields["error"] = fields.get("error", "")[:300]
    SmsNotice.objects.filter(pk=notice.pk).update(state=state, updated_at=timezone.now(), **fields)
    return state


def _again(notice, wait: timedelta, error: str, *, counted: bool = True) -> str:
    """Back in the queue, due after `wait`: the state and the task row change together."""
    from hamafza.core.models import SmsNotice, SmsNoticeState

    fields = {} if counted else {"attempts": F("attempts") - 1}
    with transaction.atomic():
        SmsNotice.objects.filter(pk=notice.pk).update(
            state=SmsNoticeState.PENDING, updated_at=timezone.now(), error=error[:300], **fields
        )
        send_sms_notice.using(run_after=timezone.now() + wait).enqueue(notice_id=notice.pk)
    return SmsNoticeState.PENDING
