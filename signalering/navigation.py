"""The signaleringsoverleg's entries in the navigation and on the home page (collected by
pilot): the meetings and the action list for the members of a location."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    NavItem(_("Overleg"), "signalering:meetings", ("signalering.meetings",), position=60),
    NavItem(_("Acties"), "signalering:actions", ("signalering.meetings",), position=61),
    # ------------------------------------------------------------ signals and recommendations
    NavItem(_("Signalen"), "signalering:signals", ("signalering.raise",), position=62),
    NavItem(_("Aanbevelingen"), "signalering:recommendations", ("signalering.raise",), position=63),
    NavItem(_("Landelijk beeld"), "signalering:national", ("signalering.national",), position=64),
]

HOME_CARDS = [
    HomeCard(
        _("Signaleringsoverleg"),
        _("Het maandelijkse overleg van uw locatie: agenda, verslag, besluiten en acties."),
        frozenset({Role.COORDINATOR}),
        ((_("Overleggen"), "signalering:meetings"), (_("Mijn acties"), "signalering:actions")),
        position=35,
    ),
    # ------------------------------------------------------------ signals and recommendations
    HomeCard(
        _("Signalen en aanbevelingen"),
        _(
            "Zie de signalen en aanbevelingen van alle locaties: wat op meerdere plekken "
            "terugkomt, de rode draden."
        ),
        frozenset({Role.STUURGROEP}),
        (
            (_("Landelijk beeld"), "signalering:national"),
            (_("Aanbevelingen"), "signalering:recommendations"),
        ),
        position=43,
    ),
]
