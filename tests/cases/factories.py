"""Factories for every model of the cases app.

Reference data (legal areas, kinds of case, counterparties) comes from the data migration and
is reused by get_or_create, so transactional (browser) tests that flush it still work.

    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    CaseFactory(closed_on=date(2020, 3, 1))          # a closed case
    ClientIdentityFactory(case=case, identity=Identity(full_name="Piet Jansen", ...))
    register(anna, orgs_utrecht["loket"], areas=("huurrecht",))  # through the service
    client.post(REGISTER_URL, registration_form_data(**{"kluis-full_name": "Piet Jansen"}))
"""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import Role
from accounts.services import organisation_team
from cases import vault
from cases.models import (
    AuditEntry,
    Case,
    CaseStatusChange,
    CaseTeamPermission,
    CaseUserPermission,
    ClientIdentity,
    Counterparty,
    Handover,
    HandoverNotification,
    KindOfCase,
    LegalArea,
    Note,
    SecondLineAdvice,
    SocialMapEntry,
    SubProblem,
    YesNoUnsure,
)
from cases.services.cases import SubProblemData, case_register
from tests.accounts.factories import LocationFactory, OrganisationFactory, UserFactory, member

# A client for tests that need one: not a real person.
PIET = vault.Identity(
    full_name="Piet Jansen",
    birth_date=datetime.date(1980, 5, 17),
    phone="06-12345678",
    email="piet.jansen@example.nl",
    street_address="Oudegracht 123",
    postcode="3511 AB",
    city="Utrecht",
)


REGISTER_URL = "/casussen/nieuw/"


def register(user, organisation, areas=("huurrecht",), **data) -> Case:
    """A case registered through the service, one sub-problem per legal-area slug."""
    subs = [SubProblemData(legal_area=LegalArea.objects.get(slug=slug)) for slug in areas]
    return case_register(user=user, organisation=organisation, data=data, subproblems=subs)


