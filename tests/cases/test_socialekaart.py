"""The sociale kaart: coordinators keep the organisations of their region (and national ones)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse

from accounts.access import CAPABILITIES
from accounts.models import Location, Role
from cases.models import AuditEntry, LegalArea, SocialMapEntry
from cases.services.socialekaart import (
    socialmap_entry_create,
    socialmap_entry_deactivate,
    socialmap_entry_mark_checked,
    socialmap_entry_update,
)
from tests.cases.factories import SocialMapEntryFactory

AMSTERDAM_TZ = ZoneInfo("Europe/Amsterdam")
LIST_URL = "/casussen/sociale-kaart/"
NEW_URL = "/casussen/sociale-kaart/nieuw/"
WRONG_LOCATION = "Kies een locatie waarvan u de sociale kaart beheert."
DUPLICATE = "Er staat al een organisatie met deze naam op de sociale kaart van Utrecht."


def edit_url(entry) -> str:
    return reverse("cases:socialekaart_edit", args=[entry.pk])


def checked_url(entry) -> str:
    return reverse("cases:socialekaart_checked", args=[entry.pk])


def deactivate_url(entry) -> str:
    return reverse("cases:socialekaart_deactivate", args=[entry.pk])


def at(day: datetime.date):
    """Travel to noon (Amsterdam) of `day`, the clock standing still."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=AMSTERDAM_TZ), tick=False
    )


@pytest.fixture
def national(db) -> Location:
    return Location.objects.get_or_create(
        is_national=True, defaults={"name": "Landelijk", "slug": "landelijk"}
    )[0]


@pytest.fixture
def huurrecht(db) -> LegalArea:
    return LegalArea.objects.get(slug="huurrecht")


@pytest.fixture
def arbeidsrecht(db) -> LegalArea:
    return LegalArea.objects.get(slug="arbeidsrecht")


@pytest.fixture
def entry(carla, utrecht) -> SocialMapEntry:
    return SocialMapEntryFactory(name="Schuldhulp Utrecht", location=utrecht, owner=carla)


def form_data(location, owner, **overrides) -> dict:
    data = {
        "name": "Huurteam Utrecht",
        "location": location.pk,
        "legal_areas": [LegalArea.objects.get(slug="huurrecht").pk],
        "kinds_of_help": [SocialMapEntry.Help.HOUSING, SocialMapEntry.Help.LEGAL_ADVICE],
        "description": "Gratis hulp bij huurprijs, onderhoud en servicekosten.",
        "contact_route": "Aanmelden via huurteam.nl of bel 030-1234567",
        "owner": owner.pk,
    }
    data.update(overrides)
    return data


def service_data(location, owner, **overrides) -> dict:
    """What the form hands to the services: objects instead of ids."""
    return {
        **form_data(location, owner),
        "location": location,
        "owner": owner,
        "legal_areas": list(LegalArea.objects.filter(slug="huurrecht")),
        **overrides,
    }


def audit_of(entry) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="cases.SocialMapEntry", object_id=str(entry.pk)
        ).order_by("at", "pk")
    )


# ---------------------------------------------------------------- adding


def test_coordinator_adds_an_organisation_for_her_location(carla, utrecht, huurrecht, login):
    client = login(carla)
    assert client.get(NEW_URL).status_code == 200

    response = client.post(NEW_URL, form_data(utrecht, carla))

    assert response.status_code == 302
    assert response.url == LIST_URL
    entry = SocialMapEntry.objects.get(name="Huurteam Utrecht")
    assert entry.location == utrecht
    assert entry.owner == carla
    assert entry.is_active
    assert entry.last_checked_on == datetime.date.today()
    assert list(entry.legal_areas.all()) == [huurrecht]
    assert entry.kinds_of_help == [SocialMapEntry.Help.HOUSING, SocialMapEntry.Help.LEGAL_ADVICE]
    [audit] = audit_of(entry)
    assert (audit.action, audit.actor) == (AuditEntry.Action.CREATE, carla)
    assert "Huurteam Utrecht" in client.get(LIST_URL).content.decode()


def test_the_new_form_proposes_her_location_and_herself_as_owner(carla, utrecht, login):
    form = login(carla).get(NEW_URL).context["form"]
    assert form.initial["location"] == utrecht.pk
    assert form.initial["owner"] == carla.pk


