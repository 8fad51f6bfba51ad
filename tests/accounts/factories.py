from __future__ import annotations

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import Invitation, Location, Membership, Organisation, Role, User

PASSWORD = "een-lang-testwachtwoord-42"
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Plaats {n}")
    slug = factory.Sequence(lambda n: f"plaats-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("location", "name")

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.JURIDISCH_LOKET
    location = factory.SubFactory(LocationFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        self.save()
        has_totp = Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()
        if create and extracted is not False and not has_totp:
            TOTP.activate(self, TOTP_SECRET)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.FIRST_LINE


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation of a new user; the token is unknown (only its hash is stored), so a
    test that follows the link invites through the page or the service."""

    class Meta:
        model = Invitation

    user = factory.SubFactory(UserFactory, totp=False)
    invited_by = factory.SubFactory(UserFactory, totp=False)
    token_hash = factory.LazyFunction(lambda: Invitation.new_token()[1])
    expires_at = factory.LazyFunction(Invitation.default_expiry)


def member(role: str, organisation: Organisation, **user_fields) -> User:
    """A user with one membership: `member(Role.ADVOCAAT, org)`."""
    return MembershipFactory(
        role=role, organisation=organisation, user=UserFactory(**user_fields)
    ).user
