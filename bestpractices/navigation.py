"""The library's entries in the navigation and on the home page (collected by pilot): the
library for everyone signed in, the reviewer's dashboard for coordinators."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem

NAVIGATION = [
    NavItem(_("Bibliotheek"), "bestpractices:library", ("bestpractices.read",), position=72),
    NavItem(_("Beoordelen"), "bestpractices:dashboard", ("bestpractices.review",), position=73),
    NavItem(
        _("Synoniemen voor het zoeken"),
        "bestpractices:synonyms",
        ("bestpractices.review",),
        position=74,
        menu="personal",
    ),
]

HOME_CARDS = [
    HomeCard(
        _("Bibliotheek van praktijkvoorbeelden"),
        _(
            "Werkwijzen, samenwerkingsafspraken en de taakverdeling tussen eerste en tweede "
            "lijn, door alle drie de lijnen gedragen. Heeft u een goed idee? Stel het voor."
        ),
        frozenset({Role.FIRST_LINE, Role.ADVOCAAT, Role.COORDINATOR}),
        (
            (_("Naar de bibliotheek"), "bestpractices:library"),
            (_("Idee voorstellen"), "bestpractices:propose"),
        ),
        position=45,
    ),
]
