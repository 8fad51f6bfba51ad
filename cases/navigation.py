"""The cases app's entries in the navigation and on the home page (collected by pilot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    NavItem(_("Casussen"), "cases:list", ("cases.view",), position=10),
    NavItem(_("Overdrachten"), "cases:handovers", ("cases.view",), position=60),
    NavItem(_("Sociale kaart"), "cases:socialekaart", ("socialekaart.read",), position=70),
    NavItem(_("Auditlog"), "cases:audit", ("audit.view",), position=85),
    NavItem(_("AVG-verzoeken"), "cases:dsr", ("audit.view",), position=86),
]

HOME_CARDS = [
    HomeCard(
        _("Eerstelijn"),
        _(
            "Registreer casussen van rechtzoekenden en overleg via het piket met een sociaal "
            "advocaat."
        ),
        frozenset({Role.FIRST_LINE}),
        ((_("Casus registreren"), "cases:register"),),
        position=10,
    ),
]
