"""The network's cards on the home page: what this person should do today."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.collation import persian_order
from hamafza.core.dashboard import Card, card
from hamafza.core.models import AuditEntry

from .models import Channel, Organisation
from .policy import EDITING_ROLES, is_network_admin, roles_by_organisation
from .selectors import user_memberships, with_latest_audience

STALE_AFTER_DAYS = 7


@card
def my_organisations(user) -> Card | None:
    memberships = list(user_memberships(user))
    if not memberships:
        return None
    return Card(
        _("نقش‌های من"), "network/cards/memberships.html", {"memberships": memberships}, order=10
    )


@card
def stale_audience(user) -> Card | None:
    """Channels whose audience figure is missing or older than a week, for those who keep it."""
    if is_network_admin(user):
        channels = Channel.objects.all()
    else:
        org_ids = [
            oid for oid, roles in roles_by_organisation(user).items() if roles & EDITING_ROLES
        ]
        if not org_ids:
            return None
        channels = Channel.objects.filter(organisation_id__in=org_ids)
    cutoff = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)
    stale = (
        with_latest_audience(channels.filter(is_active=True).select_related("organisation"))
        .filter(Q(latest_taken_on__isnull=True) | Q(latest_taken_on__lt=cutoff))
        .order_by(persian_order("organisation__name"), "kind")
    )
    return Card(
        _("آمار مخاطبان کانال‌ها"),
        "network/cards/stale_audience.html",
        {"channels": stale[:10], "count": stale.count()},
        order=20,
    )


@card
def network_summary(user) -> Card | None:
    if not is_network_admin(user):
        return None
    return Card(
        _("شبکه در یک نگاه"),
        "network/cards/network_summary.html",
        {
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "people": get_user_model().objects.filter(is_active=True).count(),
            "channels": Channel.objects.filter(is_active=True).count(),
            "recent": AuditEntry.objects.select_related("actor")[:5],
        },
        order=30,
    )
