from django.apps import AppConfig


class PilotConfig(AppConfig):
    """The composition root as an app: it registers the deployment's system checks."""

    name = "pilot"
    verbose_name = "Pilot"

    def ready(self) -> None:
        from pilot import checks  # noqa: F401 - registers the checks
