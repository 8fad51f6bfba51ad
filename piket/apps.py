from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PiketConfig(AppConfig):
    name = "piket"
    verbose_name = _("Piket")
