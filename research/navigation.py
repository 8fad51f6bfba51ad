"""The research app's entries in the navigation and on the home page (collected by pilot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    NavItem(_("Cijfers"), "research:dashboard", ("research.dashboards",), position=50),
]

HOME_CARDS = [
    HomeCard(
        _("Onderzoek"),
        _("U ziet alleen geanonimiseerde cijfers en exports, nooit een casus of een persoon."),
        frozenset({Role.RESEARCHER}),
        ((_("Cijfers van de pilot"), "research:dashboard"),),
        position=40,
    ),
]
