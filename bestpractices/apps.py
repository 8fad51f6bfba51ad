from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BestpracticesConfig(AppConfig):
    name = "bestpractices"
    verbose_name = _("Best practices")
