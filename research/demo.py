"""Demo data of the research app: one study, and an export request of the Utrecht researcher
waiting for the administrator's decision. Idempotent: made once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from research.export import catalogue
from research.models import ExportRequest, Study
from research.services import RequestData, export_request_create, study_create

STUDY_CODE = "EVAL-PILOT"
RESEARCHER = "onderzoeker.utrecht@example.org"


def seed(stdout) -> None:
    study = Study.objects.filter(code=STUDY_CODE).first()
    if study is None:
        study = study_create(code=STUDY_CODE, name="Evaluatie pilot Samenwerken in de eerstelijn")
        stdout.write(f"Onderzoek {study.code} aangemaakt.")
    researcher = User.objects.filter(email=RESEARCHER).first()
    if researcher is None or ExportRequest.objects.filter(study=study).exists():
        return
    today = timezone.localdate()
    fields = [name for name, _label in catalogue.field_choices()][:4]
    export_request_create(
        user=researcher,
        data=RequestData(
            study=study,
            purpose="Hoe vaak is doorverwijzen naar een advocaat zinvol, per rechtsgebied?",
            period_start=today - timedelta(days=365),
            period_end=today,
            locations=[],
            fields=fields,
            unit=ExportRequest.Unit.CASE,
            format=ExportRequest.Format.CSV,
            delimiter=ExportRequest.Delimiter.SEMICOLON,
        ),
    )
    stdout.write("Exportaanvraag van de onderzoeker (Utrecht) wacht op beoordeling.")
