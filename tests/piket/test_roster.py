"""The roster editor, exceptions, the week view, the capacity overview and the statements."""

from __future__ import annotations

import csv
import io
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEntry, LegalArea
from piket.models import (
    Assignment,
    Consult,
    Roster,
    RosterException,
    Shift,
    WaitlistEntry,
)
from piket.services import changes
from piket.services.schedule import local_datetime
from tests.cases.factories import CaseFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    RosterFactory,
    ShiftFactory,
    WaitlistEntryFactory,
    advocaat_at,
    national_location,
)

pytestmark = pytest.mark.django_db

ROSTER_DATA = {
    "weekday": "1",
    "start_time": "09:00",
    "end_time": "12:00",
    "consult_minutes": "15",
    "buffer_minutes": "5",
    "capacity": "1",
}


def roster_post(location, **extra):
    data = {
        **ROSTER_DATA,
        "location": str(location.pk),
        "legal_areas": [str(LegalArea.objects.get(slug="huurrecht").pk)],
        "valid_from": timezone.localdate().isoformat(),
    }
    data.update(extra)
    return data


def consult_in(shift, advocaat, booked_by, *, status=Consult.Status.BOOKED, minutes=0):
    starts_at = shift.starts_at + timedelta(minutes=minutes)
    return Consult.objects.create(
        shift=shift,
        advocaat=advocaat,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=15),
        case=CaseFactory(organisation=booked_by.memberships.first().organisation),
        legal_area=LegalArea.objects.get(slug="huurrecht"),
        booked_by=booked_by,
        question="Is een advocaat nodig voor deze huurverhoging?",
        callback_number="030-1234567",
        status=status,
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# ---------------------------------------------------------------- access