def test_coordinator_adds_a_national_organisation(carla, national, login):
    response = login(carla).post(NEW_URL, form_data(national, carla, name="Landelijke hulplijn"))

    assert response.status_code == 302
    assert SocialMapEntry.objects.get(name="Landelijke hulplijn").location == national


def test_the_owner_defaults_to_the_coordinator(carla, utrecht):
    entry = socialmap_entry_create(
        user=carla, data={"name": "Buurtteam", "location": utrecht, "contact_route": "Bel 14 030"}
    )
    assert entry.owner == carla


def test_another_coordinator_of_the_location_can_be_the_owner(carla, utrecht, orgs_utrecht):
    from tests.accounts.factories import member

    colleague = member(Role.COORDINATOR, orgs_utrecht["advocatuur"], full_name="Cees Colleg")
    entry = socialmap_entry_create(user=carla, data=service_data(utrecht, colleague))
    assert entry.owner == colleague


def test_kinds_of_help_and_legal_areas_are_optional(carla, utrecht, login):
    data = form_data(utrecht, carla, legal_areas=[], kinds_of_help=[])
    assert login(carla).post(NEW_URL, data).status_code == 302
    entry = SocialMapEntry.objects.get()
    assert entry.kinds_of_help == []
    assert entry.legal_areas.count() == 0


def test_required_fields_give_dutch_errors(carla, utrecht, login):
    response = login(carla).post(NEW_URL, form_data(utrecht, carla, name="", contact_route=""))

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "contact_route"}
    assert "Dit veld is verplicht." in response.content.decode()
    assert not SocialMapEntry.objects.exists()


# ---------------------------------------------------------------- another location, tampering


def test_a_tampered_location_of_another_location_is_refused_and_nothing_saved(
    carla, amsterdam, login
):
    response = login(carla).post(NEW_URL, form_data(amsterdam, carla))

    assert response.status_code == 200
    assert WRONG_LOCATION in response.content.decode()
    assert not SocialMapEntry.objects.exists()
    assert not AuditEntry.objects.filter(object_type="cases.SocialMapEntry").exists()


def test_the_service_refuses_a_location_the_coordinator_does_not_maintain(carla, amsterdam):
    with pytest.raises(PermissionDenied, match="U beheert de sociale kaart van Amsterdam niet"):
        socialmap_entry_create(
            user=carla, data={"name": "X", "location": amsterdam, "contact_route": "Bel"}
        )
    assert not SocialMapEntry.objects.exists()


def test_an_owner_who_is_no_coordinator_here_is_refused(carla, cor, anna, utrecht, login):
    client = login(carla)
    for stranger in (cor, anna):
        response = client.post(NEW_URL, form_data(utrecht, stranger))
        assert response.status_code == 200
        assert "Kies een coördinator van uw locatie." in response.content.decode()
    with pytest.raises(ValidationError) as excinfo:
        socialmap_entry_create(
            user=carla,
            data={"name": "X", "location": utrecht, "contact_route": "Bel", "owner": anna},
        )
    assert "owner" in excinfo.value.message_dict
    assert not SocialMapEntry.objects.exists()


def test_moving_an_entry_to_another_location_is_refused(carla, entry, amsterdam, login):
    response = login(carla).post(edit_url(entry), form_data(amsterdam, carla, name=entry.name))

    assert response.status_code == 200
    assert WRONG_LOCATION in response.content.decode()
    entry.refresh_from_db()
    assert entry.location.slug == "utrecht"


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", edit_url), ("post", edit_url), ("post", checked_url), ("post", deactivate_url)],
)
def test_coordinator_of_another_location_gets_404(cor, entry, login, method, url):
    before = SocialMapEntry.objects.values().get(pk=entry.pk)

    response = getattr(login(cor), method)(url(entry), {"name": "Overgenomen"})

    assert response.status_code == 404
    assert SocialMapEntry.objects.values().get(pk=entry.pk) == before
    assert audit_of(entry) == []


def test_the_services_refuse_an_entry_of_another_location(cor, entry):
    for change in (
        lambda: socialmap_entry_update(user=cor, entry=entry, data={"name": "Overgenomen"}),
        lambda: socialmap_entry_mark_checked(user=cor, entry=entry),
        lambda: socialmap_entry_deactivate(user=cor, entry=entry),
    ):
        with pytest.raises(PermissionDenied):
            change()
    entry.refresh_from_db()
    assert (entry.name, entry.is_active) == ("Schuldhulp Utrecht", True)


