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


def member(role: str, organisation: Organisation, **user_fields) -> User:
    """A user with one membership: `member(Role.ADVOCAAT, org)`."""
    return MembershipFactory(
        role=role, organisation=organisation, user=UserFactory(**user_fields)
    ).user


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation; the plain token is on `invitation.token` (only its hash is stored)."""

    class Meta:
        model = Invitation

    user = factory.SubFactory(UserFactory, is_active=False, totp=False)
    invited_by = factory.SubFactory(UserFactory, totp=False)
    expires_at = factory.LazyFunction(Invitation.default_expiry)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token, kwargs["token_hash"] = model_class.new_token()
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation
