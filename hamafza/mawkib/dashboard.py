"""The mawkibs on the home page: for an agency's PR manager, the season open for
nominations and how much of the agency's quota is left."""

from django.db.models import Count
from django.utils.translation import gettext as _

from hamafza.core.dashboard import Card, card
from hamafza.network.models import Role
from hamafza.network.policy import organisations_holding

from .models import AgencyQuota
from .services.applications import counted_nominations, season_for_signup


@card
def nominations(user) -> Card | None:
    managed = organisations_holding(user, {Role.PR_MANAGER})
    season = season_for_signup() if managed else None
    if season is None:
        return None
    quotas = list(
        AgencyQuota.objects.filter(season=season, organisation_id__in=managed).select_related(
            "organisation"
        )
    )
    if not quotas:
        return None
    used = dict(
        counted_nominations(season)
        .filter(organisation_id__in=managed)
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    )
    for quota in quotas:
        quota.used = used.get(quota.organisation_id, 0)
    return Card(
        _("معرفی خادمان برای اربعین"),
        "mawkib/cards/nominations.html",
        {"season": season, "quotas": quotas},
        order=40,
    )
