"""Sending SMS through the backend named by settings.SMS_BACKEND.

The default LogBackend writes each message to the log and keeps it in `outbox` (like
Django's locmem mail backend) so that development and tests can read what was sent.
Gateway clients are added beside it with the features that need them.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class LogBackend:
    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to %s: %s", message.to, message.text)
        LogBackend.outbox.append(message)


def send_sms(*, to: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(SmsMessage(to=to, text=text))


# Imported late: the task module imports this one.
def queue_sms(*, to: str, text: str) -> None:
    """Send an SMS from a worker once the current transaction commits."""
    from .tasks import enqueue_on_commit, send_sms_task

    enqueue_on_commit(send_sms_task, to=to, text=text)