MANAGE_ONLY = [
    "/piket/roosters/",
    "/piket/roosters/nieuw/",
    "/piket/roosters/uitzondering/",
    "/piket/capaciteit/",
    "/piket/overzicht/",
    "/piket/overzicht/2026/1.csv",
    "/piket/advocaten/",
]
SERVE_ONLY = ["/piket/profiel/", "/piket/mijn-overzicht/", "/piket/mijn-overzicht/2026/1.csv"]
EVERY_PIKET_ROLE = ["/piket/week/"]
EXPECTED = {
    "anna": {"manage": 403, "serve": 403, "week": 200},
    "bart": {"manage": 403, "serve": 200, "week": 200},
    "carla": {"manage": 200, "serve": 403, "week": 200},
    "cor": {"manage": 200, "serve": 403, "week": 200},
    "olga": {"manage": 403, "serve": 403, "week": 403},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_access_per_role(persona, personas, login):
    client = login(personas[persona])
    for group, urls in (("manage", MANAGE_ONLY), ("serve", SERVE_ONLY), ("week", EVERY_PIKET_ROLE)):
        for url in urls:
            assert client.get(url).status_code == EXPECTED[persona][group], (persona, url)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/piket/roosters/")
    assert response.status_code == 302


def test_url_names_exist():
    assert reverse("piket:rosters") == "/piket/roosters/"
    assert reverse("piket:week") == "/piket/week/"
    assert reverse("piket:capacity") == "/piket/capaciteit/"
    assert reverse("piket:statement", args=[2026, 3]) == "/piket/overzicht/2026/3.csv"


def test_roster_of_another_location_is_404(login, carla, amsterdam):
    roster = RosterFactory(location=amsterdam)
    client = login(carla)
    assert client.get(f"/piket/roosters/{roster.pk}/").status_code == 404
    assert client.post(f"/piket/roosters/{roster.pk}/deactiveren/").status_code == 404
    roster.refresh_from_db()
    assert roster.is_active


def test_list_shows_own_and_national_rosters_only(login, carla, utrecht, amsterdam):
    RosterFactory(location=utrecht, start_time=time(9))
    RosterFactory(location=national_location(), start_time=time(13), end_time=time(16))
    RosterFactory(location=amsterdam, weekday=4)
    response = login(carla).get("/piket/roosters/")
    rosters = list(response.context["rosters"])
    assert {r.location.slug for r in rosters} == {"utrecht", "landelijk"}
    assert "ochtend" in response.content.decode()
    assert "middag" in response.content.decode()


# ---------------------------------------------------------------- roster editor


def test_coordinator_creates_a_roster_and_its_shifts_are_generated(login, carla, utrecht):
    response = login(carla).post("/piket/roosters/nieuw/", roster_post(utrecht))

    assert response.status_code == 302
    roster = Roster.objects.get()
    assert roster.created_by == carla
    assert roster.shifts.count() >= 5


def test_whole_cluster_adds_every_area_of_it(login, carla, utrecht):
    login(carla).post(
        "/piket/roosters/nieuw/", roster_post(utrecht, legal_areas=[], clusters=["werk_inkomen"])
    )

    roster = Roster.objects.get()
    expected = set(
        LegalArea.objects.filter(cluster="werk_inkomen", in_pilot_scope=True, is_active=True)
    )
    assert set(roster.legal_areas.all()) == expected


def test_tampered_location_is_refused_in_dutch(login, carla, amsterdam):
    response = login(carla).post("/piket/roosters/nieuw/", roster_post(amsterdam))

    assert response.status_code == 200
    assert "Kies een locatie waarvan u het rooster beheert." in response.content.decode()
    assert not Roster.objects.exists()


def test_bad_hours_are_refused_in_dutch(login, carla, utrecht):
    response = login(carla).post(
        "/piket/roosters/nieuw/", roster_post(utrecht, start_time="12:00", end_time="09:00")
    )

    assert "De eindtijd moet na de begintijd liggen." in response.content.decode()
    assert not Roster.objects.exists()


def test_no_legal_area_is_refused(login, carla, utrecht):
    response = login(carla).post("/piket/roosters/nieuw/", roster_post(utrecht, legal_areas=[]))

    assert "Kies minstens één rechtsgebied" in response.content.decode()
    assert not Roster.objects.exists()


def test_any_coordinator_maintains_national_rosters(login, carla, cor):
    login(cor).post("/piket/roosters/nieuw/", roster_post(national_location()))
    roster = Roster.objects.get()

    response = login(carla).post(
        f"/piket/roosters/{roster.pk}/", roster_post(national_location(), start_time="08:30")
    )

    assert response.status_code == 302
    roster.refresh_from_db()
    assert roster.start_time == time(8, 30)
    shift = roster.shifts.filter(is_cancelled=False).first()
    assert timezone.localtime(shift.starts_at).time() == time(8, 30)


def test_edit_refuses_while_booked_consults_would_fall_outside(login, carla, anna, bart, utrecht):
    roster = RosterFactory(location=utrecht)
    shift = ShiftFactory(roster=roster)
    consult = consult_in(shift, bart, anna, minutes=0)

    response = login(carla).post(
        f"/piket/roosters/{roster.pk}/", roster_post(utrecht, start_time="10:00")
    )

    assert "1 consult geboekt" in response.content.decode()
    assert "Bevestig dat u het annuleert" in response.content.decode()
    roster.refresh_from_db()
    shift.refresh_from_db()
    consult.refresh_from_db()
    assert roster.start_time == time(9)
    assert timezone.localtime(shift.starts_at).time() == time(9)
    assert consult.status == Consult.Status.BOOKED


def test_edit_with_confirmation_cancels_the_consults_outside_and_tells_both_sides(
    login, carla, anna, bart, utrecht, mailoutbox, django_capture_on_commit_callbacks
):
    roster = RosterFactory(location=utrecht)
    shift = ShiftFactory(roster=roster)
    consult = consult_in(shift, bart, anna, minutes=0)  # 09:00, before the new 10:00 start

    with django_capture_on_commit_callbacks(execute=True):
        response = login(carla).post(
            f"/piket/roosters/{roster.pk}/",
            roster_post(utrecht, start_time="10:00", cancel_booked="on"),
        )

    assert response.status_code == 302
    consult.refresh_from_db()
    assert consult.status == Consult.Status.CANCELLED
    assert consult.change_reason == "De tijden van het piket zijn gewijzigd."
    assert {m.to[0] for m in mailoutbox} == {anna.email, bart.email}


def test_deactivate_cancels_future_shifts(login, carla, utrecht):
    roster = RosterFactory(location=utrecht)
    shift = ShiftFactory(roster=roster)

    login(carla).post(f"/piket/roosters/{roster.pk}/deactiveren/")

    roster.refresh_from_db()
    shift.refresh_from_db()
    assert not roster.is_active
    assert shift.is_cancelled


# ---------------------------------------------------------------- exceptions


def test_closed_day_cancels_the_generated_shift(login, carla, utrecht):
    roster = RosterFactory(location=utrecht)
    shift = ShiftFactory(roster=roster)

    response = login(carla).post(
        "/piket/roosters/uitzondering/",
        {
            "location": utrecht.pk,
            "roster": roster.pk,
            "date": shift.date.isoformat(),
            "kind": "gesloten",
            "reason": "Studiedag",
        },
    )

    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.is_cancelled


def test_location_wide_changed_hours_move_the_shifts(login, carla, utrecht):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))

    login(carla).post(
        "/piket/roosters/uitzondering/",
        {
            "location": utrecht.pk,
            "date": shift.date.isoformat(),
            "kind": "andere_tijden",
            "start_time": "10:00",
            "end_time": "11:00",
        },
    )

    shift.refresh_from_db()
    assert shift.starts_at == local_datetime(shift.date, time(10))
    assert shift.ends_at == local_datetime(shift.date, time(11))
    assert RosterException.objects.get().roster is None


