from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaleringConfig(AppConfig):
    name = "signalering"
    verbose_name = _("Signaleringsoverleg")
