"""Who runs this deployment: the people told when something the whole deployment shares
breaks (the SMS account, one for every province the deployment serves).

Core does not know the organisation tree; the network app registers the answer (the
network admins of the organisations at the top of the tree). Until one is registered,
and always in addition, the active superusers are operators.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q

_operators_filter: Callable[[], Q] | None = None


def register_operators(filter_: Callable[[], Q]) -> None:
    """`filter_()` returns a Q over users selecting the operators besides superusers."""
    global _operators_filter
    _operators_filter = filter_


def operators():
    users = get_user_model().objects.filter(is_active=True)
    condition = Q(is_superuser=True)
    if _operators_filter is not None:
        condition |= _operators_filter()
    return users.filter(condition).distinct()


def is_operator(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_hamafza_operator", None)
    if cached is None:
        cached = operators().filter(pk=user.pk).exists()
        user._hamafza_operator = cached
    return cached
