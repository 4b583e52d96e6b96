"""Hooks an upper app registers so a lower one can ask it something without importing it
(DESIGN.md: a dependency that points upward goes through a hook, never an import)."""

from typing import TypeVar

T = TypeVar("T")


def register_once(current: T | None, new: T, what: str) -> T:
    """The value a one-answer hook takes: `new`, unless another answer is already there.
    A second, different registration is a mistake (two apps answering one question, the
    later one silently winning), so it raises instead."""
    if current is not None and current != new:
        raise RuntimeError(f"{what} is registered already: {current!r}")
    return new
