"""The cases app's entries in the navigation and on the home page (collected by pilot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem
from cases.selectors import handovers_waiting_at, socialmap_due_for_check

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
    HomeCard(
        _("Overdrachten"),
        _("Warme overdrachten die nog op antwoord wachten, van en naar uw locatie."),
        frozenset({Role.COORDINATOR}),
        position=32,
        template="cases/_home_handovers.html",
        context=handovers_waiting_at,
    ),
    HomeCard(
        _("Sociale kaart"),
        _("Vermeldingen die u beheert en die aan een controle toe zijn."),
        frozenset({Role.COORDINATOR}),
        ((_("Naar de sociale kaart"), "cases:socialekaart"),),
        position=33,
        template="cases/_home_socialekaart.html",
        context=socialmap_due_for_check,
    ),
]
