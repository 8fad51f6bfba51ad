"""The role rules of accounts.access, as tables."""

from __future__ import annotations

import pytest

from accounts import access
from accounts.models import Location, Role

# capability -> roles that hold it (the product's rules, written out independently of the code)
EXPECTED = {
    "cases.register": {"anna", "ravi", "eva"},
    "cases.view": {"anna", "ravi", "bart", "carla", "eva", "cor"},
    "cases.receive": {"anna", "ravi", "bart", "eva"},
    "cases.oversee": {"carla", "cor"},
    "cases.advise": {"bart"},
    "piket.book": {"anna", "ravi", "eva"},
    "piket.serve": {"bart"},
    "piket.manage": {"carla", "cor"},
    "socialekaart.read": {"anna", "ravi", "bart", "carla", "eva", "cor"},
    "socialekaart.manage": {"carla", "cor"},
    "signalering.take_part": {"carla", "cor"},
    "bestpractices.read": {"anna", "ravi", "bart", "carla", "olga", "bea", "eva", "cor"},
    "bestpractices.take_part": {"anna", "ravi", "bart", "carla", "eva", "cor"},
    "bestpractices.review": {"carla", "cor"},
    "research.view": {"olga"},
    "research.request_export": {"olga"},
    "research.approve_export": {"bea"},
    "research.dashboards": {"olga", "carla", "cor"},
    "accounts.invite": {"carla", "cor", "bea"},
    "accounts.manage": {"bea"},
    "audit.view": {"bea"},
}
PERSONAS = ["anna", "ravi", "bart", "carla", "olga", "bea", "eva", "cor"]


def test_every_capability_is_in_the_table():
    assert set(EXPECTED) == set(access.CAPABILITIES)


@pytest.mark.parametrize("capability", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_capability_follows_role(personas, persona, capability):
    assert access.can(personas[persona], capability) is (persona in EXPECTED[capability])


# (persona, capability, location slug, expected): rights hold only where the role is held
AT_LOCATION = [
    ("anna", "cases.register", "utrecht", True),
    ("anna", "cases.register", "amsterdam", False),
    ("carla", "piket.manage", "utrecht", True),
    ("carla", "piket.manage", "amsterdam", False),
    ("cor", "piket.manage", "amsterdam", True),
    ("cor", "accounts.invite", "utrecht", False),
    ("bart", "piket.serve", "utrecht", True),
    ("bart", "piket.serve", "landelijk", False),
    ("carla", "research.dashboards", "utrecht", True),
    ("carla", "research.dashboards", "amsterdam", False),
]


@pytest.mark.parametrize(("persona", "capability", "slug", "expected"), AT_LOCATION)
def test_capability_holds_only_at_own_location(personas, persona, capability, slug, expected):
    location = Location.objects.get(slug=slug)
    assert access.can(personas[persona], capability, location) is expected


# (inviter, organisation key, role, allowed)
INVITES = [
    ("carla", "utrecht:loket", Role.FIRST_LINE, True),
    ("carla", "utrecht:advocatuur", Role.ADVOCAAT, True),
    ("carla", "utrecht:loket", Role.COORDINATOR, True),
    ("carla", "utrecht:bureau", Role.RESEARCHER, False),
    ("carla", "utrecht:bureau", Role.ADMINISTRATOR, False),
    ("carla", "amsterdam:loket", Role.FIRST_LINE, False),
    ("bea", "amsterdam:loket", Role.FIRST_LINE, True),
    ("bea", "utrecht:bureau", Role.ADMINISTRATOR, True),
    ("anna", "utrecht:loket", Role.FIRST_LINE, False),
    ("bart", "utrecht:advocatuur", Role.ADVOCAAT, False),
    ("olga", "utrecht:bureau", Role.RESEARCHER, False),
]


@pytest.mark.parametrize(("inviter", "org", "role", "allowed"), INVITES)
def test_who_may_invite_whom(personas, orgs_utrecht, orgs_amsterdam, inviter, org, role, allowed):
    city, key = org.split(":")
    organisation = {"utrecht": orgs_utrecht, "amsterdam": orgs_amsterdam}[city][key]
    assert access.can_invite(personas[inviter], organisation, role) is allowed


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_use_the_admin(personas, persona):
    assert access.can_use_admin(personas[persona]) is (persona == "bea")


def test_inactive_membership_grants_nothing(anna):
    anna.memberships.update(is_active=False)
    anna = type(anna).objects.get(pk=anna.pk)
    assert not access.can(anna, "cases.register")


def test_memberships_are_loaded_once_per_user_object(anna, django_assert_num_queries):
    with django_assert_num_queries(1):
        for capability in access.CAPABILITIES:
            access.can(anna, capability)