def closed_day(utrecht, shift, **extra) -> dict:
    return {"location": utrecht.pk, "date": shift.date.isoformat(), "kind": "gesloten", **extra}


def test_exception_is_refused_while_consults_are_booked(carla, anna, bart, utrecht, login):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    consult = consult_in(shift, bart, anna, minutes=150)  # 11:30, outside 09:00-11:00

    response = login(carla).post(
        "/piket/roosters/uitzondering/",
        {
            "location": utrecht.pk,
            "date": shift.date.isoformat(),
            "kind": "andere_tijden",
            "start_time": "09:00",
            "end_time": "11:00",
        },
    )

    assert "1 consult geboekt" in response.content.decode()
    assert not RosterException.objects.exists()
    shift.refresh_from_db()
    consult.refresh_from_db()
    assert shift.ends_at == local_datetime(shift.date, time(12))
    assert consult.status == Consult.Status.BOOKED


def test_closing_a_day_with_booked_consults_needs_a_reason(carla, anna, bart, utrecht, login):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    consult = consult_in(shift, bart, anna)

    response = login(carla).post(
        "/piket/roosters/uitzondering/", closed_day(utrecht, shift, cancel_booked="on")
    )

    assert "Geef een reden op" in response.content.decode()
    assert not RosterException.objects.exists()
    consult.refresh_from_db()
    shift.refresh_from_db()
    assert consult.status == Consult.Status.BOOKED and not shift.is_cancelled


def test_coordinator_closes_a_day_and_its_consults_are_cancelled_with_the_reason(
    carla, anna, bart, utrecht, login, mailoutbox, django_capture_on_commit_callbacks
):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    consult = consult_in(shift, bart, anna)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(carla).post(
            "/piket/roosters/uitzondering/",
            closed_day(utrecht, shift, cancel_booked="on", reason="Storing telefooncentrale"),
        )

    assert response.status_code == 302
    shift.refresh_from_db()
    consult.refresh_from_db()
    assert shift.is_cancelled
    assert consult.status == Consult.Status.CANCELLED
    assert consult.change_reason == "Storing telefooncentrale"
    assert {m.to[0] for m in mailoutbox} == {anna.email, bart.email}  # both sides are told
    entry = AuditEntry.objects.get(case=consult.case, action=AuditEntry.Action.STATUS)
    assert entry.actor == carla and entry.reason == "Storing telefooncentrale"
    assert not WaitlistEntry.objects.exists()  # nothing is offered in a closed piket


def test_closing_a_day_puts_a_held_waitlist_offer_back_in_line(carla, anna, bart, utrecht, login):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    offer = consult_in(shift, bart, anna, status=Consult.Status.OFFERED)
    entry = WaitlistEntryFactory(
        case=offer.case,
        requested_by=anna,
        location=utrecht,
        status=WaitlistEntry.Status.OFFERED,
        offer=offer,
    )

    login(carla).post(
        "/piket/roosters/uitzondering/",
        closed_day(utrecht, shift, cancel_booked="on", reason="Studiedag"),
    )

    offer.refresh_from_db()
    entry.refresh_from_db()
    assert offer.status == Consult.Status.EXPIRED
    assert entry.status == WaitlistEntry.Status.WAITING and entry.offer is None


def test_only_a_coordinator_of_the_location_cancels_for_a_closure(cor, anna, bart, utrecht):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    consult = consult_in(shift, bart, anna)
    with pytest.raises(PermissionDenied):
        changes.consult_cancel_for_closure(user=cor, consult=consult, reason="Storing")
    consult.refresh_from_db()
    assert consult.status == Consult.Status.BOOKED


def test_exception_for_roster_of_other_location_is_refused(login, carla, amsterdam, utrecht):
    roster = RosterFactory(location=amsterdam)

    response = login(carla).post(
        "/piket/roosters/uitzondering/",
        {
            "location": utrecht.pk,
            "roster": roster.pk,
            "date": timezone.localdate().isoformat(),
            "kind": "gesloten",
        },
    )

    assert response.status_code == 200
    assert "Kies een piketmoment uit de lijst." in response.content.decode()
    assert not RosterException.objects.exists()


