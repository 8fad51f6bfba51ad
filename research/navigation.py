"""The research app's entries in the navigation and on the home page (collected by pilot):
the dashboard for researchers, coordinators and the stuurgroep, the exports for researchers and
their approvers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem
from research.selectors import home_exports

NAVIGATION = [
    NavItem(_("Cijfers"), "research:dashboard", ("research.dashboards",), position=50),
    NavItem(_("Exports"), "research:exports", ("research.request_export",), position=51),
    NavItem(
        _("Exportaanvragen"), "research:export_queue", ("research.approve_export",), position=84
    ),
]

HOME_CARDS = [
    HomeCard(
        _("Onderzoek"),
        _("U ziet alleen geanonimiseerde cijfers en exports, nooit een casus of een persoon."),
        frozenset({Role.RESEARCHER}),
        ((_("Cijfers van de pilot"), "research:dashboard"),),
        position=40,
    ),
    HomeCard(
        _("Stuurgroep"),
        _(
            "U ziet de cijfers van alle locaties, met kleine aantallen afgeschermd; nooit een "
            "casus of een persoon."
        ),
        frozenset({Role.STUURGROEP}),
        ((_("Cijfers van de pilot"), "research:dashboard"),),
        position=42,
    ),
    HomeCard(
        _("Exports"),
        _("Vraag een geanonimiseerde export aan en download hem als hij is goedgekeurd en klaar."),
        frozenset({Role.RESEARCHER}),
        ((_("Export aanvragen"), "research:export_new"), (_("Mijn exports"), "research:exports")),
        position=41,
        template="research/exports/_home.html",
        context=home_exports,
    ),
    HomeCard(
        _("Exportaanvragen"),
        _("Als aanspreekpunt gegevensbescherming keurt u exports van onderzoekers goed of af."),
        frozenset({Role.ADMINISTRATOR}),
        ((_("Aanvragen beoordelen"), "research:export_queue"),),
        position=51,
        template="research/exports/_home.html",
        context=home_exports,
    ),
]