def test_coordinators_of_every_location_maintain_the_national_entries(carla, cor, national, login):
    national_entry = SocialMapEntryFactory(
        name="Landelijke hulplijn", location=national, owner=carla
    )

    response = login(cor).post(
        edit_url(national_entry), form_data(national, carla, name="Landelijke hulplijn 0800")
    )

    assert response.status_code == 302
    national_entry.refresh_from_db()
    assert national_entry.name == "Landelijke hulplijn 0800"
    assert national_entry.owner == carla  # the owner of another location stays


# ---------------------------------------------------------------- who may use the pages at all


def _socialekaart_routes() -> dict[str, bool]:
    """Every sociale kaart route of the URL resolver, and whether it takes an entry's pk."""
    resolver = get_resolver().namespace_dict["cases"][1]
    return {
        p.name: "<int:pk>" in str(p.pattern)
        for p in resolver.url_patterns
        if isinstance(p, URLPattern) and p.name and p.name.startswith("socialekaart")
    }


ROUTES = _socialekaart_routes()


PERSONA_ROLES = {
    "anna": Role.FIRST_LINE,
    "ravi": Role.FIRST_LINE,
    "bart": Role.ADVOCAAT,
    "olga": Role.RESEARCHER,
    "bea": Role.ADMINISTRATOR,
    "eva": Role.FIRST_LINE,
}
WITHOUT_SOCIALEKAART = [
    persona
    for persona, role in PERSONA_ROLES.items()
    if role not in CAPABILITIES["socialekaart.read"]
]
READERS = [
    persona
    for persona, role in PERSONA_ROLES.items()
    if role in CAPABILITIES["socialekaart.read"] and role not in CAPABILITIES["socialekaart.manage"]
]
MAINTAIN_ROUTES = sorted(route for route in ROUTES if route != "socialekaart")


def test_the_route_table_covers_every_page():
    assert sorted(ROUTES) == [
        "socialekaart",
        "socialekaart_checked",
        "socialekaart_deactivate",
        "socialekaart_edit",
        "socialekaart_new",
    ]


def test_workers_and_advocaten_read_researchers_and_administrators_do_not():
    assert sorted(READERS) == ["anna", "bart", "eva", "ravi"]
    assert sorted(WITHOUT_SOCIALEKAART) == ["bea", "olga"]


