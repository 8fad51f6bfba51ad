"""Anna books a piket consult from her case in three clicks; Bart prepares from his day view and
records the consult's advice after the call, never seeing who the client is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import SecondLineAdvice
from cases.services.cases import identity_set
from cases.vault import Identity
from piket.models import Consult
from piket.services.changes import consult_mark_held
from tests.browser.support import (
    assert_accessible,
    assert_no_console_errors,
    empty_controls,
    fill_advice,
    watch_effort,
)
from tests.cases.factories import register
from tests.piket.factories import make_shift

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUESTION = "Is bezwaar tegen de huurverhoging zinvol, of is er een advocaat nodig?"


def test_anna_books_in_three_clicks_and_bart_advises_after_the_call(
    anna, bart, orgs_utrecht, utrecht, signed_in
):
    anna.phone = "030 765 43 21"
    anna.save(update_fields=["phone"])
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht"))
    identity_set(user=anna, case=case, identity=Identity(full_name="Jantje Geheim"))
    second = case.subproblems.get(position=2)
    second.analysis = "Ontslag op staande voet; de termijn loopt."
    second.save(update_fields=["analysis"])
    shift = make_shift(utrecht, [bart], areas=("huurrecht", "arbeidsrecht"))

    page = signed_in(anna)
    effort = watch_effort(page)
    page.goto(f"/casussen/{case.number}/")
    page.get_by_role("link", name="Piketconsult boeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketconsult boeken")
    expect(page.get_by_label("Uw terugbelnummer (werk)")).to_have_value("030 765 43 21")
    assert_accessible(page)
    # The form demands a slot and a question; the callback number is filled in already.
    # (Every field of the booking form is required; the page marks none of them `required`.)
    assert empty_controls(page, required_only=False) == ["slot", "question"]
    huur = page.get_by_role("group", name="Huurrecht", exact=True)
    huur.get_by_role("radio").first.check()
    page.get_by_label("Uw vraag aan de advocaat").fill(QUESTION)
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketconsult geboekt")
    consult = Consult.objects.get()
    # From the case to the booked consult, as the browser saw it: one form page, its post and
    # the redirect to the confirmation; three clicks (open, choose a slot, book), one typed field.
    assert effort.loads == [
        f"GET /casussen/{case.number}/",
        f"GET /piket/boeken/{case.number}/",
        f"POST /piket/boeken/{case.number}/",
        f"GET /piket/geboekt/{consult.pk}/",
    ]
    assert effort.operations() == [
        ("link", "Piketconsult boeken"),
        ("choice", "slot"),
        ("field", "question"),
        ("button", "Boeken"),
    ]
    expect(page.get_by_text("Bart Smit belt u terug")).to_be_visible()
    expect(page.get_by_text("Huurrecht")).to_be_visible()
    assert "10:00" in page.content()
    assert_accessible(page)
    assert consult.advocaat == bart and consult.callback_number == "030 765 43 21"

    page = signed_in(bart)
    page.goto(f"/piket/vandaag/?dag={shift.date.isoformat()}")
    card = page.get_by_role("article")
    expect(card.get_by_role("heading", level=3)).to_contain_text("10:00")
    expect(card).to_contain_text(QUESTION)
    expect(card).to_contain_text("Anna de Wit")
    expect(card).to_contain_text("030 765 43 21")
    expect(card).to_contain_text("Ontslag op staande voet")
    assert "Jantje" not in page.content() and "Geheim" not in page.content()
    assert_accessible(page)
    expect(card).to_contain_text("Na het gesprek markeert u het consult als gehouden")

    # after the call (the consult is held): the card leads to the consult's own advice
    consult_mark_held(user=bart, consult=consult, now=consult.starts_at)
    page.reload()
    page.get_by_role("article").get_by_role("link", name="Advies vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advies na het piketconsult")
    expect(page.get_by_role("region", name="Deelprobleem 2: Arbeidsrecht")).to_have_count(0)
    assert "Jantje" not in page.content()
    assert_accessible(page)
    fill_advice(
        page.get_by_role("region", name="Deelprobleem 1: Huurrecht"),
        analysis="Bezwaar bij de huurcommissie volstaat.",
        match="Zelfde analyse",
        continuation="Wordt in de eerste lijn afgehandeld",
    )
    page.get_by_role("button", name="Advies opslaan").click()
    expect(page.get_by_text("Uw advies bij dit consult is vastgelegd.")).to_be_visible()
    assert SecondLineAdvice.objects.get(advocaat=bart).consult_link.consult == consult
    assert_no_console_errors(page)


def test_a_slot_taken_a_moment_ago_is_said_at_once_and_the_next_free_times_follow(
    anna, ravi, bart, orgs_utrecht, utrecht, signed_in
):
    from piket.services.booking import consult_book
    from tests.piket.factories import key

    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    other = register(ravi, orgs_utrecht["raadslieden"], areas=("huurrecht",))
    shift = make_shift(utrecht, [bart])
    page = signed_in(anna)
    page.goto(f"/piket/boeken/{case.number}/")
    page.get_by_role("group", name="Huurrecht", exact=True).get_by_role("radio").first.check()
    page.get_by_label("Uw vraag aan de advocaat").fill(QUESTION)
    page.get_by_label("Uw terugbelnummer (werk)").fill("030 765 43 21")
    first = key(shift)
    consult_book(  # a colleague is a moment faster
        user=ravi,
        case=other,
        legal_area=other.subproblems.get().legal_area,
        slot_key=first.split("/", 1)[1],
        question=QUESTION,
        callback_number="030 111 22 33",
    )
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("net door iemand anders geboekt").first).to_be_visible()
    expect(page.get_by_label("Uw vraag aan de advocaat")).to_have_value(QUESTION)
    free = page.get_by_role("group", name="Huurrecht", exact=True).get_by_role("radio")
    expect(free.first).to_be_visible()  # loaded after the answer
    assert page.locator(f'input[value="{first}"]').count() == 0
    assert_accessible(page)
    free.first.check()
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piketconsult geboekt")
    assert Consult.objects.filter(case=case).count() == 1
    # the refusal is a 409 (the browser notes that status); nothing else went wrong
    assert [e for e in page.console_errors if "409" not in e] == []
