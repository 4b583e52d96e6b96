"""One policy for the whole project: `can(user, action, obj)`.

Each app registers the rules for its own actions (dotted codes such as
`organisation.change`) in its AppConfig.ready(), so core decides nothing about objects it
does not know. Views, API endpoints and services all ask the same function; templates
only hide what the policy already forbids.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the rule deciding `action`; a second registration is a programming error."""

    def register(fn: Rule) -> Rule:
        if action in _rules and _rules[action] is not fn:
            raise RuntimeError(f"a rule for {action!r} is already registered")
        _rules[action] = fn
        return fn

    return register


def can(user, action: str, obj: Any = None) -> bool:
    """Whether `user` may do `action` (to `obj`). Unknown actions are refused, never allowed."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    decide = _rules.get(action)
    if decide is None:
        raise KeyError(f"no rule registered for {action!r}")
    return bool(decide(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless the policy allows the action."""
    if not can(user, action, obj):
        raise PermissionDenied


def fetch_or_404(queryset, pk):
    """The row with this id, or 404 for a missing row and for an id that is no number
    (the access getters' first step)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_for_user(user, obj, *, view_action: str, action: str | None = None):
    """The access-getter rule shared by every `<entity>_get_for_user`: an object the user
    may not even see is 404 (its existence is not revealed); one they may see but not act
    on is 403."""
    if obj is None or not can(user, view_action, obj):
        raise Http404
    if action and action != view_action:
        require(user, action, obj)
    return obj


def registered_actions() -> list[str]:
    return sorted(_rules)