@pytest.mark.parametrize("persona", WITHOUT_SOCIALEKAART)
@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_roles_without_the_sociale_kaart_get_403(personas, entry, login, persona, route, method):
    url = reverse(f"cases:{route}", args=[entry.pk] if ROUTES[route] else [])

    response = getattr(login(personas[persona]), method)(
        url, form_data(entry.location, entry.owner)
    )

    post_only = route in ("socialekaart_checked", "socialekaart_deactivate")
    assert response.status_code == (405 if method == "get" and post_only else 403)
    assert SocialMapEntry.objects.count() == 1
    assert audit_of(entry) == []


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("route", MAINTAIN_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_readers_may_not_maintain(personas, entry, login, persona, route, method):
    url = reverse(f"cases:{route}", args=[entry.pk] if ROUTES[route] else [])
    before = SocialMapEntry.objects.values().get(pk=entry.pk)

    response = getattr(login(personas[persona]), method)(
        url, form_data(entry.location, entry.owner, name="Overgenomen")
    )

    post_only = route in ("socialekaart_checked", "socialekaart_deactivate")
    assert response.status_code == (405 if method == "get" and post_only else 403)
    assert SocialMapEntry.objects.count() == 1
    assert SocialMapEntry.objects.values().get(pk=entry.pk) == before
    assert audit_of(entry) == []


def test_a_worker_reads_the_contact_routes_without_maintenance_buttons(
    anna, cor, entry, utrecht, amsterdam, national, login
):
    SocialMapEntryFactory(name="Landelijke lijn", location=national, owner=cor)
    SocialMapEntryFactory(name="Amsterdams loket", location=amsterdam, owner=cor)

    response = login(anna).get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert [e.name for e in response.context["page"].object_list] == [
        "Landelijke lijn",
        "Schuldhulp Utrecht",
    ]
    assert entry.contact_route in html
    assert NEW_URL not in html
    assert edit_url(entry) not in html and checked_url(entry) not in html
    assert "Alleen verouderd" not in html
    assert "De coördinatoren houden de gegevens actueel" in html


def test_a_worker_is_not_told_to_check_stale_entries(anna, carla, utrecht, login):
    SocialMapEntryFactory(location=utrecht, owner=carla, last_checked_on=datetime.date(2020, 1, 1))
    html = login(anna).get(LIST_URL).content.decode()
    assert "niet gecontroleerd" not in html


def test_an_advocaat_reads_the_sociale_kaart_of_his_location(bart, entry, login):
    response = login(bart).get(LIST_URL)
    assert [e.name for e in response.context["page"].object_list] == ["Schuldhulp Utrecht"]


def test_a_reader_filters_without_the_stale_filter(anna, entry, login):
    response = login(anna).get(LIST_URL, {"search": "schuld", "stale_only": "on"})
    assert [e.name for e in response.context["page"].object_list] == ["Schuldhulp Utrecht"]


def test_the_coordinator_still_maintains_from_the_list(carla, entry, login):
    html = login(carla).get(LIST_URL).content.decode()
    assert NEW_URL in html and edit_url(entry) in html and checked_url(entry) in html


@pytest.mark.parametrize(
    ("persona", "in_menu"),
    [("anna", True), ("bart", True), ("carla", True), ("olga", False), ("bea", False)],
)
def test_the_menu_leads_readers_to_the_sociale_kaart(personas, login, persona, in_menu):
    assert (LIST_URL in login(personas[persona]).get("/").content.decode()) is in_menu


# ---------------------------------------------------------------- editing


def test_the_edit_page_shows_the_current_values(carla, entry, huurrecht, login):
    entry.legal_areas.set([huurrecht])
    response = login(carla).get(edit_url(entry))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "Schuldhulp Utrecht"
    assert form.initial["legal_areas"] == [huurrecht.pk]
    assert form.initial["kinds_of_help"] == [SocialMapEntry.Help.DEBT]
    html = response.content.decode()
    assert "Gecontroleerd" in html
    assert "Deactiveren" in html


def test_coordinator_edits_an_entry(carla, entry, utrecht, arbeidsrecht, login):
    data = form_data(
        utrecht,
        carla,
        name="Schuldhulpmaatje Utrecht",
        legal_areas=[arbeidsrecht.pk],
        kinds_of_help=[SocialMapEntry.Help.DEBT, SocialMapEntry.Help.ADMINISTRATION],
        contact_route="Aanmelden via schuldhulpmaatje.nl",
    )
    response = login(carla).post(edit_url(entry), data)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Schuldhulpmaatje Utrecht"
    assert entry.contact_route == "Aanmelden via schuldhulpmaatje.nl"
    assert list(entry.legal_areas.all()) == [arbeidsrecht]
    assert entry.kinds_of_help == [SocialMapEntry.Help.DEBT, SocialMapEntry.Help.ADMINISTRATION]
    [audit] = audit_of(entry)
    assert audit.action == AuditEntry.Action.UPDATE
    assert set(audit.detail["fields"]) == {
        "name",
        "description",
        "contact_route",
        "kinds_of_help",
        "legal_areas",
    }


def test_saving_without_changes_writes_no_audit_entry(carla, entry):
    socialmap_entry_update(user=carla, entry=entry, data={"name": entry.name, "legal_areas": []})
    assert audit_of(entry) == []


def test_editing_does_not_count_as_a_check(carla, entry):
    with at(datetime.date.today() + datetime.timedelta(days=10)):
        socialmap_entry_update(user=carla, entry=entry, data={"description": "Nieuwe tekst"})
    entry.refresh_from_db()
    assert entry.last_checked_on == datetime.date.today()


# ---------------------------------------------------------------- duplicates and personal data


def test_a_duplicate_name_at_the_same_location_is_a_form_error(carla, entry, utrecht, login):
    response = login(carla).post(NEW_URL, form_data(utrecht, carla, name="Schuldhulp Utrecht"))

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [DUPLICATE]
    assert SocialMapEntry.objects.count() == 1


def test_renaming_onto_an_existing_name_is_a_form_error(carla, entry, utrecht, login):
    other = SocialMapEntryFactory(name="Buurtteam Zuid", location=utrecht, owner=carla)

    response = login(carla).post(edit_url(other), form_data(utrecht, carla, name=entry.name))

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [DUPLICATE]
    other.refresh_from_db()
    assert other.name == "Buurtteam Zuid"


def test_the_same_name_at_another_location_is_fine(carla, entry, national, login):
    response = login(carla).post(NEW_URL, form_data(national, carla, name=entry.name))
    assert response.status_code == 302
    assert SocialMapEntry.objects.filter(name=entry.name).count() == 2


def test_a_duplicate_of_a_deactivated_entry_says_so(carla, entry, utrecht):
    socialmap_entry_deactivate(user=carla, entry=entry)
    with pytest.raises(ValidationError) as excinfo:
        socialmap_entry_create(
            user=carla,
            data=service_data(utrecht, carla, name=entry.name),
        )
    assert "gedeactiveerde organisatie" in excinfo.value.message_dict["name"][0]


@pytest.mark.parametrize(
    "description",
    [
        "Contactpersoon is de cliënt met BSN 111222333.",
        "Mail de client op jan.jansen@gmail.com",
        "Cliënt geboren 12-03-1985, woont Oudegracht 12, 3511 AB.",
    ],
)
def test_personal_data_in_the_description_is_refused(carla, utrecht, login, description):
    response = login(carla).post(NEW_URL, form_data(utrecht, carla, description=description))

    assert response.status_code == 200
    assert "Deze tekst bevat" in response.context["form"].errors["description"][0]
    assert not SocialMapEntry.objects.exists()


def test_the_service_refuses_personal_data_too(carla, entry):
    with pytest.raises(ValidationError) as excinfo:
        socialmap_entry_update(
            user=carla, entry=entry, data={"description": "BSN van de cliënt: 111222333"}
        )
    assert "description" in excinfo.value.message_dict
    entry.refresh_from_db()
    assert entry.description == ""


# ---------------------------------------------------------------- stale entries and checks


def test_an_entry_not_checked_for_the_stale_period_is_flagged(carla, utrecht, settings, login):
    settings.SOCIALE_KAART_STALE_MONTHS = 6
    with at(datetime.date(2025, 1, 10)):
        old = socialmap_entry_create(
            user=carla, data={"name": "Oud adres", "location": utrecht, "contact_route": "Bel"}
        )
    with at(datetime.date(2025, 7, 8)):  # 179 days later: still current
        assert not old.is_stale
        assert not SocialMapEntry.objects.stale().exists()
        assert "Controle nodig" not in login(carla).get(LIST_URL).content.decode()
    with at(datetime.date(2025, 7, 10)):  # 181 days later
        fresh = SocialMapEntryFactory(
            name="Net gecontroleerd",
            location=utrecht,
            owner=carla,
            last_checked_on=datetime.date(2025, 7, 1),
        )
        assert old.is_stale
        assert list(SocialMapEntry.objects.stale()) == [old]
        client = login(carla)
        html = client.get(LIST_URL).content.decode()
        assert html.count("Controle nodig") == 1
        assert "1 vermelding is langer dan 6 maanden niet gecontroleerd." in html

        stale_page = client.get(LIST_URL, {"stale_only": "on"})
        assert list(stale_page.context["page"].object_list) == [old]
        assert "Controle nodig" in client.get(edit_url(old)).content.decode()
        assert "Controle nodig" not in client.get(edit_url(fresh)).content.decode()


def test_the_stale_period_follows_the_setting(carla, entry, settings):
    entry.last_checked_on = datetime.date.today() - datetime.timedelta(days=70)
    settings.SOCIALE_KAART_STALE_MONTHS = 6
    assert not entry.is_stale
    settings.SOCIALE_KAART_STALE_MONTHS = 2
    assert entry.is_stale


def test_marking_an_entry_checked_sets_today_and_clears_the_flag(carla, entry, login):
    later = datetime.date.today() + datetime.timedelta(days=200)
    with at(later):
        client = login(carla)
        assert entry.is_stale
        response = client.post(checked_url(entry), {"next": f"{LIST_URL}?stale_only=on"})

        assert response.status_code == 302
        assert response.url == f"{LIST_URL}?stale_only=on"
        entry.refresh_from_db()
        assert entry.last_checked_on == later
        assert not entry.is_stale
        [audit] = audit_of(entry)
        assert (audit.action, audit.detail) == (
            AuditEntry.Action.UPDATE,
            {"fields": ["last_checked_on"]},
        )
        assert "Controle nodig" not in client.get(LIST_URL).content.decode()


def test_checked_from_the_edit_page_returns_there(carla, entry, login):
    response = login(carla).post(checked_url(entry), {"next": edit_url(entry)})
    assert response.url == edit_url(entry)


def test_checked_never_redirects_to_another_site(carla, entry, login):
    response = login(carla).post(checked_url(entry), {"next": "https://example.com/"})
    assert response.url == LIST_URL


@pytest.mark.parametrize("url", [checked_url, deactivate_url])
def test_check_and_deactivate_are_post_only(carla, entry, login, url):
    assert login(carla).get(url(entry)).status_code == 405
    entry.refresh_from_db()
    assert entry.is_active
    assert audit_of(entry) == []


# ---------------------------------------------------------------- deactivating


def test_coordinator_deactivates_an_entry(carla, entry, login):
    client = login(carla)
    response = client.post(deactivate_url(entry))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    [audit] = audit_of(entry)
    assert (audit.action, audit.detail) == (AuditEntry.Action.UPDATE, {"fields": ["is_active"]})
    listing = client.get(response.url)
    assert "Schuldhulp Utrecht is gedeactiveerd" in listing.content.decode()
    assert list(listing.context["page"].object_list) == []
    assert client.get(edit_url(entry)).status_code == 404


# ---------------------------------------------------------------- the list


def test_the_list_shows_own_location_and_national_entries(
    carla, cor, utrecht, amsterdam, national, login
):
    SocialMapEntryFactory(name="Utrechts loket", location=utrecht, owner=carla)
    SocialMapEntryFactory(name="Amsterdams loket", location=amsterdam, owner=cor)
    SocialMapEntryFactory(name="Landelijke lijn", location=national, owner=carla)

    def names(user):
        page = login(user).get(LIST_URL).context["page"]
        return [entry.name for entry in page.object_list]

    assert names(carla) == ["Landelijke lijn", "Utrechts loket"]
    assert names(cor) == ["Amsterdams loket", "Landelijke lijn"]


def test_the_list_filters_by_legal_area_kind_of_help_and_name(
    carla, utrecht, huurrecht, arbeidsrecht, login
):
    SocialMapEntryFactory(
        name="Huurteam",
        location=utrecht,
        owner=carla,
        legal_areas=[huurrecht],
        kinds_of_help=[SocialMapEntry.Help.HOUSING],
    )
    SocialMapEntryFactory(
        name="Werkwinkel",
        location=utrecht,
        owner=carla,
        legal_areas=[arbeidsrecht],
        kinds_of_help=[SocialMapEntry.Help.WORK, SocialMapEntry.Help.LEGAL_ADVICE],
    )
    client = login(carla)

    def names(**params):
        page = client.get(LIST_URL, params).context["page"]
        return [entry.name for entry in page.object_list]

    assert names() == ["Huurteam", "Werkwinkel"]
    assert names(legal_area=huurrecht.pk) == ["Huurteam"]
    assert names(kind_of_help=SocialMapEntry.Help.LEGAL_ADVICE) == ["Werkwinkel"]
    assert names(search="huurt") == ["Huurteam"]
    assert names(search="werk", legal_area=huurrecht.pk) == []
    html = client.get(LIST_URL, {"search": "niets"}).content.decode()
    assert "Geen organisaties gevonden met deze filters." in html


def test_the_list_is_an_accessible_table(carla, entry, login):
    html = login(carla).get(LIST_URL).content.decode()
    assert "<caption" in html
    assert '<th scope="col">' in html
    assert '<th scope="row"' in html
    assert html.index("<h1") < html.index("<h2")


def test_the_list_is_paginated_by_25_and_keeps_the_filters(carla, utrecht, login):
    for n in range(30):
        SocialMapEntryFactory(name=f"Organisatie {n:02}", location=utrecht, owner=carla)
    client = login(carla)

    first = client.get(LIST_URL, {"search": "Organisatie"})
    assert len(first.context["page"].object_list) == 25
    assert "?search=Organisatie&amp;pagina=2" in first.content.decode()
    second = client.get(LIST_URL, {"search": "Organisatie", "pagina": 2})
    assert len(second.context["page"].object_list) == 5


def test_the_number_of_queries_on_the_list_does_not_grow_with_the_entries(
    carla, utrecht, national, huurrecht, arbeidsrecht, login, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            SocialMapEntryFactory(
                location=utrecht, owner=carla, legal_areas=[huurrecht, arbeidsrecht]
            )

    client = login(carla)
    client.get(LIST_URL)  # the session's first request
    add(5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(LIST_URL).status_code == 200
    add(25)
    with django_assert_max_num_queries(len(five.captured_queries)) as thirty:
        assert len(client.get(LIST_URL).context["page"].object_list) == 25
    assert len(thirty.captured_queries) == len(five.captured_queries)
