"""Series, meetings, agenda and carry-over: through the services and the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from signalering import selectors, services
from signalering.models import ActionItem, AgendaItem, Attendance, Meeting, Section, Signal
from tests.signalering.factories import (
    SeriesFactory,
    SeriesMemberFactory,
    SignalFactory,
    at,
    month_start,
)

pytestmark = pytest.mark.django_db


def _item(meeting, title, **fields):
    return services.agenda_item_add(
        user=meeting.series.members.get(role="chair").user, meeting=meeting, title=title, **fields
    )


def test_a_new_series_has_the_default_template_and_its_creator_as_chair(series, carla):
    sections = list(series.template_items.values_list("section", flat=True))
    assert sections == [
        Section.SIGNALS,
        Section.REPORT,
        Section.GOES_WELL,
        Section.CAN_IMPROVE,
        Section.RECOMMENDATIONS,
        Section.ACTIONS,
    ]
    assert series.members.get(user=carla).role == "chair"


def test_a_coordinator_creates_a_series_on_the_page(login, carla, utrecht):
    client = login(carla)
    response = client.post(
        reverse("signalering:series_new"),
        {"name": "Overleg Utrecht", "location": utrecht.pk, "days_before_agenda_mail": 4},
    )
    assert response.status_code == 302
    assert response.url.startswith("/signalering/reeksen/")


def test_planning_invites_the_members_and_copies_the_recurring_items(meeting, series, guest):
    assert meeting.attendances.count() == 3  # carla, anna and the guest
    assert [i.title for i in meeting.items.order_by("position")][:2] == [
        "Ontvangen signalen",
        "Maandrapportage",
    ]


def test_a_second_meeting_in_a_month_is_refused_in_dutch_and_nothing_changes(
    login, carla, series, meeting
):
    before = Meeting.objects.count()
    client = login(carla)
    day = meeting.date.replace(day=20)
    response = client.post(
        reverse("signalering:meeting_new", args=[series.pk]),
        {"day": day.isoformat(), "start": "10:00", "place": "Elders"},
    )
    assert response.status_code == 200
    assert "Er is al een overleg van deze reeks in" in response.content.decode()
    assert Meeting.objects.count() == before
    with pytest.raises(ValidationError, match="Per maand is er één overleg"):
        services.meeting_plan(user=carla, series=series, starts_at=at(day))


def test_preparing_puts_the_locations_open_signals_on_the_agenda(
    meeting, carla, utrecht, amsterdam
):
    mine = SignalFactory(location=utrecht)
    elsewhere = SignalFactory(location=amsterdam)
    services.meeting_prepare(user=carla, meeting=meeting)
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.status == Signal.Status.ON_AGENDA
    assert elsewhere.status == Signal.Status.OPEN
    item = meeting.items.get(signal=mine)
    assert item.section == Section.SIGNALS
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PREPARED
    assert meeting.report is not None and meeting.report_frozen_at is None
    # preparing again adds nothing twice
    services.meeting_prepare(user=carla, meeting=meeting)
    assert meeting.items.filter(signal=mine).count() == 1


def test_open_topics_and_actions_carry_over_across_two_meetings(series, meeting, carla, anna):
    open_topic = _item(meeting, "Wachttijden schuldhulp")
    done_topic = _item(meeting, "Nieuwe folder")
    services.agenda_item_minute(
        user=carla, item=done_topic, minutes="Klaar.", is_confidential=False, is_done=True
    )
    owner = series.members.get(user=anna)
    action = services.action_add(
        user=carla,
        item=open_topic,
        description="Navragen bij de gemeente",
        owner=owner,
        due_date=meeting.date + datetime.timedelta(days=10),
    )
    second = services.meeting_plan(
        user=carla, series=series, starts_at=at(month_start(1).replace(day=12))
    )
    carried = second.items.get(carried_from=open_topic)
    assert carried.title == "Wachttijden schuldhulp"
    assert not second.items.filter(carried_from=done_topic).exists()
    # recurring template items are not doubled by the carry-over
    assert second.items.filter(title="Maandrapportage").count() == 1
    assert [a.pk for a in selectors.open_actions_of_series(carla, second)] == [action.pk]
    # a third meeting: the topic still open comes over again, from the second meeting
    third = services.meeting_plan(
        user=carla, series=series, starts_at=at(month_start(0).replace(day=14))
    )
    assert third.items.get(carried_from=carried).title == "Wachttijden schuldhulp"
    assert [a.pk for a in selectors.open_actions_of_series(carla, third)] == [action.pk]
    services.action_set_status(user=anna, action=action, status=ActionItem.Status.DONE)
    assert selectors.open_actions_of_series(carla, third) == []
    # carrying over again (preparing) copies nothing twice
    assert services.carry_over(meeting=third) == 0


def test_an_item_is_copied_to_the_next_meeting_by_hand(login, series, meeting, carla):
    item = _item(meeting, "Samenwerking met het UWV")
    services.agenda_item_minute(
        user=carla, item=item, minutes="Besproken.", is_confidential=False, is_done=True
    )
    client = login(carla)
    response = client.post(reverse("signalering:item_copy", args=[item.pk]), follow=True)
    assert "Er is nog geen volgend overleg gepland" in response.content.decode()
    second = services.meeting_plan(
        user=carla, series=series, starts_at=at(month_start(1).replace(day=12))
    )
    assert not second.items.filter(carried_from=item).exists()  # it was done
    client.post(reverse("signalering:item_copy", args=[item.pk]))
    assert second.items.filter(carried_from=item).count() == 1


def test_an_action_due_before_its_meeting_is_refused_and_nothing_is_saved(
    login, carla, series, meeting, anna
):
    item = _item(meeting, "Doorverwijzing")
    owner = series.members.get(user=anna)
    client = login(carla)
    response = client.post(
        reverse("signalering:action_add", args=[item.pk]),
        {
            f"a{item.pk}-description": "Bellen met de gemeente",
            f"a{item.pk}-owner": owner.pk,
            f"a{item.pk}-due_date": (meeting.date - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "De actie kan niet eerder af zijn dan het overleg zelf" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_an_owner_from_another_series_is_refused(login, carla, meeting, cor, amsterdam):
    item = _item(meeting, "Doorverwijzing")
    stranger = SeriesMemberFactory(series=SeriesFactory(location=amsterdam), user=cor)
    client = login(carla)
    response = client.post(
        reverse("signalering:action_add", args=[item.pk]),
        {
            f"a{item.pk}-description": "Bellen met de gemeente",
            f"a{item.pk}-owner": stranger.pk,
            f"a{item.pk}-due_date": (meeting.date + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert "De eigenaar moet een deelnemer of gast van deze overlegreeks zijn" in (
        response.content.decode()
    )
    assert not ActionItem.objects.exists()
    with pytest.raises(ValidationError, match="deelnemer of gast van deze overlegreeks"):
        services.action_add(
            user=carla,
            item=item,
            description="x",
            owner=stranger,
            due_date=meeting.date,
        )


def test_a_guest_can_own_an_action(carla, meeting, guest):
    item = _item(meeting, "Folder buurtteam")
    action = services.action_add(
        user=carla, item=item, description="Folder rondsturen", owner=guest, due_date=meeting.date
    )
    assert action.owner.is_guest


@pytest.mark.parametrize(
    "text",
    ["Cliënt met BSN 111222333 kreeg geen hulp.", "Bel haar terug op 06-12345678."],
)
def test_client_data_in_a_minute_is_refused_and_nothing_changes(login, carla, meeting, text):
    item = _item(meeting, "Wachttijden")
    client = login(carla)
    response = client.post(
        reverse("signalering:item", args=[item.pk]), {f"v{item.pk}-minutes": text}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == ""


def test_a_name_in_a_minute_is_questioned_first(login, carla, meeting):
    item = _item(meeting, "Wachttijden")
    client = login(carla)
    text = "Mevrouw Fatima el Amrani uit de Kanaalstraat heeft een huurachterstand."
    response = client.post(
        reverse("signalering:item", args=[item.pk]), {f"v{item.pk}-minutes": text}
    )
    assert "Dit lijkt een naam te bevatten" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == ""


def test_the_minutes_editor_answers_htmx_with_the_items_fragment(login, carla, meeting):
    item = _item(meeting, "Wachttijden")
    client = login(carla)
    response = client.post(
        reverse("signalering:item", args=[item.pk]),
        {f"v{item.pk}-minutes": "Wachttijden zijn opgelopen.", f"v{item.pk}-is_done": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<article") or "<article" in body[:400]
    assert "<html" not in body
    item.refresh_from_db()
    assert item.minutes == "Wachttijden zijn opgelopen." and item.is_done


def test_attendance_answer_from_the_mail_link(client, meeting):
    attendance = meeting.attendances.first()
    token = "een-geheim-token"
    attendance.response_token_hash = services.token_hash(token)
    attendance.save()
    url = reverse("signalering:respond", args=[token, "yes"])
    assert client.get(url).status_code == 200
    attendance.refresh_from_db()
    assert attendance.response == Attendance.Response.NONE  # a GET changes nothing
    client.post(url)
    attendance.refresh_from_db()
    assert attendance.response == Attendance.Response.YES
    assert client.post(reverse("signalering:respond", args=["fout", "yes"])).status_code == 410
    assert not Attendance.objects.filter(response_token_hash=token).exists()


def test_members_record_who_was_present(login, carla, meeting):
    present = meeting.attendances.first()
    login(carla).post(
        reverse("signalering:attendance", args=[meeting.pk]), {"present": [present.pk]}
    )
    assert set(meeting.attendances.values_list("present", flat=True)) == {True, False}


def test_agenda_items_are_added_in_advance_by_participants(login, anna, meeting):
    response = login(anna).post(
        reverse("signalering:item_add", args=[meeting.pk]),
        {"section": "can_improve", "title": "Terugkoppeling van de advocatuur"},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(title="Terugkoppeling van de advocatuur").proposed_by == anna


def test_the_action_list_marks_late_and_soon_in_words_and_colour(
    login, carla, anna, series, meeting
):
    item = _item(meeting, "Acties")
    owner = series.members.get(user=anna)
    today = timezone.localdate()
    for description, due in (
        ("Te late actie", today - datetime.timedelta(days=1)),
        ("Bijna verlopen actie", today + datetime.timedelta(days=3)),
        ("Actie met tijd", today + datetime.timedelta(days=40)),
    ):
        services.action_add(
            user=carla, item=item, description=description, owner=owner, due_date=due
        )
    page = login(anna).get(reverse("signalering:actions")).content.decode()
    rows = {
        text: page.split(text)[1].split("</li>")[0]
        for text in ("Te late actie", "Bijna verlopen actie", "Actie met tijd")
    }
    assert (
        "te laat" in rows["Te late actie"]
        and "border-danger" in page.split("Te late actie")[0][-300:]
    )
    assert "binnenkort" in rows["Bijna verlopen actie"]
    assert "te laat" not in rows["Actie met tijd"] and "binnenkort" not in rows["Actie met tijd"]
