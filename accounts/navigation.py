"""The main navigation: each entry shows only to users whose role may use it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None  # None: every signed-in user
    admin_only: bool = False


# Later apps add their pages here; an entry whose URL does not exist yet is left out.
NAVIGATION: list[NavItem] = [
    NavItem(_("Start"), "home"),
    NavItem(_("Casussen"), "cases:list", "cases.view"),
    NavItem(_("Piket"), "piket:week", "piket.book"),
    NavItem(_("Mijn piket"), "piket:day", "piket.serve"),
    NavItem(_("Rooster"), "piket:rosters", "piket.manage"),
    NavItem(_("Capaciteit"), "piket:capacity", "piket.manage"),
    NavItem(_("Wachtlijst"), "piket:waitlist", "piket.book"),
    NavItem(_("Overdrachten"), "cases:handovers", "cases.view"),
    NavItem(_("Sociale kaart"), "cases:socialekaart", "socialekaart.manage"),
    NavItem(_("Onderzoek"), "research:dashboard", "research.view"),
    NavItem(_("Gebruikers"), "accounts:invitations", "accounts.invite"),
    NavItem(_("Auditlog"), "cases:audit", "audit.view"),
    NavItem(_("AVG-verzoeken"), "cases:dsr", "audit.view"),
    NavItem(_("Beheer"), "admin:index", admin_only=True),
]


def items_for(user) -> list[dict[str, str]]:
    items = []
    for item in NAVIGATION:
        if item.admin_only and not access.can_use_admin(user):
            continue
        if item.capability and not access.can(user, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "url_name": item.url_name})
    return items
