"""The state machines of a post and of a delivery, in one place: every change of a post's
`status` or a delivery's `state` is one of the named transitions below, from the states
it names. The outbox's database protocol (claim, mark, record, sweep in outbox.py) and
the services move rows only through them, so what may follow what is written once.

A transition either moves rows in one conditional UPDATE (`move`: only rows still in a
source state move, which is what makes a claim or a sweep safe beside other workers), or
a row already locked and loaded (`apply`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from .models import DeliveryState as D
from .models import PostStatus as P


class InvalidTransition(Exception):
    """A row was asked to move from a state the transition does not start from: a bug."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    field: str = "state"

    def move(self, rows: QuerySet, **fields) -> int:
        """Move the rows of `rows` still in a source state; how many moved."""
        return rows.filter(**{f"{self.field}__in": self.sources}).update(
            **{self.field: self.target}, **fields
        )

    def apply(self, row, **fields) -> None:
        """Move a loaded row (the caller holds its lock and saves it)."""
        current = getattr(row, self.field)
        if current not in self.sources:
            raise InvalidTransition(f"{self.name}: {type(row).__name__} {row.pk} is {current}")
        setattr(row, self.field, self.target)
        for name, value in fields.items():
            setattr(row, name, value)


# -- a delivery -------------------------------------------------------------------------
# pending → leased → sent, with the detours: back to the queue (retry), a person's check
# (unconfirmed), a broken connection (credentials), refusals (failed, too_late), and
# cancelled (the post was withdrawn, or there is nothing to do).

CLAIM = Transition("claim", (D.PENDING, D.RETRY), D.LEASED)
# A claimed row given back before its request began (a rate gate said "later", the
# worker stopped, its lease expired unstarted): first in line again.
GIVE_BACK_UNTRIED = Transition("give back untried", (D.LEASED,), D.PENDING)
GIVE_BACK = Transition("give back", (D.LEASED,), D.RETRY)
# What the worker's answer, or its absence, makes of a row in hand. A late answer still
# counts after the sweeper made the row unconfirmed.
IN_HAND = (D.LEASED, D.UNCONFIRMED)
DELIVERED = Transition("delivered", IN_HAND, D.SENT)
TRY_LATER = Transition("try later", IN_HAND, D.RETRY)
REFUSED = Transition("refused", IN_HAND, D.FAILED)
TOO_LATE = Transition("too late", IN_HAND, D.TOO_LATE)
CONNECTION_BROKEN = Transition("connection broken", IN_HAND, D.CREDENTIALS)
LOST_TRACK = Transition("lost track", (D.LEASED,), D.UNCONFIRMED)
# Nothing to send after all: the post was withdrawn, the original never went.
DROPPED = Transition("dropped", (D.LEASED,), D.CANCELLED)
WITHDRAWN = Transition("withdrawn", (D.PENDING, D.RETRY, D.CREDENTIALS), D.CANCELLED)
# The connection was repaired: what stopped on it goes again.
RECONNECTED = Transition("reconnected", (D.CREDENTIALS,), D.PENDING)
# A person checked an unconfirmed send on the channel.
CONFIRMED = Transition("confirmed by a person", (D.UNCONFIRMED,), D.SENT)
NOT_THERE = Transition("not there, send again", (D.UNCONFIRMED,), D.PENDING)
# A person asks for a refused send to be tried again (the parts that went stay out).
RETRIED = Transition("retried by a person", (D.FAILED,), D.PENDING)


def give_back(rows: QuerySet, **fields) -> int:
    """Rows claimed and not begun go back to the queue, not counting the attempt."""
    fields = {"attempts": F("attempts") - 1, "lease_until": None, "leased_by": "", **fields}
    return GIVE_BACK_UNTRIED.move(rows.filter(attempts__lte=1), **fields) + GIVE_BACK.move(
        rows.filter(attempts__gt=1), **fields
    )


# -- a post -----------------------------------------------------------------------------
# draft → in review → approved → sending → sent, returned for a fix on the way, withdrawn
# once approved.

SUBMITTED = Transition("submitted", (P.DRAFT, P.RETURNED, P.IN_REVIEW), P.IN_REVIEW, "status")
RETURNED = Transition("returned", (P.IN_REVIEW,), P.RETURNED, "status")
APPROVED = Transition("approved", (P.IN_REVIEW,), P.APPROVED, "status")
SENDING = Transition("sending", (P.APPROVED,), P.SENDING, "status")
ALL_OUT = Transition("all out", (P.APPROVED, P.SENDING), P.SENT, "status")
POST_WITHDRAWN = Transition("withdrawn", (P.APPROVED, P.SENDING, P.SENT), P.WITHDRAWN, "status")
