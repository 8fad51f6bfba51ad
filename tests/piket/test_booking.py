"""Booking a piket consult from a case: the rules, the pages and their query counts."""

from __future__ import annotations

from datetime import UTC, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Location, Organisation, Role
from cases.models import Case
from cases.services.cases import identity_set
from cases.vault import Identity
from piket.models import Consult
from piket.selectors import free_slots
from piket.services.booking import SlotTaken, consult_book
from tests.accounts.factories import OrganisationFactory, member
from tests.cases.factories import register
from tests.piket.factories import QUESTION, area, key, make_shift


def national() -> Location:
    return Location.objects.get_or_create(
        slug="landelijk", defaults={"name": "Landelijk", "is_national": True}
    )[0]


def national_advocaat(**fields):
    org = OrganisationFactory(
        location=national(),
        name="Landelijke sociale advocatuur",
        kind=Organisation.Kind.SOCIALE_ADVOCATUUR,
    )
    return member(Role.ADVOCAAT, org, **fields)


def post_booking(client, case, slot: str, **extra):
    data = {"slot": slot, "question": QUESTION, "callback_number": "030 123 45 67", **extra}
    return client.post(f"/piket/boeken/{case.number}/", data)


@pytest.fixture
def case(anna, orgs_utrecht):
    """Anna's huurrecht case without a client in the vault (tests/piket/conftest.py has one)."""
    return register(anna, orgs_utrecht["loket"], areas=("huurrecht",))


def errors_of(response) -> str:
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


# ---------------------------------------------------------------- the happy path


def test_case_page_links_to_booking(login, anna, case):
    response = login(anna).get(f"/casussen/{case.number}/")
    assert f'href="/piket/boeken/{case.number}/"' in response.content.decode()
    assert "Piketconsult boeken" in response.content.decode()


