"""The audit log's one writing function. Call it inside the service's transaction. And
who reads the whole log (`audit.view`): core's own rule, with the answer beside the
superusers' registered by the app that knows the roles (the network: its admins)."""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from hamafza.persian.collation import sort_key

from .hooks import register_once
from .models import AuditEntry
from .permissions import rule

_labels: dict[str, str] = {}
_readers: Callable[[Any], bool] | None = None


def register_audit_readers(fn: Callable[[Any], bool]) -> None:
    """`fn(user) -> bool`: whether the user reads the whole audit log. Until one is
    registered, only the superusers do."""
    global _readers
    _readers = register_once(_readers, fn, "the audit log's readers")


@rule("audit.view")
def _view_audit(user, _obj=None) -> bool:
    return _readers is not None and bool(_readers(user))


def register_action_labels(labels: dict[str, str]) -> None:
    """Persian names for an app's dotted action codes, shown in the audit log beside the
    code. Apps call this from AppConfig.ready()."""
    _labels.update(labels)


def action_label(code: str) -> str:
    return str(_labels.get(code, ""))


def action_labels() -> dict[str, str]:
    """Every registered action code with its Persian name, in Persian order of the names
    (for the audit log's filter)."""
    return dict(sorted(((c, str(n)) for c, n in _labels.items()), key=lambda i: sort_key(i[1])))


def audit(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organisation_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` (a dotted code such as `network.channel.created`)."""
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        organisation_id=organisation_id,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:200]
    entry.save()
    return entry


def changed_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Assign `values` to `instance` and return the names that really changed, so a service
    saves only those fields and audits only real changes."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
