"""The one interface every channel adapter implements.

An adapter turns one delivery (a post, a channel, an operation) into calls to its
platform's documented API and classifies the answer. It never decides to retry: it says
what happened, and the outbox decides.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    SENT = "sent"  # the platform took it; remote_id / remote_url say where it is
    RETRY = "retry"  # try again after `retry_after` seconds (429, 5xx, connection refused)
    FAILED = "failed"  # permanent: the platform refused this content (400, too long, …)
    CREDENTIALS = "credentials"  # the token or the bot's rights are broken: a person must fix it
    UNCONFIRMED = "unconfirmed"  # the request went out and no answer came: it may have posted


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    remote_id: str = ""
    remote_url: str = ""
    retry_after: float | None = None  # the platform's own figure, which overrides our backoff
    error: str = ""


@dataclass(frozen=True)
class Message:
    """What to send, already cut to the platform's limits by the caller."""

    text: str
    photos: list[bytes] = field(default_factory=list)  # image bytes, in order
    photo_names: list[str] = field(default_factory=list)
    caption: str = ""
    link: str = ""  # the post's page on the site


class Adapter:
    """Subclasses implement the operations their platform has; the others answer FAILED
    with the reason, and the outbox falls back (a correction post where no edit exists)."""

    #: Limits the composer validates against, per platform.
    text_limit: int = 4096
    caption_limit: int = 1024
    max_album: int = 10
    min_album: int = 2
    supports_album: bool = True
    supports_edit: bool = True
    supports_delete: bool = True

    def __init__(self, *, base_url: str, token: str, chat_id: str, timeout: float = 15.0):
        self.base_url, self.token, self.chat_id, self.timeout = (
            base_url.rstrip("/"),
            token,
            chat_id,
            timeout,
        )

    def publish(self, message: Message) -> Result:
        raise NotImplementedError

    def edit(self, remote_id: str, message: Message) -> Result:
        return Result(Outcome.FAILED, error="edit is not supported on this platform")

    def delete(self, remote_id: str) -> Result:
        return Result(Outcome.FAILED, error="delete is not supported on this platform")

    def member_count(self) -> int | None:
        """How many members the channel has now, where the platform's API says; None
        where it does not (the figure is then entered by hand)."""
        return None
