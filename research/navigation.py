"""The research app's entries in the navigation and on the home page (collected by pilot).

The exports' entries are in EXPORT_NAVIGATION and EXPORT_HOME_CARDS; the dashboards add theirs
beside them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import HomeCard, NavItem
from research.selectors import home_exports

EXPORT_NAVIGATION = [
    NavItem(_("Exports"), "research:exports", ("research.request_export",), position=41),
    NavItem(
        _("Exportaanvragen"), "research:export_queue", ("research.approve_export",), position=84
    ),
]

EXPORT_HOME_CARDS = [
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

NAVIGATION = [*EXPORT_NAVIGATION]
HOME_CARDS = [*EXPORT_HOME_CARDS]
