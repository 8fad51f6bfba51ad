"""The piket's entries in the navigation and on the home page (collected by pilot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem
from piket.selectors import advocaat_home, coordinator_week

NAVIGATION = [
    NavItem(_("Piket"), "piket:week", ("piket.book",), position=20),
    NavItem(_("Mijn piket"), "piket:day", ("piket.serve",), position=21),
    NavItem(_("Rooster"), "piket:rosters", ("piket.manage",), position=22),
    NavItem(_("Capaciteit"), "piket:capacity", ("piket.manage",), position=23),
    NavItem(_("Mijn consulten"), "piket:my_consults", ("piket.book",), position=23),
    NavItem(_("Wachtlijst"), "piket:waitlist", ("piket.book",), position=24),
    NavItem(
        _("Agenda-link"),
        "piket:calendar",
        ("piket.book", "piket.serve"),
        position=10,
        menu="personal",
    ),
]

HOME_CARDS = [
    HomeCard(
        _("Advocaat"),
        _("Bekijk uw piketdiensten, bereid consulten voor en leg uw advies vast op de casus."),
        frozenset({Role.ADVOCAAT}),
        ((_("Mijn piket"), "piket:day"), (_("Mijn diensten"), "piket:profile")),
        position=20,
        template="piket/_home_advocaat.html",
        context=advocaat_home,
    ),
    HomeCard(
        _("Piket deze week"),
        _(
            "De diensten van deze week op uw locatie: wat nog onbezet is, wie wacht en wie niet "
            "bereikt werd."
        ),
        frozenset({Role.COORDINATOR}),
        ((_("Weekoverzicht"), "piket:week"), (_("Maandoverzichten"), "piket:statements")),
        position=31,
        template="piket/_home_coordinator.html",
        context=coordinator_week,
    ),
]
