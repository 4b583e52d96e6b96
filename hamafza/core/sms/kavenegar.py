"""A client for Kavenegar's REST API: `https://api.kavenegar.com/v1/{API-KEY}/{method}.json`.

- notices: `sms/send.json` with receptor, message, sender (the account's default line when
  empty) and localid (our notice's id);
- one-time codes: `verify/lookup.json` with receptor, token and template, the template
  approved in Kavenegar's panel for the code's purpose and the recipient's language
  (settings.KAVENEGAR_TEMPLATES, the Persian one the fallback).

Requests are POSTed form-encoded, as Kavenegar's own clients send them, so texts and codes
never stand in a URL. Every answer is read from its JSON envelope
`{"return": {"status": N, "message": "..."}, "entries": [...]}` whatever the HTTP status
(Kavenegar's own clients read `return.status`; the HTTP status appears to mirror it, which
is not documented). The key is in the URL path: `core.redaction` knows the path and the
key itself, and no text this module produces holds either.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings

from hamafza.core import http
from hamafza.core.redaction import redact, register_secret, register_secret_path

from . import OTP_PURPOSES, SmsMessage, SmsOutcome, SmsResult

register_secret_path("/v1/")
logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.kavenegar.com"

S, R, F, C, T, N = (
    SmsOutcome.SENT,
    SmsOutcome.RETRY,
    SmsOutcome.FAILED,
    SmsOutcome.CREDENTIALS,
    SmsOutcome.TEMPLATE,
    SmsOutcome.NO_CREDIT,
)


@dataclass(frozen=True)
class Status:
    outcome: SmsOutcome
    meaning: str
    #: Whether the meaning was confirmed by Kavenegar's own documentation or clients, or
    #: by two independent sources; False: one third-party table only.
    confirmed: bool


#: `return.status` as Kavenegar documents it. Sources: the REST and SOAP pages on
#: kavenegar.com, Kavenegar's own PHP, Go, .NET and Python clients, and the status tables
#: of the maintained third-party SDKs (a Java SDK, aio-kavenegar, iran-sms). No status for
#: a rate limit other than 451 was found, and no Retry-After header.
STATUSES: dict[int, Status] = {
    200: Status(S, "accepted", True),
    400: Status(F, "parameters incomplete", True),
    401: Status(C, "account disabled", False),
    402: Status(R, "operation failed", True),
    403: Status(C, "API key not valid", False),
    404: Status(F, "no such method", False),
    405: Status(F, "wrong HTTP method", False),
    406: Status(F, "required parameters empty", False),
    407: Status(C, "no access: the server's address is not registered in the panel", False),
    409: Status(R, "the gateway cannot answer now; try again later", True),
    411: Status(F, "receptor not valid", True),
    # The sender line is a deployment setting (KAVENEGAR_SENDER): it refuses every
    # message, so it is an alert for the operators rather than one message's failure.
    412: Status(C, "sender line not valid", False),
    413: Status(F, "message empty or too long", False),
    414: Status(F, "too many receptors in one request", False),
    415: Status(F, "start index beyond the list", False),
    416: Status(C, "the caller's address does not match the account's settings", False),
    417: Status(F, "send date not valid", False),
    418: Status(N, "credit not enough", True),
    419: Status(F, "arrays of texts, receptors and senders differ in length", False),
    420: Status(F, "links in the text are restricted for this account", False),
    422: Status(F, "characters that cannot be processed", False),
    424: Status(T, "template not found or not approved", True),
    426: Status(C, "the method needs the advanced service", True),
    427: Status(C, "the line needs an access level", False),
    428: Status(F, "a voice call needs a numeric token", True),
    429: Status(C, "the caller's address is restricted", False),
    431: Status(F, "token structure not valid (space, newline or separator)", True),
    432: Status(T, "the template has no %token parameter", True),
    451: Status(R, "too many calls in a short time", False),
    501: Status(C, "a test account may send only to its owner's number", False),
}


def parse_templates(value: str | dict | None) -> dict[tuple[str, str], str]:
    """KAVENEGAR_TEMPLATES: `purpose=template` for Persian, `lang:purpose=template` for the
    others, comma-separated (`application=hmz-app,en:application=hmz-app-en`); a dict of
    the same keys is accepted too."""
    if not value:
        return {}
    pairs = (
        value.items()
        if isinstance(value, dict)
        else (item.split("=", 1) for item in value.split(",") if "=" in item)
    )
    templates = {}
    for key, template in pairs:
        language, _, purpose = key.strip().rpartition(":")
        purpose, template = purpose.strip(), template.strip()
        if purpose not in OTP_PURPOSES:
            raise ValueError(f"KAVENEGAR_TEMPLATES: unknown purpose {purpose!r}")
        if template:
            templates[(language.strip() or "fa", purpose)] = template
    return templates


class KavenegarBackend:
    def __init__(
        self,
        *,
        api_key: str | None = None,
        sender: str | None = None,
        templates: str | dict | None = None,
        base_url: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
    ):
        self.api_key = settings.KAVENEGAR_API_KEY if api_key is None else api_key
        self.sender = settings.KAVENEGAR_SENDER if sender is None else sender
        try:
            self.templates = parse_templates(
                settings.KAVENEGAR_TEMPLATES if templates is None else templates
            )
        except ValueError:  # `check --deploy` names the fault; here codes fail as "no template"
            logger.exception("KAVENEGAR_TEMPLATES cannot be read")
            self.templates = {}
        self.base_url = (base_url or settings.KAVENEGAR_BASE_URL or DEFAULT_BASE_URL).rstrip("/")
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        register_secret(self.api_key)

    def __repr__(self) -> str:  # never the key
        return f"<KavenegarBackend {self.base_url}>"

    def template_for(self, purpose: str, language: str) -> str:
        return self.templates.get((language, purpose)) or self.templates.get(("fa", purpose), "")

    # -- the two sends -------------------------------------------------------------------
    def send(self, message: SmsMessage) -> SmsResult:
        form = {"receptor": message.to, "message": message.text}
        if self.sender:
            form["sender"] = self.sender
        if message.local_id:
            form["localid"] = message.local_id
        return self._call("sms/send", form)

    def send_otp(self, *, to: str, code: str, purpose: str, language: str) -> SmsResult:
        template = self.template_for(purpose, language)
        if not template:
            return SmsResult(SmsOutcome.TEMPLATE, error=f"no template configured for {purpose}")
        return self._call("verify/lookup", {"receptor": to, "token": code, "template": template})

    # -- the wire ------------------------------------------------------------------------
    def _call(self, method: str, form: dict[str, str]) -> SmsResult:
        if not self.api_key:
            return SmsResult(SmsOutcome.CREDENTIALS, error="KAVENEGAR_API_KEY is not set")
        url = f"{self.base_url}/v1/{self.api_key}/{method}.json"
        try:
            reply = http.post(
                url,
                secret=self.api_key,
                form=form,
                headers={"Accept": "application/json"},
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
            )
        except http.NotSent as exc:
            return SmsResult(SmsOutcome.RETRY, error=str(exc))
        except http.NoAnswer as exc:
            return SmsResult(SmsOutcome.UNCONFIRMED, error=str(exc))
        return classify(reply)


def classify(reply: http.Reply) -> SmsResult:
    envelope = reply.data.get("return") if isinstance(reply.data, dict) else None
    status = envelope.get("status") if isinstance(envelope, dict) else None
    if not isinstance(status, int):
        # Not Kavenegar's answer: a proxy's or a load balancer's page. 503 and 429 say
        # the request was turned away; anything else may have reached the gateway.
        outcome = SmsOutcome.RETRY if reply.status in (429, 503) else SmsOutcome.UNCONFIRMED
        return SmsResult(
            outcome,
            status=reply.status,
            error=f"HTTP {reply.status} without Kavenegar's answer",
            retry_after=reply.retry_after_header,
        )
    message = redact(str(envelope.get("message") or ""))[:120]
    known = STATUSES.get(status)
    if known is None:
        outcome = SmsOutcome.RETRY if status >= 500 else SmsOutcome.FAILED
        return SmsResult(outcome, status=status, error=f"{status} (undocumented) {message}")
    if known.outcome != SmsOutcome.SENT:
        return SmsResult(known.outcome, status=status, error=f"{status} {known.meaning}: {message}")
    entries = reply.data.get("entries")
    first = entries[0] if isinstance(entries, list) and entries else entries
    gateway_id = str(first.get("messageid", "")) if isinstance(first, dict) else ""
    return SmsResult(SmsOutcome.SENT, status=status, gateway_id=gateway_id)
