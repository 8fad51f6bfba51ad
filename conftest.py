"""Shared fixtures: named personas per role and location, reused by every test.

Utrecht and Amsterdam come from the data migration. Each location has a Juridisch Loket, a
sociaal-raadslieden organisation, a sociale advocatuur and a pilot office; every persona has TOTP
set up with tests.accounts.factories.TOTP_SECRET and password PASSWORD.
"""

from __future__ import annotations

import pytest
from django.db import connections

from accounts.models import Location, Organisation, Role
from tests.accounts.factories import OrganisationFactory, member

KINDS = {
    "loket": Organisation.Kind.JURIDISCH_LOKET,
    "raadslieden": Organisation.Kind.SOCIAAL_RAADSLIEDEN,
    "advocatuur": Organisation.Kind.SOCIALE_ADVOCATUUR,
    "bureau": Organisation.Kind.OTHER,
}


def _location(slug: str) -> Location:
    # get_or_create: transactional (browser) tests flush the rows the data migration made.
    return Location.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


def _organisations(slug: str) -> dict[str, Organisation]:
    location = _location(slug)
    return {
        key: OrganisationFactory(location=location, name=f"{label} {location.name}", kind=kind)
        for key, (label, kind) in {
            "loket": ("Het Juridisch Loket", KINDS["loket"]),
            "raadslieden": ("Sociaal raadslieden", KINDS["raadslieden"]),
            "advocatuur": ("Sociale advocatuur", KINDS["advocatuur"]),
            "bureau": ("Pilotbureau", KINDS["bureau"]),
        }.items()
    }


@pytest.fixture
def utrecht(db) -> Location:
    return _location("utrecht")


@pytest.fixture
def amsterdam(db) -> Location:
    return _location("amsterdam")


@pytest.fixture
def orgs_utrecht(db) -> dict[str, Organisation]:
    return _organisations("utrecht")


@pytest.fixture
def orgs_amsterdam(db) -> dict[str, Organisation]:
    return _organisations("amsterdam")


# Personas: Anna (first line, Utrecht loket), Ravi (raadsman, Utrecht), Bart (advocaat, Utrecht),
# Carla (coordinator, Utrecht), Olga (researcher, Utrecht), Bea (administrator, Utrecht),
# Eva (first line, Amsterdam loket), Cor (coordinator, Amsterdam), Stef (stuurgroep, at the
# national location: a member of no pilot location).


@pytest.fixture
def anna(orgs_utrecht):
    return member(
        Role.FIRST_LINE, orgs_utrecht["loket"], email="anna@example.org", full_name="Anna de Wit"
    )


@pytest.fixture
def ravi(orgs_utrecht):
    return member(
        Role.FIRST_LINE,
        orgs_utrecht["raadslieden"],
        email="ravi@example.org",
        full_name="Ravi Pinas",
    )


@pytest.fixture
def bart(orgs_utrecht):
    return member(
        Role.ADVOCAAT, orgs_utrecht["advocatuur"], email="bart@example.org", full_name="Bart Smit"
    )


@pytest.fixture
def carla(orgs_utrecht):
    return member(
        Role.COORDINATOR, orgs_utrecht["loket"], email="carla@example.org", full_name="Carla Bos"
    )


@pytest.fixture
def olga(orgs_utrecht):
    return member(
        Role.RESEARCHER, orgs_utrecht["bureau"], email="olga@example.org", full_name="Olga Kok"
    )


@pytest.fixture
def bea(orgs_utrecht):
    return member(
        Role.ADMINISTRATOR, orgs_utrecht["bureau"], email="bea@example.org", full_name="Bea Prins"
    )


@pytest.fixture
def eva(orgs_amsterdam):
    return member(
        Role.FIRST_LINE, orgs_amsterdam["loket"], email="eva@example.org", full_name="Eva Mol"
    )


@pytest.fixture
def cor(orgs_amsterdam):
    return member(
        Role.COORDINATOR, orgs_amsterdam["loket"], email="cor@example.org", full_name="Cor Vos"
    )


@pytest.fixture
def stef(db):
    stuurgroep = OrganisationFactory(
        location=_location("landelijk"), name="Stuurgroep pilot", kind=KINDS["bureau"]
    )
    return member(Role.STUURGROEP, stuurgroep, email="stef@example.org", full_name="Stef Groen")


@pytest.fixture
def personas(anna, ravi, bart, carla, olga, bea, eva, cor, stef):
    return {
        "anna": anna,
        "ravi": ravi,
        "bart": bart,
        "carla": carla,
        "olga": olga,
        "bea": bea,
        "eva": eva,
        "cor": cor,
        "stef": stef,
    }


@pytest.fixture
def login(client):
    """Log a persona in (password and TOTP already done): `login(anna)`."""

    def _login(user):
        from django.utils import timezone

        from accounts.adapters import has_totp
        from accounts.middleware import LOGIN_AT, MFA_DONE, SEEN_AT

        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # the session as the login form leaves it (a page's query count is that of any request)
        session = client.session
        now = timezone.now().timestamp()
        session.update({LOGIN_AT: now, SEEN_AT: now})
        if has_totp(user):
            session[MFA_DONE] = user.pk
        session.save()
        return client

    return _login


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit log refuses TRUNCATE (cases migration 0010) unless the session setting
    `pilot.audit_truncate` is 'allowed'. Django's flush between transactional tests truncates
    every table, so the test databases, and only they, get that setting as their default."""
    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET pilot.audit_truncate = 'allowed'")
                cursor.execute("SET pilot.audit_truncate = 'allowed'")  # this session too


@pytest.fixture(autouse=True)
def _celery_runs_in_process():
    # Tests run tasks eagerly, also when REDIS_URL is set; tests/integration starts a real worker.
    from pilot.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    # Rate limits and used TOTP codes live in the (database) cache; tests start clean.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _dutch_between_tests():
    """A request in English leaves English active in the thread (the locale middleware activates,
    nothing deactivates): every test starts, and ends, in the default language."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
