"""The research bureau's pipelines: write an approved export request to a file.

    python manage.py export_research --request ID --format csv --out FILE [--delimiter ";"]

Only an approved request (or one whose file is ready) runs; the same engine, the same k over the
study's released quasi-identifiers, and an entry in the audit log, as the web's run."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from research import services
from research.export import engine
from research.models import ExportRequest

RUNNABLE = (ExportRequest.Status.APPROVED, ExportRequest.Status.READY)


class Command(BaseCommand):
    help = "Schrijft een goedgekeurde exportaanvraag naar een bestand (ZIP met codeboek)."

    def add_arguments(self, parser):
        parser.add_argument("--request", type=int, required=True, help="nummer van de aanvraag")
        parser.add_argument(
            "--format",
            choices=ExportRequest.Format.values,
            default=None,
            help="standaard: dat van de aanvraag",
        )
        parser.add_argument("--delimiter", choices=[",", ";"], default=None)
        parser.add_argument("--out", type=Path, required=True, help="het ZIP-bestand")

    def handle(self, *args, **options):
        export_request = (
            ExportRequest.objects.select_related("study").filter(pk=options["request"]).first()
        )
        if export_request is None:
            raise CommandError(f"Exportaanvraag {options['request']} bestaat niet.")
        if export_request.status not in RUNNABLE:
            raise CommandError(
                f"Exportaanvraag {export_request.pk} is niet goedgekeurd "
                f"(status: {export_request.get_status_display()}); er is niets geschreven."
            )
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"De map {out.parent} bestaat niet.")
        try:
            manifest = services.export_command_write(
                export_request=export_request,
                fmt=options["format"] or export_request.format,
                delimiter=options["delimiter"] or export_request.delimiter,
                out_path=out,
            )
        except engine.ExportRefused as exc:
            raise CommandError(f"{exc} Er is niets geschreven.") from None
        rows = manifest.as_dict().get("row_count", "?")
        self.stdout.write(self.style.SUCCESS(f"{out}: {rows} rijen."))
