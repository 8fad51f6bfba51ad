from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PiketConfig(AppConfig):
    name = "piket"
    verbose_name = _("Piket")

    def ready(self):
        # The case page shows the case's consults: piket contributes them, cases imports no piket.
        from cases import case_page
        from piket import selectors

        case_page.register(
            case_page.CaseSection(
                name="piket",
                template="piket/consults/_case_consults.html",
                context=selectors.case_consults,
                timeline_template="piket/consults/_case_timeline.html",
                position=10,
            )
        )
