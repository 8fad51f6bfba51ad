"""The signalering app's entries in the navigation and on the home page (collected by pilot)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    # ------------------------------------------------------------ signals and recommendations
    NavItem(_("Signalen"), "signalering:signals", ("signalering.raise",), position=60),
    NavItem(_("Aanbevelingen"), "signalering:recommendations", ("signalering.raise",), position=61),
    NavItem(_("Landelijk beeld"), "signalering:national", ("signalering.national",), position=62),
]

HOME_CARDS = [
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
