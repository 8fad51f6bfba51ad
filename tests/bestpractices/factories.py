"""Factories for the best-practice library.

EntryFactory()                                    # an idea with its first revision
EntryFactory(status=Status.DRAFT)                 # any status; adopted gets review_by and its
                                                  # adopted revision
adopted_entry(areas=["huurrecht"])                # an adopted entry of those legal areas
EndorsementFactory(entry=e, organisation=org)     # endorsed by a member of org
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from bestpractices.models import (
    Comment,
    DigestSubscription,
    Endorsement,
    Entry,
    Feedback,
    Follow,
    LegalAreaFollow,
    Notification,
    Review,
    Revision,
    StatusChange,
    Synonym,
    TaskRow,
)
from cases.models import LegalArea
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.cases.factories import LegalAreaFactory

Status = Entry.Status


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry with its first revision as current (and adopted, when adopted)."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    kind = Entry.Kind.WAY_OF_WORKING
    slug = factory.Sequence(lambda n: f"praktijk-{n}")
    title = factory.Sequence(lambda n: f"Werkwijze {n}: warme overdracht bij huurachterstand")
    summary = "Bel samen met de huurder de verhuurder voordat de achterstand oploopt."
    body = "## Aanpak\n\nBel binnen een week en leg de afspraken vast."
    audience = Entry.Audience.BOTH
    status = Status.IDEA
    author = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("author")
    review_by = factory.LazyAttribute(
        lambda o: timezone.localdate() + timedelta(days=365) if o.status == Status.ADOPTED else None
    )
    adopted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Status.ADOPTED else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        adopted = kwargs.get("status") == Status.ADOPTED
        is_public = kwargs.pop("is_public", False)
        if adopted:  # the check constraint wants the adopted revision: add it in a second step
            kwargs["status"] = Status.DRAFT
        entry = super()._create(model_class, *args, **kwargs)
        revision = Revision.objects.create(
            entry=entry,
            number=1,
            title=entry.title,
            summary=entry.summary,
            body=entry.body,
            author=entry.author,
            is_major=True,
            note="Eerste versie",
        )
        entry.current_revision = revision
        if adopted:
            entry.status = Status.ADOPTED
            entry.adopted_revision = revision
            entry.is_public = is_public
        entry.save()
        return entry

    @factory.post_generation
    def legal_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.legal_areas.set(extracted)


def adopted_entry(areas=("huurrecht",), **fields) -> Entry:
    entry = EntryFactory(status=Status.ADOPTED, **fields)
    entry.legal_areas.set(LegalArea.objects.filter(slug__in=areas))
    return entry


class RevisionFactory(factory.django.DjangoModelFactory):
    """A further revision of an entry (number: one after its last)."""

    class Meta:
        model = Revision

    entry = factory.SubFactory(EntryFactory)
    number = factory.LazyAttribute(lambda o: o.entry.revisions.count() + 1)
    title = factory.LazyAttribute(lambda o: o.entry.title)
    summary = factory.LazyAttribute(lambda o: o.entry.summary)
    body = "## Aanpak\n\nBel binnen twee weken."
    note = "Termijn aangepast"
    author = factory.LazyAttribute(lambda o: o.entry.author)


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    entry = factory.SubFactory(EntryFactory)
    from_status = Status.IDEA
    to_status = Status.DRAFT
    changed_by = factory.LazyAttribute(lambda o: o.entry.author)


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    entry = factory.SubFactory(EntryFactory, status=Status.CONSULTATION)
    organisation = factory.SubFactory(OrganisationFactory)
    endorsed_by = factory.SubFactory(UserFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    entry = factory.SubFactory(EntryFactory, status=Status.ADOPTED)
    reviewer = factory.SubFactory(UserFactory)
    outcome = Review.Outcome.RECONFIRMED


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    entry = factory.SubFactory(EntryFactory, status=Status.CONSULTATION)
    author = factory.SubFactory(UserFactory)
    text = "Goed idee; bij ons werkt een vaste belafspraak het best."


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    entry = factory.SubFactory(EntryFactory)
    user = factory.SubFactory(UserFactory)


class LegalAreaFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalAreaFollow

    user = factory.SubFactory(UserFactory)
    legal_area = factory.SubFactory(LegalAreaFactory)


class TaskRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskRow

    entry = factory.SubFactory(EntryFactory, kind=Entry.Kind.TASK_DIVISION)
    legal_area = factory.SubFactory(LegalAreaFactory)
    first_line_can = "Uitleg over huurverhoging, bezwaar bij de huurcommissie voorbereiden."
    second_line_when = "Bij een dagvaarding of een ontruimingsvonnis."
    position = factory.Sequence(lambda n: n)


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Synonym
        django_get_or_create = ("term",)

    term = "bijstand"
    synonyms = factory.LazyFunction(lambda: ["participatiewet"])


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    entry = factory.SubFactory(EntryFactory, status=Status.ADOPTED)
    user = factory.SubFactory(UserFactory)
    helpful = True


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription

    user = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    entry = factory.SubFactory(EntryFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.STATUS
    key = factory.Sequence(lambda n: f"status:{n}")
