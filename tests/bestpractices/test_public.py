"""Reading beyond the pilot: public adopted entries, their print page, PDF and feed, without an
account; authors by organisation only; anything else at a public address is a 404."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from bestpractices.models import Entry
from tests.bestpractices.factories import EndorsementFactory, EntryFactory, adopted_entry

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def public(anna, orgs_utrecht):
    entry = adopted_entry(
        title="Samen de verhuurder bellen",
        summary="Bel samen met de huurder.",
        body="## Aanpak\n\nBel binnen een week. <script>alert(1)</script>",
        author=anna,
        is_public=True,
    )
    EndorsementFactory(entry=entry, organisation=orgs_utrecht["advocatuur"])
    return entry


def test_the_public_entry_is_readable_without_an_account(client, public, anna):
    response = client.get(f"/praktijk/publiek/{public.slug}/")
    assert response.status_code == 200
    html = response.text
    assert "Samen de verhuurder bellen" in html and "Bel binnen een week." in html
    assert "Het Juridisch Loket Utrecht" in html  # the author's organisation
    assert "Sociale advocatuur Utrecht" in html  # who endorsed it
    assert anna.full_name not in html and anna.email not in html  # never a person
    assert "<script>alert(1)</script>" not in html


def test_the_adopted_text_is_public_not_a_newer_draft(client, public):
    Entry.objects.filter(pk=public.pk).update(title="Nieuwe titel in bewerking", body="Geheim")
    html = client.get(f"/praktijk/publiek/{public.slug}/").text
    assert "Samen de verhuurder bellen" in html and "Geheim" not in html


@pytest.mark.parametrize("suffix", ["", "afdrukken/", "pdf/"])
def test_anything_but_a_public_adopted_entry_is_a_404(client, suffix):
    draft = EntryFactory(status=Entry.Status.DRAFT)
    internal = adopted_entry()
    for slug in (draft.slug, internal.slug, "bestaat-niet"):
        assert client.get(f"/praktijk/publiek/{slug}/{suffix}").status_code == 404


def test_the_index_lists_only_public_adopted_entries(client, public):
    adopted_entry(title="Intern vastgesteld")
    EntryFactory(status=Entry.Status.CONSULTATION, title="In consultatie")
    response = client.get("/praktijk/")
    assert response.status_code == 200
    assert "Samen de verhuurder bellen" in response.text
    assert "Intern vastgesteld" not in response.text and "In consultatie" not in response.text


def test_the_print_page_stands_alone(client, public):
    response = client.get(f"/praktijk/publiek/{public.slug}/afdrukken/")
    assert response.status_code == 200
    assert "bestpractices-print.css" in response.text
    assert f"http://testserver/praktijk/publiek/{public.slug}/" in response.text


def test_the_pdf_holds_the_entry_text(client, public):
    response = client.get(f"/praktijk/publiek/{public.slug}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Samen de verhuurder bellen" in text
    assert "Bel binnen een week." in text
    assert "Sociale advocatuur Utrecht" in text


def test_the_feed_is_atom_of_public_entries(client, public):
    adopted_entry(title="Intern vastgesteld")
    response = client.get("/praktijk/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # well-formed XML
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Samen de verhuurder bellen"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/praktijk/publiek/{public.slug}/")
