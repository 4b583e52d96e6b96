"""The main menu. Each app registers its entries (in AppConfig.ready) with the action
that decides who sees them, so core's layout never names another app's pages. The same
for the doors open to people without an account, listed on the sign-in page."""

from dataclasses import dataclass

from django.urls import reverse

from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str | None = None  # None: every signed-in person
    order: int = 100


_items: list[NavItem] = []


def nav_item(label: str, url_name: str, *, action: str | None = None, order: int = 100) -> None:
    item = NavItem(label, url_name, action, order)
    if item not in _items:
        _items.append(item)


def menu_for(user, current_url_name: str = "") -> list[dict]:
    items = sorted(_items, key=lambda item: item.order)
    return [
        {"label": i.label, "url": reverse(i.url_name), "current": i.url_name == current_url_name}
        for i in items
        if i.action is None or can(user, i.action)
    ]


@dataclass(frozen=True)
class PublicLink:
    label: str
    url_name: str
    order: int = 100


_public_links: list[PublicLink] = []


def public_link(label: str, url_name: str, *, order: int = 100) -> None:
    """A page for people without an account (applying, tracking a request), offered on
    the sign-in page."""
    link = PublicLink(label, url_name, order)
    if link not in _public_links:
        _public_links.append(link)


def public_links() -> list[dict]:
    return [
        {"label": link.label, "url": reverse(link.url_name)}
        for link in sorted(_public_links, key=lambda link: link.order)
    ]
