"""What an app shows in the main navigation and on the home page, and accounts' own entries.

Every app may have a `navigation.py` with `NAVIGATION` (menu entries) and `HOME_CARDS` (cards on
the home page); `pilot.navigation` collects them from the installed apps. The types live here,
in the lowest app, so that any app can contribute; accounts knows none of the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # shown to users holding any of these capabilities (accounts.access); empty: every user
    capabilities: tuple[str, ...] = ()
    position: int = 100  # menu order over all apps
    menu: str = "main"  # "main", or "personal" (beside Beveiliging and Uitloggen)


@dataclass(frozen=True)
class HomeCard:
    title: str
    text: str
    roles: frozenset[str]  # shown to users with any of these roles
    links: tuple[tuple[str, str], ...] = ()  # (label, url name); the first is the main action
    position: int = 100
    # The day's work: a fragment rendered inside the card with the context that `context(user)`
    # returns (a selector of the app; a fixed number of queries).
    template: str | None = None
    context: Callable[[Any], dict] | None = None


NAVIGATION = [
    NavItem(_("Gebruikers"), "accounts:invitations", ("accounts.invite",), position=80),
]

HOME_CARDS = [
    HomeCard(
        _("Coördinator"),
        _("Beheer het piketrooster en de sociale kaart van uw locatie en nodig collega's uit."),
        frozenset({Role.COORDINATOR}),
        ((_("Collega uitnodigen"), "accounts:invitations"),),
        position=30,
    ),
    HomeCard(
        _("Functioneel beheer"),
        _("Beheer locaties, organisaties en gebruikers."),
        frozenset({Role.ADMINISTRATOR}),
        ((_("Gebruiker uitnodigen"), "accounts:invitations"), (_("Naar beheer"), "admin:index")),
        position=50,
    ),
]
