"""Who runs the Arbaeen service. The social department's volunteer coordinators (and the
network admins) run every season; an agency's PR manager nominates that agency's staff;
a mawkib's managers check people in at their own mawkib."""

from hamafza.core.permissions import rule
from hamafza.network.models import Organisation, OrganisationKind, Role
from hamafza.network.policy import is_network_admin, organisations_holding, roles_in


def is_coordinator(user) -> bool:
    """The social department's coordinators: the role counts at the hub only, so an
    agency cannot make its own people province-wide coordinators of everyone's data."""
    if is_network_admin(user):
        return True
    cached = getattr(user, "_hamafza_coordinator", None)
    if cached is None:  # once per user object (a request), like the roles themselves
        at = organisations_holding(user, {Role.VOLUNTEER_COORDINATOR})
        cached = (
            bool(at) and Organisation.objects.filter(pk__in=at, kind=OrganisationKind.HUB).exists()
        )
        user._hamafza_coordinator = cached
    return cached


@rule("mawkib.coordinate")
def _coordinate(user, _obj=None) -> bool:
    return is_coordinator(user)


@rule("mawkib.view_personal_data")
def _personal_data(user, _obj=None) -> bool:
    """National codes and mobiles: coordinators only; everyone else sees them masked."""
    return is_coordinator(user)


@rule("mawkib.checkin")
def _checkin(user, mawkib) -> bool:
    if is_coordinator(user):
        return True
    return mawkib is not None and mawkib.managers.filter(pk=user.pk).exists()


@rule("mawkib.nominate")
def _nominate(user, organisation) -> bool:
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, organisation)


@rule("mawkib.reports")
def _reports(user, _obj=None) -> bool:
    return is_coordinator(user)