# ---------------------------------------------------------------- duty pages


def test_coordinator_assigns_bart_on_the_shift_page(login, carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart)
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))

    response = login(carla).post(f"/piket/diensten/{shift.pk}/", {"advocaat": bart.pk})

    assert response.status_code == 302
    assert shift.assignments.get().advocaat == bart


def test_unqualified_advocaat_gives_a_dutch_message(login, carla, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, legal_areas=["arbeidsrecht"])
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))

    response = login(carla).post(f"/piket/diensten/{shift.pk}/", {"advocaat": bart.pk})

    assert "alleen rechtsgebieden doen die hij of zij dekt" in response.content.decode()
    assert not Assignment.objects.exists()


def test_shift_page_of_another_location_is_404(login, cor, utrecht):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    assert login(cor).get(f"/piket/diensten/{shift.pk}/").status_code == 404


def test_advocaat_signs_up_from_the_week_view(login, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart)
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    client = login(bart)
    year, week, _day = shift.date.isocalendar()
    url = f"/piket/week/?locatie={utrecht.pk}&week={year}-W{week:02d}"

    assert "Aanmelden" in client.get(url).content.decode()
    response = client.post(f"/piket/diensten/{shift.pk}/aanmelden/", follow=True)

    assert "U bent aangemeld" in response.content.decode()
    assert shift.assignments.get().advocaat == bart


def test_overlapping_sign_up_gives_a_dutch_message_and_changes_nothing(login, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart)
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    AssignmentFactory(shift=shift, advocaat=bart)
    other = ShiftFactory(
        roster=RosterFactory(location=utrecht, start_time=time(11), end_time=time(13)),
        date=shift.date,
    )

    response = login(bart).post(f"/piket/diensten/{other.pk}/aanmelden/", follow=True)

    assert "diensten mogen niet overlappen" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_advocaat_accepts_a_swap_on_the_profile_page(login, bart, utrecht, orgs_utrecht):
    AdvocaatProfileFactory(advocaat=bart)
    colleague = advocaat_at(utrecht, email="bram@example.org", full_name="Bram Vis")
    AdvocaatProfileFactory(advocaat=colleague)
    assignment = AssignmentFactory(
        shift=ShiftFactory(roster=RosterFactory(location=utrecht)), advocaat=bart
    )

    login(bart).post(f"/piket/indelingen/{assignment.pk}/ruilen/", {"to_advocaat": colleague.pk})
    client = login(colleague)
    page = client.get("/piket/profiel/").content.decode()
    assert "Bart Smit biedt u de dienst" in page
    swap = assignment.swaps.get()
    client.post(f"/piket/ruil/{swap.pk}/accepteren/")

    assignment.refresh_from_db()
    assert assignment.advocaat == colleague


def test_coordinator_edits_profile_of_own_advocaat_only(login, carla, cor, bart):
    areas = [str(LegalArea.objects.get(slug=s).pk) for s in ("huurrecht", "arbeidsrecht")]
    data = {
        "legal_areas": areas,
        "half_days_per_month": "4",
        "max_shifts_per_week": "2",
        "max_shifts_per_month": "6",
    }
    assert login(cor).post(f"/piket/advocaten/{bart.pk}/", data).status_code == 404

    assert login(carla).post(f"/piket/advocaten/{bart.pk}/", data).status_code == 302

    profile = bart.piket_profile
    assert profile.half_days_per_month == 4
    assert {a.slug for a in profile.legal_areas.all()} == {"huurrecht", "arbeidsrecht"}


# ---------------------------------------------------------------- week view


def test_week_view_tampered_location_is_404(login, anna, amsterdam):
    assert login(anna).get(f"/piket/week/?locatie={amsterdam.pk}").status_code == 404
    assert login(anna).get("/piket/week/?locatie=abc").status_code == 404


