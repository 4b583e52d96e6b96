"""The default backend: writes each message to the log and keeps it in `outbox` (like
Django's locmem mail backend), so development, the demo and the tests can read what was
sent. It logs the text, codes included: it is for machines where nothing really leaves,
and `hamafza check --deploy` warns when it is configured."""

from __future__ import annotations

import itertools
import logging

from django.utils import translation

from . import SmsMessage, SmsOutcome, SmsResult, otp_text

logger = logging.getLogger(__name__)
_ids = itertools.count(1)


class LogBackend:
    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> SmsResult:
        logger.info("SMS to %s: %s", message.to, message.text)
        LogBackend.outbox.append(message)
        return SmsResult(SmsOutcome.SENT, status=200, gateway_id=f"log-{next(_ids)}")

    def send_otp(self, *, to: str, code: str, purpose: str, language: str) -> SmsResult:
        with translation.override(language):
            return self.send(SmsMessage(to=to, text=otp_text(code)))
