from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotConfig(AppConfig):
    """The composition root: home page, health, navigation and demo data over every app."""

    name = "pilot"
    verbose_name = _("Pilot")
