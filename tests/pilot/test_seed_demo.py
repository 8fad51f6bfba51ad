from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import Location, Membership, Organisation, Role, User
from tests.accounts.signin import MFA, password_step
from tests.accounts.totp import totp_code


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_one_user_per_role_per_location(seeded):
    cities = Location.objects.filter(is_national=False)
    assert cities.count() == 5
    for location in cities:
        for role in set(Role.values) - {Role.STUURGROEP}:
            assert Membership.objects.filter(role=role, organisation__location=location).exists(), (
                location,
                role,
            )
    # the stuurgroep is national: a member of no city
    assert Membership.objects.filter(
        role=Role.STUURGROEP, organisation__location__is_national=True
    ).exists()
    assert User.objects.filter(email="coordinator.utrecht@example.org").exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.SOCIALE_ADVOCATUUR).count() == 5


def test_seed_demo_creates_living_cases(seeded):
    from cases.models import (
        Case,
        CaseStatusChange,
        CaseUserPermission,
        ClientIdentity,
        Handover,
        SecondLineAdvice,
        SocialMapEntry,
    )

    assert Case.objects.count() == 40
    assert Case.objects.filter(status=Case.Status.CLOSED).exists()
    assert (
        SecondLineAdvice.objects.exists()
        and Handover.objects.filter(status="geaccepteerd").exists()
    )
    assert CaseUserPermission.objects.filter(permission__codename="advise_case").exists()
    assert CaseStatusChange.objects.filter(to_status=Case.Status.CLOSED).exists()
    assert ClientIdentity.objects.count() == 40
    assert SocialMapEntry.objects.stale().exists()


def test_seed_demo_is_idempotent(seeded):
    from cases.models import Case, SocialMapEntry

    cases = (Case.objects.count(), SocialMapEntry.objects.count())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert cases == (Case.objects.count(), SocialMapEntry.objects.count())
    counts = (
        User.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
        Authenticator.objects.count(),
    )
    call_command("seed_demo", "--force", stdout=StringIO())
    assert counts == (
        User.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
        Authenticator.objects.count(),
    )


def test_seed_demo_prints_how_to_log_in(seeded):
    assert DEMO_PASSWORD in seeded
    assert DEMO_TOTP_SECRET in seeded
    assert "eerstelijn.utrecht@example.org" in seeded


def test_demo_user_logs_in_with_the_printed_password_and_secret(seeded, client):
    response = password_step(client, "eerstelijn.utrecht@example.org", DEMO_PASSWORD)
    assert response.url == MFA
    response = client.post(MFA, {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302 and response.url == "/"


def test_seed_demo_refuses_to_run_in_production_without_force(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists(), list(User.objects.values_list("email", flat=True))


def test_demo_code_prints_the_current_code(seeded, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", stdout=out)
    assert out.getvalue().strip() == totp_code(DEMO_TOTP_SECRET)


def test_seeding_prints_no_mail_and_ends_with_how_to_log_in(db, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "Subject:" not in capsys.readouterr().out  # the demo's mails stay out of the console
    last = out.getvalue().strip().splitlines()[-3:]
    assert ".venv/bin/python manage.py demo_code" in last[-2]
    assert "30 seconden" in last[-1]


def test_seed_demo_fills_the_library(seeded):
    from bestpractices.models import Entry, TaskRow

    adopted = Entry.objects.filter(status=Entry.Status.ADOPTED)
    assert adopted.count() >= 4, seeded
    assert all(entry.endorsements.count() == 3 for entry in adopted)
    assert TaskRow.objects.filter(entry__status=Entry.Status.ADOPTED).count() >= 2
    assert TaskRow.objects.filter(quality_requirements__isnull=False).exists()
    assert Entry.objects.filter(status=Entry.Status.CONSULTATION).exists()
