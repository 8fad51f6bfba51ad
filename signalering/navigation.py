"""The signaleringsoverleg's entries in the navigation and on the home page (collected by
pilot): the meetings and the action list for the members of a location."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    NavItem(_("Overleg"), "signalering:meetings", ("signalering.meetings",), position=60),
    NavItem(_("Acties"), "signalering:actions", ("signalering.meetings",), position=61),
]

HOME_CARDS = [
    HomeCard(
        _("Signaleringsoverleg"),
        _("Het maandelijkse overleg van uw locatie: agenda, verslag, besluiten en acties."),
        frozenset({Role.COORDINATOR}),
        ((_("Overleggen"), "signalering:meetings"), (_("Mijn acties"), "signalering:actions")),
        position=35,
    ),
]
