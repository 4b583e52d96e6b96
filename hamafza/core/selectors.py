from datetime import date, datetime, time

from django.db.models import QuerySet

from hamafza.persian.dates import TEHRAN

from .models import AuditEntry


def audit_entries(
    *,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
    organisation_id: int | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "target_type")
    if action:
        # "network." is a whole app's actions; a full code is that action alone.
        if action.endswith("."):
            entries = entries.filter(action__startswith=action)
        else:
            entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username__iexact=actor)
    if since:
        entries = entries.filter(created_at__gte=datetime.combine(since, time.min, TEHRAN))
    if until:
        entries = entries.filter(created_at__lte=datetime.combine(until, time.max, TEHRAN))
    if organisation_id:
        entries = entries.filter(organisation_id=organisation_id)
    return entries
