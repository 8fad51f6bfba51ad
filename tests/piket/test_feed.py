"""The personal iCalendar feed: secret, revocable, no case or client data."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from piket.models import CalendarFeed
from piket.services.notifications import calendar_feed_renew
from tests.piket.factories import QUESTION, assert_no_client_data, book


@pytest.fixture
def consult(anna, case, shift):
    return book(anna, case, shift.starts_at)


def feed_url(token: str) -> str:
    return f"/piket/agenda/feed/{token}.ics"


def test_the_advocaat_feed_has_the_shift_and_the_consult_and_no_client_data(
    client, bart, consult, case, shift
):
    token = calendar_feed_renew(user=bart)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    assert_no_client_data(text, case)
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Piketconsult Huurrecht", "Piketdienst Huurrecht"]
    assert all(str(e["LOCATION"]) == shift.location.name for e in events)
    assert not any(QUESTION[:20] in str(e.get("DESCRIPTION", "")) for e in events)


def test_the_worker_feed_has_the_consult_they_booked(client, anna, consult, case):
    token = calendar_feed_renew(user=anna)
    events = Calendar.from_ical(client.get(feed_url(token)).content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Piketconsult Huurrecht"]
    assert f"/piket/consult/{consult.pk}/" in str(events[0]["URL"])


def test_only_the_hash_of_the_token_is_stored(anna):
    token = calendar_feed_renew(user=anna)
    assert CalendarFeed.objects.get(user=anna).token_hash == CalendarFeed.hash_of(token)
    assert not CalendarFeed.objects.filter(token_hash=token).exists()


def test_a_renewed_token_revokes_the_old_url(client, anna):
    old = calendar_feed_renew(user=anna)
    new = calendar_feed_renew(user=anna)
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_an_unknown_token_gets_404(client, db):
    assert client.get(feed_url("niet-bestaand")).status_code == 404


def test_the_calendar_page_shows_the_link_once(login, anna):
    client = login(anna)
    assert "Agendalink maken" in client.get("/piket/agenda/").content.decode()
    response = client.post("/piket/agenda/")
    assert response.status_code == 200, "shown in the answer to the POST, not after a redirect"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "/piket/agenda/feed/" in page
    token = page.split("/piket/agenda/feed/")[1].split(".ics")[0]
    assert token not in str(dict(client.session.items())), "the plain token is not kept"
    assert client.get(feed_url(token)).status_code == 200
    again = client.get("/piket/agenda/").content.decode()
    assert token not in again
    assert "Nieuwe link (oude vervalt)" in again


def test_the_calendar_page_needs_a_login(client, db):
    response = client.get("/piket/agenda/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_feed_of_a_deactivated_account_stops(client, db):
    from accounts.models import User
    from piket.models import CalendarFeed
    from tests.accounts.factories import UserFactory

    user = UserFactory()
    token, token_hash = CalendarFeed.new_token()
    CalendarFeed.objects.create(user=user, token_hash=token_hash)
    assert client.get(f"/piket/agenda/feed/{token}.ics").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(f"/piket/agenda/feed/{token}.ics").status_code == 404
