"""Versions: every change of the text is a revision; a diff between any two; restoring an old
one makes a new revision; an adopted entry keeps its adopted text visible meanwhile."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bestpractices import selectors, services
from bestpractices.models import Entry, Revision
from tests.bestpractices.factories import EndorsementFactory, EntryFactory, adopted_entry

S = Entry.Status


def edit(user, entry, body, **fields):
    data = services.EntryData(
        kind=entry.kind,
        title=fields.pop("title", entry.title),
        summary=entry.summary,
        body=body,
        **fields,
    )
    return services.entry_update(user=user, entry=entry, data=data)


def test_a_change_of_text_is_a_revision_and_metadata_is_not(anna):
    entry = EntryFactory(status=S.DRAFT, author=anna)
    edit(anna, entry, entry.body, audience=Entry.Audience.FIRST)
    assert entry.revisions.count() == 1
    edit(anna, entry, "Nieuwe tekst", note="herschreven", is_major=True, audience="first")
    entry.refresh_from_db()
    latest = entry.current_revision
    assert (latest.number, latest.author, latest.note, latest.is_major) == (
        2,
        anna,
        "herschreven",
        True,
    )
    assert entry.body == "Nieuwe tekst" and entry.audience == Entry.Audience.FIRST


def test_the_diff_marks_removed_and_added_lines_with_text_not_colour_only(login, anna):
    entry = EntryFactory(status=S.DRAFT, author=anna, body="regel een\nregel twee")
    edit(anna, entry, "regel een\nregel drie")
    response = login(anna).get(
        reverse("bestpractices:diff", args=[entry.slug]), {"van": 1, "naar": 2}
    )
    text = response.text
    assert response.status_code == 200
    assert "<del" in text and "regel twee" in text.split("<del", 1)[1]
    assert "<ins" in text and "regel drie" in text.split("<ins", 1)[1]
    assert "verwijderd:" in text and "toegevoegd:" in text


def test_the_diff_of_any_two_revisions():
    old = {"title": "A", "summary": "", "body": "x\ny\nz"}
    new = {"title": "A", "summary": "", "body": "x\nz\nw"}
    title, _summary, body = selectors.texts_diff(
        old, new, {"title": "t", "summary": "s", "body": "b"}
    )
    assert not title.changed and body.changed
    assert [(line.op, line.text) for line in body.lines] == [
        ("equal", "x"),
        ("delete", "y"),
        ("equal", "z"),
        ("insert", "w"),
    ]


def test_restoring_makes_a_new_revision_from_the_old_text(anna):
    entry = EntryFactory(status=S.DRAFT, author=anna, body="eerste")
    first = entry.current_revision
    edit(anna, entry, "tweede")
    restored = services.revision_restore(user=anna, entry=entry, revision_id=first.pk)
    entry.refresh_from_db()
    assert restored.number == 3 and restored.restored_from == first
    assert entry.body == "eerste" and entry.current_revision == restored


def test_restoring_a_revision_of_another_entry_is_refused(anna):
    entry = EntryFactory(status=S.DRAFT, author=anna)
    other = EntryFactory(status=S.DRAFT, author=anna)
    with pytest.raises(ValidationError, match="hoort niet bij dit praktijkvoorbeeld"):
        services.revision_restore(user=anna, entry=entry, revision_id=other.current_revision.pk)
    assert Revision.objects.filter(entry=entry).count() == 1


def test_an_adopted_entry_keeps_showing_its_adopted_text_while_a_new_one_is_drafted(
    login, anna, carla, cor, ravi, orgs_utrecht
):
    entry = adopted_entry(author=anna, body="Vastgestelde werkwijze.")
    for key in ("loket", "raadslieden", "advocatuur"):
        EndorsementFactory(entry=entry, organisation=orgs_utrecht[key])
    edit(carla, entry, "Nieuwe werkwijze in de maak.")
    entry.refresh_from_db()
    assert entry.body == "Vastgestelde werkwijze."  # what readers and the search see
    page = login(ravi).get(reverse("bestpractices:entry", args=[entry.slug])).text
    assert "Vastgestelde werkwijze." in page and "Nieuwe werkwijze in de maak." not in page
    assert "Aan een nieuwe versie (2) wordt gewerkt" in page
    with pytest.raises(ValidationError, match="vier ogen"):
        services.entry_adopt_pending(user=carla, entry=entry)  # she wrote the new version
    services.entry_adopt_pending(user=cor, entry=entry)
    entry.refresh_from_db()
    assert entry.body == "Nieuwe werkwijze in de maak."
    assert entry.adopted_revision == entry.current_revision