def registration_form_data(**overrides) -> dict:
    """The smallest valid post of the registration form (one sub-problem); `overrides` add to it."""
    data = {
        "deel-TOTAL_FORMS": "1",
        "deel-INITIAL_FORMS": "0",
        "deel-MIN_NUM_FORMS": "1",
        "deel-MAX_NUM_FORMS": "10",
        "deel-0-subject": "Huurrecht — Huurachterstand en ontruiming",
        "deel-0-referral_useful": "weet_niet",
        "casus-first_contact_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- reference data


class LegalAreaFactory(factory.django.DjangoModelFactory):
    """The migration's rows by slug (default: huurrecht); a new row for an unknown slug."""

    class Meta:
        model = LegalArea
        django_get_or_create = ("slug",)

    slug = "huurrecht"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    cluster = LegalArea.Cluster.CIVIEL


class KindOfCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KindOfCase
        django_get_or_create = ("legal_area", "name")

    legal_area = factory.SubFactory(LegalAreaFactory)
    name = "Huurprijs en huurverhoging"


class CounterpartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counterparty
        django_get_or_create = ("name",)

    name = "Woningcorporatie"


class SocialMapEntryFactory(factory.django.DjangoModelFactory):
    """A sociale-kaart entry: `SocialMapEntryFactory(location=utrecht, owner=carla)`."""

    class Meta:
        model = SocialMapEntry
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hulporganisatie {n}")
    location = factory.SubFactory(LocationFactory)
    contact_route = "Bel 0800-1234 of meld u aan via de website"
    kinds_of_help = factory.LazyFunction(lambda: [SocialMapEntry.Help.DEBT])
    owner = factory.SubFactory(UserFactory, totp=False)

    @factory.post_generation
    def legal_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.legal_areas.set(extracted)


# ---------------------------------------------------------------- the case


class CaseFactory(factory.django.DjangoModelFactory):
    """An open case of a first-line team; give `closed_on` for a closed one."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    location = factory.LazyAttribute(lambda o: o.organisation.location)
    registered_by = factory.LazyAttribute(
        lambda o: member(Role.FIRST_LINE, o.organisation, totp=False)
    )
    closed_on = None
    # Never after the closing date (a database constraint).
    first_contact_on = factory.LazyAttribute(
        lambda o: min(timezone.localdate(), o.closed_on) if o.closed_on else timezone.localdate()
    )
    status = factory.LazyAttribute(
        lambda o: Case.Status.CLOSED if o.closed_on else Case.Status.OPEN
    )
    solution_reached = factory.LazyAttribute(lambda o: YesNoUnsure.YES if o.closed_on else "")
    question = "Huurverhoging lijkt te hoog; wil bezwaar maken bij de huurcommissie."
    age_band = Case.AgeBand.A27_40
    postcode_area = "3511"
    counterparty_other = "Beheerder van het complex"

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """The status history a registered case has (registered, and its current status);
        `CaseFactory(history=False)` for none."""
        if not create or extracted is False:
            return
        CaseStatusChangeFactory(
            case=self,
            from_status="",
            to_status=Case.Status.OPEN,
            at=self.registered_at,
            actor=self.registered_by,
            reason=CaseStatusChange.Reason.REGISTERED,
        )
        if self.status != Case.Status.OPEN:
            CaseStatusChangeFactory(case=self, from_status=Case.Status.OPEN, to_status=self.status)


class CaseStatusChangeFactory(factory.django.DjangoModelFactory):
    """One step of a case's history: `CaseStatusChangeFactory(case=c, from_status="open",
    to_status="gesloten")`."""

    class Meta:
        model = CaseStatusChange

    case = factory.SubFactory(CaseFactory, history=False)
    from_status = Case.Status.OPEN
    to_status = Case.Status.WAITING
    at = factory.LazyAttribute(lambda o: max(o.case.registered_at, timezone.now()))
    actor = factory.LazyAttribute(lambda o: o.case.registered_by)
    reason = CaseStatusChange.Reason.MANUAL


class SubProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubProblem
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    position = factory.LazyAttribute(lambda o: o.case.subproblems.count() + 1)
    legal_area = factory.SubFactory(LegalAreaFactory)
    analysis = "Huurverhoging boven het wettelijk maximum; bezwaar binnen zes weken."
    referral_useful = YesNoUnsure.UNSURE

    @factory.post_generation
    def considered_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.considered_organisations.set(extracted)


class SecondLineAdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondLineAdvice
        skip_postgeneration_save = True

    subproblem = factory.SubFactory(SubProblemFactory)
    advocaat = factory.SubFactory(UserFactory, totp=False)
    analysis = "Eens met de eerste lijn; procedure bij de huurcommissie volstaat."
    analysis_match = SecondLineAdvice.Match.SAME
    referral_useful = YesNoUnsure.NO
    continuation = SecondLineAdvice.Continuation.FIRST_LINE
    certificate_otherwise = YesNoUnsure.UNSURE
    feedback_note = "Goed voorbereid."

    @factory.post_generation
    def fitting_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.fitting_organisations.set(extracted)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda o: o.case.registered_by)
    line = Note.Line.FIRST
    text = "Stukken van de verhuurder opgevraagd."


class HandoverFactory(factory.django.DjangoModelFactory):
    """A pending warm handover to another organisation at the case's location."""

    class Meta:
        model = Handover

    case = factory.SubFactory(CaseFactory)
    from_organisation = factory.LazyAttribute(lambda o: o.case.organisation)
    to_organisation = factory.LazyAttribute(lambda o: OrganisationFactory(location=o.case.location))
    context = "Bezwaar moet binnen twee weken de deur uit."
    client_consent = True
    created_by = factory.LazyAttribute(lambda o: o.case.registered_by)


def case_permission(codename: str) -> Permission:
    """One of the object permissions on a case: advise_case, handle_case, reveal_identity."""
    return Permission.objects.get(content_type__app_label="cases", codename=codename)


class CaseUserPermissionFactory(factory.django.DjangoModelFactory):
    """A person's object permission on a case; by default an advocaat consulted on it:
    `CaseUserPermissionFactory(content_object=case, user=bart)`."""

    class Meta:
        model = CaseUserPermission

    class Params:
        codename = "advise_case"

    content_object = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory, totp=False)
    permission = factory.LazyAttribute(lambda o: case_permission(o.codename))


class CaseTeamPermissionFactory(factory.django.DjangoModelFactory):
    """A team's object permission on a case; by default a handover accepted by `organisation`:
    `CaseTeamPermissionFactory(content_object=case, organisation=raadslieden)`."""

    class Meta:
        model = CaseTeamPermission
        exclude = ("organisation",)

    class Params:
        codename = "handle_case"

    content_object = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    group = factory.LazyAttribute(lambda o: organisation_team(o.organisation))
    permission = factory.LazyAttribute(lambda o: case_permission(o.codename))


class HandoverNotificationFactory(factory.django.DjangoModelFactory):
    """The record that a new handover was mailed to someone of the receiving team."""

    class Meta:
        model = HandoverNotification

    kind = HandoverNotification.Kind.NEW
    handover = factory.SubFactory(HandoverFactory)
    recipient = factory.SubFactory(UserFactory, totp=False)


class ClientIdentityFactory(factory.django.DjangoModelFactory):
    """The encrypted identity of a case's client (default: PIET), with its keyed hash."""

    class Meta:
        model = ClientIdentity
        exclude = ("identity",)

    identity = PIET
    case = factory.SubFactory(CaseFactory)
    organisation = factory.LazyAttribute(lambda o: o.case.organisation)
    identity_hash = factory.LazyAttribute(
        lambda o: vault.identity_hash(name=o.identity.full_name, birth_date=o.identity.birth_date)
    )
    name_hash = factory.LazyAttribute(lambda o: vault.name_hash(o.identity.full_name))
    encrypted = factory.LazyAttribute(lambda o: vault.encrypt_identity(o.identity.to_dict()))


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory, totp=False)
    action = AuditEntry.Action.VIEW
    case = factory.SubFactory(CaseFactory)
