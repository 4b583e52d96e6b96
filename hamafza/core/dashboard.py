"""The home page is a list of cards, each telling a person what to do today. Apps register
card builders here (in their AppConfig.ready) so core needs no knowledge of them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Card:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


CardBuilder = Callable[[Any], Card | None]
_builders: list[CardBuilder] = []


def card(builder: CardBuilder) -> CardBuilder:
    """Register a function `builder(user) -> Card | None` (None: nothing for this user)."""
    if builder not in _builders:
        _builders.append(builder)
    return builder


def cards_for(user) -> list[Card]:
    built = (builder(user) for builder in _builders)
    return sorted((c for c in built if c is not None), key=lambda c: c.order)
