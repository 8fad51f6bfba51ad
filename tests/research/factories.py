"""Factories for the research app's models, and helpers of the export workflow's tests.

study = StudyFactory()                               # with its own key
ExportRequestFactory(requester=olga, study=study)    # waiting for a decision
approved(ExportRequestFactory(requester=olga), bea)  # through the service (dry run included)
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.models import Role
from research import keys
from research.export import catalogue
from research.models import ExportRequest, ExportStatusChange, Study
from tests.accounts.factories import OrganisationFactory, UserFactory, member


def allowed_fields(count: int = 3) -> list[str]:
    """The first fields of the catalogue (all may be exported)."""
    return [name for name, _label in catalogue.field_choices()][:count]


def researcher(email: str = "otto@example.org"):
    """Another researcher than the persona Olga."""
    return member(Role.RESEARCHER, OrganisationFactory(), email=email)


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Study
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"STUDIE-{n}")
    name = factory.Sequence(lambda n: f"Onderzoek {n}")
    k = 5
    key_token = factory.LazyFunction(keys.new_study_key_token)


class ExportRequestFactory(factory.django.DjangoModelFactory):
    """A request waiting for a decision (status history included)."""

    class Meta:
        model = ExportRequest
        skip_postgeneration_save = True

    study = factory.SubFactory(StudyFactory)
    requester = factory.SubFactory(UserFactory)
    purpose = "Hoe vaak is doorverwijzen naar een advocaat zinvol?"
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    period_end = factory.LazyFunction(timezone.localdate)
    fields = factory.LazyFunction(allowed_fields)
    unit = ExportRequest.Unit.CASE
    format = ExportRequest.Format.CSV

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create and obj.status == ExportRequest.Status.REQUESTED:
            ExportStatusChange.objects.create(
                export_request=obj, from_status="", to_status=obj.status, actor=obj.requester
            )


class ExportStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportStatusChange

    export_request = factory.SubFactory(ExportRequestFactory)
    from_status = ExportRequest.Status.REQUESTED
    to_status = ExportRequest.Status.REJECTED


def cases_for_export(organisation, n: int = 12) -> list:
    """`n` alike cases with research consent, registered today at the organisation's location,
    one sub-problem each: enough for k = 5 on any combination of their quasi-identifiers."""
    from tests.cases.factories import CaseFactory, SubProblemFactory

    registered_by = member(Role.FIRST_LINE, organisation, totp=False)
    cases = []
    for _n in range(n):
        case = CaseFactory(
            organisation=organisation, registered_by=registered_by, research_consent=True
        )
        SubProblemFactory(case=case)
        cases.append(case)
    return cases


def approve(export_request, approver, reason: str = "Past bij het doel van het onderzoek."):
    """Approve through the service (the dry run included); the run follows on commit."""
    from research.services import export_request_decide

    return export_request_decide(
        user=approver, export_request=export_request, approve=True, reason=reason
    )
