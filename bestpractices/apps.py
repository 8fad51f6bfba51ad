from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BestpracticesConfig(AppConfig):
    name = "bestpractices"
    verbose_name = _("Best practices")

    def ready(self):
        # Where the work happens, the library shows its adopted entries for the case: on the
        # case page (a section) and beside the booking page and the preparation cards (related);
        # cases and piket import nothing of the library.
        from bestpractices import selectors
        from cases import case_page, related
        from signalering import related as signalering_related

        case_page.register(
            case_page.CaseSection(
                name="bestpractices",
                template="bestpractices/_case_section.html",
                context=selectors.case_related_entries,
                position=20,
            )
        )
        related.register(
            related.RelatedProvider(
                name="bestpractices",
                template="bestpractices/_related.html",
                for_cases=selectors.entries_related_to_cases,
            )
        )
        # a recommendation's page shows the practices that came from it, and proposes one
        signalering_related.register(
            signalering_related.RecommendationBlock(
                name="bestpractices",
                template="bestpractices/_from_recommendation.html",
                context=selectors.practices_from_recommendation,
            )
        )
