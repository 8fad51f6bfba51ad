from __future__ import annotations

from django.core.management.base import BaseCommand

from cases.services.privacy import retention_apply


class Command(BaseCommand):
    help = (
        "Past de bewaartermijnen toe: vernietigt identiteiten en anonimiseert casussen die lang "
        "genoeg gesloten zijn. Toont alleen aantallen en zaaknummers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen tonen wat er zou gebeuren; niets wijzigen.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = retention_apply(dry_run=dry_run)
        out = self.stdout
        if dry_run:
            out.write(f"Proefdraai op {report.today:%d-%m-%Y}: er is niets gewijzigd.")
            sections = [
                ("Te vernietigen identiteiten", report.identities_to_destroy),
                ("Te anonimiseren casussen", report.cases_to_anonymise),
            ]
        else:
            out.write(f"Bewaartermijnen toegepast op {report.today:%d-%m-%Y}.")
            sections = [
                ("Vernietigde identiteiten", report.identities_to_destroy),
                ("Geanonimiseerde casussen", report.cases_to_anonymise),
            ]
        for title, numbers in sections:
            out.write(f"{title}: {len(numbers)}")
            for number in numbers:
                out.write(f"  {number}")
