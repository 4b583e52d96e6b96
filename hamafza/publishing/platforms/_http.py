"""The adapters' view of the shared transport (`core.http`): a connection failure becomes
an outcome. Nothing sent -> RETRY; sent and no answer -> UNCONFIRMED (the platform may
have posted it), except for a call that posts nothing (Rubika's upload steps), which is
simply retried, and so is a GET (it reads). The bot token sits in the URL path of the
messengers' APIs, and in the `access_token` parameter of the Graph API's (Instagram);
both are registered with `core.redaction`, so no error text or log line shows one."""

from __future__ import annotations

from hamafza.core import http
from hamafza.core.http import DEFAULT_CONNECT_TIMEOUT, Reply, seconds
from hamafza.core.redaction import register_secret_param, register_secret_path

from .base import Outcome, Result

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "Reply", "TransportFailure", "get", "post", "seconds"]

# /bot<token>/ (Telegram, Bale), /api/<token>/ (Eitaayar), /v3/<token>/ (Rubika)
for _prefix in ("/bot", "/api/", "/v3/"):
    register_secret_path(_prefix)
register_secret_param("access_token")  # the Graph API (Instagram)


class TransportFailure(Exception):
    """The request failed below HTTP; `result` says whether it may have gone out."""

    def __init__(self, result: Result):
        super().__init__(result.error)
        self.result = result


def post(url: str, *, token: str, side_effect_free: bool = False, **kwargs) -> Reply:
    """POST to `url` and return the answer, whatever its status; raise TransportFailure
    when no answer came."""
    try:
        return http.post(url, secret=token, **kwargs)
    except http.NotSent as exc:
        raise TransportFailure(Result(Outcome.RETRY, error=str(exc))) from None
    except http.NoAnswer as exc:
        outcome = Outcome.RETRY if side_effect_free else Outcome.UNCONFIRMED
        raise TransportFailure(Result(outcome, error=str(exc))) from None


def get(url: str, *, token: str, **kwargs) -> Reply:
    """GET `url` (a read: it changes nothing, so a lost answer is simply asked again)."""
    try:
        return http.get(url, secret=token, **kwargs)
    except http.TransportError as exc:
        raise TransportFailure(Result(Outcome.RETRY, error=str(exc))) from None
