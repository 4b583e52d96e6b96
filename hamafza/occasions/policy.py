from hamafza.core.permissions import rule
from hamafza.network.policy import is_network_admin


@rule("calendar.edit")
def _edit_calendar(user, _obj=None) -> bool:
    return is_network_admin(user)
