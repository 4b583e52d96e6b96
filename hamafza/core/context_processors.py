from django.conf import settings

from hamafza import __version__

from .permissions import can


def shell(request) -> dict:
    """What the base layout needs on every page: which menu entries this person may use."""
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {"people": can(user, "person.list"), "audit": can(user, "audit.view")}
    return {"SITE_NAME": settings.SITE_NAME, "HAMAFZA_VERSION": __version__, "nav": nav}
