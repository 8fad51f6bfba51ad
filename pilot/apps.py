from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotConfig(AppConfig):
    """The composition root: home page, health, navigation and demo data over every app."""

    name = "pilot"
    verbose_name = _("Pilot")

    def ready(self) -> None:
        from pilot import checks  # noqa: F401 - registers the deployment's system checks
