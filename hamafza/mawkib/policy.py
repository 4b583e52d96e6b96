"""Who runs the Arbaeen service. The social department's volunteer coordinators (and the
network admins) run every season; an agency's PR manager nominates that agency's staff;
a mawkib's managers check people in at their own mawkib."""

from hamafza.core.permissions import rule
from hamafza.network.models import Role
from hamafza.network.policy import is_network_admin, roles_by_organisation, roles_in


def is_coordinator(user) -> bool:
    if is_network_admin(user):
        return True
    return any(
        Role.VOLUNTEER_COORDINATOR in roles for roles in roles_by_organisation(user).values()
    )


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
