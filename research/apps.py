from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """Dashboards for the pilot's questions and anonymised exports for the research bureau. Reads
    cases and piket through their figures and selectors only; nothing below imports it."""

    name = "research"
    verbose_name = _("Onderzoek")