def test_worker_books_a_slot_and_the_advocaat_may_see_the_case(login, anna, bart, case, shift):
    anna.phone = "030 765 43 21"
    anna.save(update_fields=["phone"])
    client = login(anna)
    page = client.get(f"/piket/boeken/{case.number}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Uw terugbelnummer (werk)" in html and 'value="030 765 43 21"' in html
    assert "geen namen of andere gegevens van de rechtzoekende" in html.lower()
    assert key(shift) in html and "10:00" in html and "10:20" in html

    response = post_booking(client, case, key(shift))
    consult = Consult.objects.get()
    assert response.status_code == 302
    assert response.url == f"/piket/geboekt/{consult.pk}/"
    assert consult.advocaat == bart and consult.booked_by == anna
    assert consult.starts_at == shift.starts_at
    assert consult.ends_at == shift.starts_at + timedelta(minutes=15)
    assert consult.subproblem == case.subproblems.get()
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING
    assert list(case.person_permissions.values_list("user", "permission__codename")) == [
        (bart.pk, "advise_case")  # to advise, never to see the identity
    ]

    confirmation = client.get(response.url).content.decode()
    assert "10:00" in confirmation and "Bart Smit" in confirmation and "Huurrecht" in confirmation
    # the booked slot is gone from the list
    assert key(shift) not in client.get(f"/piket/boeken/{case.number}/").content.decode()


def test_confirmation_is_only_for_the_worker_who_booked(login, anna, ravi, eva, case, shift):
    consult = consult_book(
        user=anna,
        case=case,
        legal_area=area(),
        slot_key=key(shift).split("/", 1)[1],
        question=QUESTION,
        callback_number="030 123 45 67",
    )
    assert login(eva).get(f"/piket/geboekt/{consult.pk}/").status_code == 404


# ---------------------------------------------------------------- bad input changes nothing


def test_case_the_worker_cannot_see_gets_404(login, eva, case, shift):
    client = login(eva)
    assert client.get(f"/piket/boeken/{case.number}/").status_code == 404
    assert post_booking(client, case, key(shift)).status_code == 404
    assert client.get("/piket/boeken/Z-NIET-BEST/").status_code == 404
    assert not Consult.objects.exists()


def test_advocaat_may_not_book(login, bart, case, shift):
    assert login(bart).get(f"/piket/boeken/{case.number}/").status_code == 403


@pytest.mark.parametrize(
    "slot",
    [
        "",
        "rommel",
        "1/2",
        "999999/1|2026-01-01T10:00:00+01:00",
        "{area}/{shift}|geen-datum",
        "{area}/{shift}|2030-01-01T10:00:00",  # naive
        "{area}/999999|{start}",  # no such shift
        "{area}/{shift}|{off_grid}",  # not a slot of the shift
    ],
)
def test_tampered_slot_is_refused_with_a_dutch_message(login, anna, case, shift, slot):
    slot = slot.format(
        area=area().pk,
        shift=shift.pk,
        start=shift.starts_at.isoformat(),
        off_grid=(shift.starts_at + timedelta(minutes=7)).isoformat(),
    )
    response = post_booking(login(anna), case, slot)
    assert response.status_code == 200
    message = errors_of(response)
    assert "Kies een tijdstip" in message or "hoort niet bij" in message, message
    assert not Consult.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_slot_in_the_past_is_refused(login, anna, bart, utrecht, case):
    yesterday = make_shift(utrecht, [bart], day=timezone.localdate() - timedelta(days=1))
    response = post_booking(login(anna), case, key(yesterday))
    assert "verleden" in errors_of(response)
    assert not Consult.objects.exists()


def test_slot_beyond_the_horizon_is_refused(login, anna, bart, utrecht, case, settings):
    far = make_shift(utrecht, [bart], day=timezone.localdate() + timedelta(days=40))
    client = login(anna)
    assert key(far) not in client.get(f"/piket/boeken/{case.number}/").content.decode()
    response = post_booking(client, case, key(far))
    assert "28 dagen" in errors_of(response)
    assert not Consult.objects.exists()


def test_slot_within_the_minimum_notice_is_refused(anna, case, shift):
    with pytest.raises(Exception, match="minstens 60 minuten"):
        consult_book(
            user=anna,
            case=case,
            legal_area=area(),
            slot_key=key(shift).split("/", 1)[1],
            question=QUESTION,
            callback_number="030 123 45 67",
            now=shift.starts_at - timedelta(minutes=30),
        )
    assert not Consult.objects.exists()
    # 20 minutes later the second slot is still far enough ahead
    slots = free_slots(
        legal_area=area(), location=case.location, now=shift.starts_at - timedelta(minutes=50)
    )
    assert [timezone.localtime(s.starts_at).time() for s in slots][:2] == [
        time(10, 20),
        time(10, 40),
    ]


def test_slot_of_another_legal_area_is_refused(login, anna, bart, utrecht, case):
    work = make_shift(utrecht, [bart], areas=("arbeidsrecht",), start=time(14), end=time(15))
    client = login(anna)
    assert (
        key(work, legal_area="huurrecht")
        not in client.get(f"/piket/boeken/{case.number}/").content.decode()
    )
    # the legal area of the case with the shift of another legal area
    response = post_booking(client, case, key(work, legal_area="huurrecht"))
    assert "geen piket voor dit rechtsgebied" in errors_of(response)
    # a legal area that is not one of the case's sub-problems
    response = post_booking(client, case, key(work, legal_area="arbeidsrecht"))
    assert "hoort niet bij een deelprobleem" in errors_of(response)
    assert not Consult.objects.exists()


def test_question_with_personal_data_is_refused(login, anna, case, shift):
    response = post_booking(
        login(anna), case, key(shift), question="Bel de klant op jan.jansen@example.org"
    )
    assert "e-mailadres" in errors_of(response)
    response = post_booking(login(anna), case, key(shift), callback_number="bel mij")
    assert "geldig telefoonnummer" in errors_of(response)
    assert not Consult.objects.exists()


def test_a_slot_just_taken_is_answered_quickly_and_the_next_free_slots_follow(
    login, anna, bart, ravi, case, shift
):
    other = register(ravi, ravi.memberships.get().organisation, areas=("huurrecht",))
    consult_book(
        user=ravi,
        case=other,
        legal_area=area(),
        slot_key=key(shift).split("/", 1)[1],
        question=QUESTION,
        callback_number="030 111 22 33",
    )
    client = login(anna)
    with CaptureQueriesContext(connection) as refused:
        response = post_booking(client, case, key(shift))
    html = response.content.decode()
    assert response.status_code == 409
    assert "net door iemand anders geboekt" in html
    assert QUESTION in html  # what was typed stays
    assert f"/piket/boeken/{case.number}/vrije-tijden/" in html  # the free times follow
    # no search for free slots in the refusal: no shifts are read but the one booked
    searches = [
        q["sql"]
        for q in refused.captured_queries
        if 'FROM "piket_shift"' in q["sql"] and '"piket_shift"."id" =' not in q["sql"]
    ]
    assert searches == []
    assert Consult.objects.filter(case=case).count() == 0
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN

    slots = client.get(f"/piket/boeken/{case.number}/vrije-tijden/").content.decode()
    assert key(shift, time(10, 20)) in slots and f'value="{key(shift)}"' not in slots


def test_slot_taken_error_carries_the_next_free_slots(anna, bart, case, shift):
    slot_key = key(shift).split("/", 1)[1]
    data = {"question": QUESTION, "callback_number": "030 123 45 67"}
    consult_book(user=anna, case=case, legal_area=area(), slot_key=slot_key, **data)
    with pytest.raises(SlotTaken) as taken:
        consult_book(user=anna, case=case, legal_area=area(), slot_key=slot_key, **data)
    assert [timezone.localtime(s.starts_at).time() for s in taken.value.next_slots][0] == time(
        10, 20
    )


def test_no_free_slots_says_so(login, anna, case):
    html = login(anna).get(f"/piket/boeken/{case.number}/").content.decode()
    assert "geen vrije tijden voor Huurrecht" in html


# ---------------------------------------------------------------- own location, national


def test_slots_in_time_order_with_national_ones_marked(login, anna, bart, utrecht, case):
    own = make_shift(utrecht, [bart], start=time(14), end=time(15))
    landelijk = make_shift(national(), [national_advocaat()], start=time(9), end=time(10))
    html = login(anna).get(f"/piket/boeken/{case.number}/").content.decode()
    assert key(own) in html and key(landelijk) in html
    assert html.index(key(landelijk)) < html.index(key(own))  # earlier first, national or not
    assert "piket Utrecht" in html and "landelijk piket" in html


def test_other_location_sees_national_but_not_utrecht(login, eva, bart, utrecht, orgs_amsterdam):
    utrecht_shift = make_shift(utrecht, [bart])
    landelijk_advocaat = national_advocaat(full_name="Lotte Land")
    landelijk = make_shift(national(), [landelijk_advocaat], start=time(9), end=time(10))
    case = register(eva, orgs_amsterdam["loket"], areas=("huurrecht",))
    client = login(eva)
    html = client.get(f"/piket/boeken/{case.number}/").content.decode()
    assert key(landelijk) in html and key(utrecht_shift) not in html
    # a tampered post for Utrecht's slot is refused
    assert "andere locatie" in errors_of(post_booking(client, case, key(utrecht_shift)))
    assert post_booking(client, case, key(landelijk)).status_code == 302
    consult = Consult.objects.get()
    assert consult.advocaat == landelijk_advocaat
    assert case.person_permissions.filter(user=landelijk_advocaat).exists()


def test_a_national_slot_served_by_an_advocaat_of_another_location_is_booked(
    login, eva, bart, orgs_amsterdam
):
    """Every advocaat may serve the national piket (they sign up for its shifts): a worker in
    Amsterdam books Utrecht's Bart on a national shift, and Bart may then advise on the case."""
    landelijk = make_shift(national(), [bart], start=time(9), end=time(10))
    case = register(eva, orgs_amsterdam["loket"], areas=("huurrecht",))
    client = login(eva)
    assert key(landelijk) in client.get(f"/piket/boeken/{case.number}/").content.decode()

    assert post_booking(client, case, key(landelijk)).status_code == 302
    assert Consult.objects.get().advocaat == bart
    assert case.person_permissions.filter(user=bart, permission__codename="advise_case").exists()


# ---------------------------------------------------------------- fairness


def test_consults_alternate_between_advocaten_on_duty(anna, bart, orgs_utrecht, utrecht, case):
    colleague = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"], full_name="Cees Colleega")
    shift = make_shift(utrecht, [bart, colleague])
    booked = []
    for at in (time(10), time(10, 20), time(10, 40), time(11)):
        consult = consult_book(
            user=anna,
            case=case,
            legal_area=area(),
            slot_key=key(shift, at).split("/", 1)[1],
            question=QUESTION,
            callback_number="030 123 45 67",
        )
        booked.append(consult.advocaat)
    assert booked[0] != booked[1] and booked[0] == booked[2] and booked[1] == booked[3]
    assert set(booked) == {bart, colleague}


def test_two_advocaten_on_duty_give_two_consults_at_the_same_time(
    anna, bart, orgs_utrecht, utrecht, case
):
    colleague = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"])
    shift = make_shift(utrecht, [bart, colleague])
    data = {"question": QUESTION, "callback_number": "030 123 45 67", "legal_area": area()}
    slot_key = key(shift).split("/", 1)[1]
    first = consult_book(user=anna, case=case, slot_key=slot_key, **data)
    second = consult_book(user=anna, case=case, slot_key=slot_key, **data)
    assert {first.advocaat, second.advocaat} == {bart, colleague}
    with pytest.raises(SlotTaken):
        consult_book(user=anna, case=case, slot_key=slot_key, **data)


# ---------------------------------------------------------------- time


def test_ten_oclock_stays_ten_oclock_in_summer_and_winter(
    login, anna, bart, utrecht, case, settings
):
    settings.PIKET_HORIZON_DAYS = 400
    today = timezone.localdate()
    ahead = [today + timedelta(days=n) for n in range(2, 400)]
    summer = next(day for day in ahead if day.month == 7)
    winter = next(day for day in ahead if day.month == 1)
    shifts = [
        make_shift(utrecht, [bart], day=day, start=time(10), end=time(10, 15))
        for day in (summer, winter)
    ]
    utc_hours = {s.starts_at.astimezone(UTC).hour for s in shifts}
    assert utc_hours == {8, 9}  # 10:00 CEST and 10:00 CET
    html = login(anna).get(f"/piket/boeken/{case.number}/").content.decode()
    for shift in shifts:
        assert key(shift) in html
    assert html.count(">10:00<") == 2 and "09:00<" not in html and "11:00<" not in html


# ---------------------------------------------------------------- the advocaat's day


def test_day_view_shows_a_preparation_card_without_the_client(
    login, anna, bart, orgs_utrecht, case, shift
):
    identity_set(
        user=anna, case=case, identity=Identity(full_name="Jantje Geheim", phone="0612345678")
    )
    sub = case.subproblems.get()
    sub.analysis = "Huurachterstand van drie maanden; verhuurder dreigt met ontruiming."
    sub.save(update_fields=["analysis"])
    consult = consult_book(
        user=anna,
        case=case,
        legal_area=area(),
        slot_key=key(shift).split("/", 1)[1],
        question=QUESTION,
        callback_number="030 123 45 67",
    )
    client = login(bart)
    response = client.get(f"/piket/vandaag/?dag={shift.date.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "10:00" in html and "Huurrecht" in html and "Utrecht" in html
    assert "Anna de Wit" in html and "030 123 45 67" in html
    assert case.number in html and QUESTION in html and "dreigt met ontruiming" in html
    assert "Jantje" not in html and "0612345678" not in html
    assert f'href="/piket/consult/{consult.pk}/"' in html
    assert "Na het gesprek markeert u het consult als gehouden" in html
    assert client.get(f"/casussen/{case.number}/advies/").status_code == 200
    # the other days and a bad date
    assert (
        consult.case.number
        not in client.get(f"/piket/vandaag/?dag={shift.date - timedelta(days=1)}").content.decode()
    )
    assert "Die datum kennen we niet" in client.get("/piket/vandaag/?dag=morgen").content.decode()


def test_day_view_is_for_advocaten(login, anna):
    assert login(anna).get("/piket/vandaag/").status_code == 403


# ---------------------------------------------------------------- query counts


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_booking_page_queries_do_not_grow_with_shifts_and_consults(
    login, anna, bart, ravi, utrecht, case, orgs_utrecht
):
    client = login(anna)
    url = f"/piket/boeken/{case.number}/"
    make_shift(utrecht, [bart])
    few = count_queries(client, url)
    colleague = member(Role.ADVOCAAT, orgs_utrecht["advocatuur"])
    other = register(ravi, orgs_utrecht["raadslieden"], areas=("huurrecht",))
    for n in range(2, 7):
        more = make_shift(utrecht, [bart, colleague], day=timezone.localdate() + timedelta(days=n))
        consult_book(
            user=ravi,
            case=other,
            legal_area=area(),
            slot_key=key(more).split("/", 1)[1],
            question=QUESTION,
            callback_number="030 111 22 33",
        )
    make_shift(national(), [national_advocaat()])
    assert count_queries(client, url) == few


def test_day_view_queries_do_not_grow_with_consults(login, anna, bart, orgs_utrecht, shift):
    client = login(bart)
    url = f"/piket/vandaag/?dag={shift.date.isoformat()}"
    times = [time(10), time(10, 20), time(10, 40), time(11), time(11, 20), time(11, 40)]

    def book(at):
        case = register(anna, orgs_utrecht["loket"], areas=("huurrecht", "arbeidsrecht"))
        consult_book(
            user=anna,
            case=case,
            legal_area=area(),
            slot_key=key(shift, at).split("/", 1)[1],
            question=QUESTION,
            callback_number="030 123 45 67",
        )

    book(times[0])
    one = count_queries(client, url)
    for at in times[1:]:
        book(at)
    assert count_queries(client, url) == one
