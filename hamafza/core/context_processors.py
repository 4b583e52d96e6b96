from django.conf import settings

from hamafza import __version__

from .navigation import menu_for, public_links


def shell(request) -> dict:
    """What the base layout needs on every page: the menu this person may use."""
    user = getattr(request, "user", None)
    menu = []
    if user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        menu = menu_for(user, match.view_name if match else "")
    return {
        "SITE_NAME": settings.SITE_NAME,
        "HAMAFZA_VERSION": __version__,
        "WEB_FONT": settings.WEB_FONT,
        "menu": menu,
        "public_links": public_links,  # called only by the page that shows them
    }
