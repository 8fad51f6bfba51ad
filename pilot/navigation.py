"""The navigation and the home page's cards, composed from every installed app's
`navigation.py` (NAVIGATION and HOME_CARDS; see accounts.navigation for the types)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.navigation import HomeCard, NavItem

# The composition root's own entries: the home page first, Django's admin last.
START = NavItem(_("Start"), "home", position=0)
ADMIN = NavItem(_("Beheer"), "admin:index", position=99)


@cache
def contributions() -> tuple[tuple[NavItem, ...], tuple[HomeCard, ...]]:
    """Every app's entries, in menu order; read once per process."""
    items: list[NavItem] = [START, ADMIN]
    cards: list[HomeCard] = []
    for app in apps.get_app_configs():
        if app.module and module_has_submodule(app.module, "navigation"):
            module = import_module(f"{app.name}.navigation")
            items += getattr(module, "NAVIGATION", [])
            cards += getattr(module, "HOME_CARDS", [])
    return (
        tuple(sorted(items, key=lambda item: item.position)),
        tuple(sorted(cards, key=lambda card: card.position)),
    )


@cache
def _url(url_name: str) -> str:
    return reverse(url_name)


def _shows(user, item: NavItem) -> bool:
    if item is ADMIN:
        return access.can_use_admin(user)
    return not item.capabilities or any(access.can(user, c) for c in item.capabilities)


def nav_items_for(user, menu: str = "main") -> list[dict[str, str]]:
    items, _cards = contributions()
    return [
        {"label": item.label, "url": _url(item.url_name), "url_name": item.url_name}
        for item in items
        if item.menu == menu and _shows(user, item)
    ]


def home_cards_for(user) -> list[dict]:
    roles = access.roles(user)
    _items, cards = contributions()
    return [
        {
            "title": card.title,
            "text": card.text,
            "links": [(label, _url(url_name)) for label, url_name in card.links],
            "template": card.template,
            "context": card.context(user) if card.context else {},
        }
        for card in cards
        if card.roles & roles
    ]
