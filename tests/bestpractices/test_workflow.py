"""The workflow idea -> draft -> consultation -> adopted -> archived as a table: who may take
which step, and adoption's two rules (four eyes; an endorsement of every line)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bestpractices import services
from bestpractices.models import Endorsement, Entry, Review, StatusChange
from tests.bestpractices.factories import EndorsementFactory, EntryFactory, RevisionFactory

S = Entry.Status
ALL_LINES = ("loket", "raadslieden", "advocatuur")

# (from, to, who acts, the entry's author, organisations that endorsed, refusal or None)
RULES = [
    (S.IDEA, S.DRAFT, "anna", "anna", (), None),
    (S.IDEA, S.DRAFT, "carla", "anna", (), None),
    (S.IDEA, S.DRAFT, "bart", "anna", (), "U mag deze stap niet zetten"),
    (S.IDEA, S.ARCHIVED, "anna", "anna", (), None),
    (S.IDEA, S.CONSULTATION, "anna", "anna", (), "kan niet naar"),
    (S.IDEA, S.ADOPTED, "carla", "anna", ALL_LINES, "kan niet naar"),
    (S.DRAFT, S.CONSULTATION, "anna", "anna", (), None),
    (S.DRAFT, S.CONSULTATION, "ravi", "anna", (), "U mag deze stap niet zetten"),
    (S.DRAFT, S.ADOPTED, "carla", "anna", ALL_LINES, "kan niet naar"),
    (S.CONSULTATION, S.DRAFT, "anna", "anna", (), None),
    (S.CONSULTATION, S.ADOPTED, "carla", "anna", ALL_LINES, None),
    (S.CONSULTATION, S.ADOPTED, "cor", "anna", ALL_LINES, None),
    (S.CONSULTATION, S.ADOPTED, "carla", "carla", ALL_LINES, "vier ogen"),
    (S.CONSULTATION, S.ADOPTED, "anna", "ravi", ALL_LINES, "U mag deze stap niet zetten"),
    (S.CONSULTATION, S.ADOPTED, "carla", "anna", ("loket", "raadslieden"), "Sociale advocatuur"),
    (S.CONSULTATION, S.ADOPTED, "carla", "anna", ("advocatuur",), "Nog geen steun van"),
    (S.CONSULTATION, S.ADOPTED, "carla", "anna", (), "Nog geen steun van"),
    (S.CONSULTATION, S.ARCHIVED, "carla", "anna", (), None),
    (S.CONSULTATION, S.ARCHIVED, "anna", "anna", (), "U mag deze stap niet zetten"),
    (S.ADOPTED, S.ARCHIVED, "carla", "anna", (), None),
    (S.ADOPTED, S.ARCHIVED, "anna", "anna", (), "U mag deze stap niet zetten"),
    (S.ADOPTED, S.DRAFT, "carla", "anna", (), "kan niet naar"),
    (S.ADOPTED, S.CONSULTATION, "carla", "anna", (), "kan niet naar"),
    (S.ARCHIVED, S.DRAFT, "carla", "anna", (), None),
    (S.ARCHIVED, S.DRAFT, "anna", "anna", (), "U mag deze stap niet zetten"),
    (S.ARCHIVED, S.ADOPTED, "carla", "anna", ALL_LINES, "kan niet naar"),
]


@pytest.mark.parametrize(("frm", "to", "actor", "author", "endorsed", "refusal"), RULES)
def test_workflow_rule(personas, orgs_utrecht, frm, to, actor, author, endorsed, refusal):
    entry = EntryFactory(status=frm, author=personas[author])
    for key in endorsed:
        EndorsementFactory(
            entry=entry, organisation=orgs_utrecht[key], endorsed_by=personas["ravi"]
        )
    history = StatusChange.objects.filter(entry=entry).count()
    if refusal:
        with pytest.raises(ValidationError) as refused:
            services.entry_transition(user=personas[actor], entry=entry, to=to)
        assert refusal in " ".join(refused.value.messages)
        entry.refresh_from_db()
        assert entry.status == frm
        assert StatusChange.objects.filter(entry=entry).count() == history
    else:
        change = services.entry_transition(user=personas[actor], entry=entry, to=to)
        entry.refresh_from_db()
        assert entry.status == to
        assert (change.from_status, change.to_status) == (frm, to)
        assert change.changed_by == personas[actor]


def test_adopting_records_the_review_the_adopted_revision_and_a_review_date(
    anna, carla, orgs_utrecht
):
    entry = EntryFactory(status=S.CONSULTATION, author=anna)
    for key in ALL_LINES:
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key])
    services.entry_transition(user=carla, entry=entry, to=S.ADOPTED, is_public=True)
    entry.refresh_from_db()
    assert entry.adopted_revision == entry.current_revision
    assert entry.review_by and entry.adopted_at and entry.is_public
    assert Review.objects.get(entry=entry).reviewer == carla


def test_the_coordinator_who_wrote_the_last_version_may_not_adopt_it(anna, carla, orgs_utrecht):
    entry = EntryFactory(status=S.CONSULTATION, author=anna)
    for key in ALL_LINES:
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key])
    data = services.EntryData(kind=entry.kind, title=entry.title, body="Nieuwe tekst van Carla.")
    services.entry_update(user=carla, entry=entry, data=data)
    with pytest.raises(ValidationError, match="laatste versie"):
        services.entry_transition(user=carla, entry=entry, to=S.ADOPTED)


def test_a_member_endorses_only_for_their_own_organisation(anna, ravi, orgs_utrecht):
    entry = EntryFactory(status=S.CONSULTATION, author=ravi)
    with pytest.raises(ValidationError, match="namens een organisatie waar u lid van bent"):
        services.entry_endorse(user=anna, entry=entry, organisation=orgs_utrecht["advocatuur"])
    services.entry_endorse(user=anna, entry=entry, organisation=orgs_utrecht["loket"])
    with pytest.raises(ValidationError, match="steunt dit praktijkvoorbeeld al"):
        services.entry_endorse(user=anna, entry=entry, organisation=orgs_utrecht["loket"])
    assert Endorsement.objects.filter(entry=entry).count() == 1


def test_endorsing_outside_consultation_is_refused(anna, orgs_utrecht):
    entry = EntryFactory(status=S.DRAFT)
    with pytest.raises(ValidationError, match="alleen tijdens de consultatie"):
        services.entry_endorse(user=anna, entry=entry, organisation=orgs_utrecht["loket"])


def test_the_database_refuses_a_public_entry_that_is_not_adopted(anna):
    from django.db import IntegrityError

    entry = EntryFactory(status=S.DRAFT)
    entry.is_public = True
    with pytest.raises(IntegrityError):
        entry.save()


def test_reconfirming_unchanged_records_who_and_when_without_a_new_version(anna, carla):
    entry = EntryFactory(status=S.ADOPTED, author=anna)
    revisions = entry.revisions.count()
    services.entry_review(user=anna, entry=entry, outcome=Review.Outcome.RECONFIRMED)
    entry.refresh_from_db()
    assert entry.reconfirmed_by == anna and entry.reconfirmed_at
    assert entry.revisions.count() == revisions
    change = StatusChange.objects.filter(entry=entry).latest("changed_at")
    assert (change.from_status, change.to_status) == (S.ADOPTED, S.ADOPTED)
    assert "herbevestigd" in change.note


def test_the_author_may_not_adopt_even_when_someone_else_wrote_the_last_version(
    anna, carla, orgs_utrecht
):
    entry = EntryFactory(status=S.CONSULTATION, author=carla)
    newer = RevisionFactory(entry=entry, author=anna)
    Entry.objects.filter(pk=entry.pk).update(current_revision=newer)
    for key in ALL_LINES:
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key])
    with pytest.raises(ValidationError, match="U bent de auteur"):
        services.entry_transition(user=carla, entry=entry, to=S.ADOPTED)
