"""Volunteers have no account: after proving they hold the mobile of an application (its
tracking code plus a one-time code), the session carries that application for a while."""

import time

from .models import Application

SESSION_KEY = "mawkib_application_id"
SESSION_SECONDS = 30 * 60


def applicant_login(request, application: Application) -> None:
    request.session.cycle_key()  # a new session id, as at any login
    request.session[SESSION_KEY] = application.pk
    request.session[f"{SESSION_KEY}_until"] = time.time() + SESSION_SECONDS


def applicant_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(f"{SESSION_KEY}_until", None)


def current_applicant_id(request) -> int | None:
    """The id of the application this browser proved it holds, or None (also when
    expired); reads the session only."""
    application_id = request.session.get(SESSION_KEY)
    if application_id is None:
        return None
    if request.session.get(f"{SESSION_KEY}_until", 0) < time.time():
        applicant_logout(request)
        return None
    return application_id


def current_applicant(request) -> Application | None:
    """The application this browser proved it holds, or None (also when expired)."""
    application_id = current_applicant_id(request)
    if application_id is None:
        return None
    return Application.objects.select_related("season").filter(pk=application_id).first()