def test_week_view_htmx_returns_the_table_only(login, anna, utrecht):
    response = login(anna).get("/piket/week/?week=2026-W48", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="weektabel"' in body
    assert "<html" not in body


def _fill_week(location, n, advocaten):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    for i in range(n):
        roster = RosterFactory(
            location=location, weekday=i % 5, start_time=time(8 + i // 5), end_time=time(9 + i // 5)
        )
        shift = ShiftFactory(roster=roster, date=monday + timedelta(days=i % 5), capacity=3)
        for advocaat in advocaten:
            AssignmentFactory(shift=shift, advocaat=advocaat)


def test_week_view_queries_do_not_grow(login, anna, utrecht, orgs_utrecht):
    advocaten = [advocaat_at(utrecht, email=f"adv{i}@example.org") for i in range(3)]
    client = login(anna)
    _fill_week(utrecht, 1, advocaten[:1])
    few = count_queries(client, f"/piket/week/?locatie={utrecht.pk}")
    _fill_week(utrecht, 9, advocaten)
    assert count_queries(client, f"/piket/week/?locatie={utrecht.pk}") == few


# ---------------------------------------------------------------- capacity


def test_capacity_overview_counts(login, carla, anna, bart, utrecht):
    roster = RosterFactory(location=utrecht, start_time=time(9), end_time=time(10))  # 3 slots
    shift = ShiftFactory(roster=roster)
    AssignmentFactory(shift=shift, advocaat=bart)
    consult_in(shift, bart, anna, status=Consult.Status.HELD)
    consult_in(shift, bart, anna, status=Consult.Status.NOT_REACHED, minutes=20)
    consult_in(shift, bart, anna, status=Consult.Status.CANCELLED, minutes=40)
    WaitlistEntry.objects.create(
        case=CaseFactory(),
        legal_area=LegalArea.objects.get(slug="huurrecht"),
        location=utrecht,
        requested_by=anna,
        question="Vraag over huur",
        callback_number="030-1234567",
        earliest=shift.date,
        latest=shift.date,
    )

    month = timezone.localtime(shift.starts_at)
    response = login(carla).get(f"/piket/capaciteit/?maand={month:%Y-%m}")

    overview = response.context["overview"]
    row = next(r for r in overview.rows if r.location == utrecht)
    assert (row.shifts, row.slots, row.booked, row.held, row.unused, row.waitlist) == (
        1,
        3,
        2,
        1,
        1,
        1,
    )
    assert row.occupancy == 67
    assert overview.unreachable == [("Bart Smit", 1)]


def test_capacity_overview_queries_do_not_grow(login, carla, anna, utrecht, orgs_utrecht):
    advocaten = [advocaat_at(utrecht, email=f"adv{i}@example.org") for i in range(3)]
    client = login(carla)
    _fill_week(utrecht, 1, advocaten[:1])
    few = count_queries(client, "/piket/capaciteit/")
    _fill_week(utrecht, 9, advocaten)
    for i, shift in enumerate(Shift.objects.all()[:3]):
        consult_in(shift, advocaten[i], anna, status=Consult.Status.NOT_REACHED)
    assert count_queries(client, "/piket/capaciteit/") == few


# ---------------------------------------------------------------- statements


def test_monthly_statement_csv(login, carla, anna, bart, utrecht):
    AdvocaatProfileFactory(advocaat=bart, half_days_per_month=3)
    today = timezone.localdate()
    roster = RosterFactory(location=utrecht, valid_from=today.replace(day=1))
    past = ShiftFactory(roster=roster, date=today.replace(day=1))
    AssignmentFactory(shift=past, advocaat=bart)
    consult_in(past, bart, anna, status=Consult.Status.HELD)
    consult_in(past, bart, anna, status=Consult.Status.NO_SHOW, minutes=20)

    response = login(carla).get(f"/piket/overzicht/{today.year}/{today.month}.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][0] == "Advocaat"
    bart_row = next(r for r in rows[1:] if r[0] == "Bart Smit")
    served = "1" if past.ends_at <= timezone.now() else "0"
    assert bart_row == ["Bart Smit", served, "3", "1", "1", "0"]


def test_advocaat_gets_only_their_own_statement(login, bart, utrecht, orgs_utrecht):
    advocaat_at(utrecht, email="ander@example.org", full_name="Andere Advocaat")
    response = login(bart).get("/piket/mijn-overzicht/2026/1.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["Bart Smit"]


def test_statement_of_impossible_month_is_404(login, carla):
    assert login(carla).get("/piket/overzicht/2026/13.csv").status_code == 404


def test_coordinator_who_may_not_cancel_the_consults_gets_a_dutch_refusal(
    login, carla, anna, bart, utrecht
):
    shift = ShiftFactory(roster=RosterFactory(location=utrecht))
    consult = consult_in(shift, bart, anna)

    response = login(carla).post(
        "/piket/roosters/uitzondering/",
        {"location": utrecht.pk, "date": shift.date.isoformat(), "kind": "gesloten"},
    )

    assert response.status_code == 200
    assert "consulten geboekt" in response.content.decode()
    consult.refresh_from_db()
    shift.refresh_from_db()
    assert consult.status == Consult.Status.BOOKED
    assert not shift.is_cancelled
