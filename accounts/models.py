from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Group,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.privacy import DIRECT, QUASI, SAFE, SENSITIVE


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A professional using the system. Clients (rechtzoekenden) are never users."""

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    full_name = models.CharField(_("naam"), max_length=150)
    phone = models.CharField(
        _("telefoonnummer (werk)"),
        max_length=32,
        blank=True,
        help_text=_("Het zakelijke nummer waarop collega's u kunnen bereiken."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot beheer"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    data_classes = {
        "id": SAFE,
        "password": SENSITIVE,
        "last_login": QUASI,
        "is_superuser": SAFE,
        "groups": SAFE,
        "user_permissions": SAFE,
        "email": DIRECT,
        "full_name": DIRECT,
        "phone": DIRECT,
        "is_active": SAFE,
        "is_staff": SAFE,
        "date_joined": QUASI,
    }

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Location(models.Model):
    """A pilot location (a city or region), or the national level for a nationwide roster."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=50, unique=True)
    is_national = models.BooleanField(
        _("landelijk"),
        default=False,
        help_text=_("Geldt voor het hele land, bijvoorbeeld een landelijk piket per rechtsgebied."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    data_classes = {"id": SAFE, "name": SAFE, "slug": SAFE, "is_national": SAFE, "is_active": SAFE}

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["is_national", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_national"], condition=Q(is_national=True), name="one_national_location"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        JURIDISCH_LOKET = "juridisch_loket", _("Het Juridisch Loket")
        SOCIAAL_RAADSLIEDEN = "sociaal_raadslieden", _("Sociaal raadslieden")
        SOCIALE_ADVOCATUUR = "sociale_advocatuur", _("Sociale advocatuur")
        OTHER = "other", _("Anders")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    location = models.ForeignKey(
        Location, verbose_name=_("locatie"), on_delete=models.PROTECT, related_name="organisations"
    )
    is_active = models.BooleanField(_("actief"), default=True)
    # The organisation's team in django-guardian's object permissions (a case handed over to
    # it); made when the team first receives something (accounts.services.organisation_team).
    # Who is in the team follows from the memberships; the group itself has no members.
    team = models.OneToOneField(
        Group, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    data_classes = {
        "id": SAFE,
        "name": SAFE,
        "kind": SAFE,
        "location": SAFE,
        "is_active": SAFE,
        "team": SAFE,
    }

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"], name="organisation_unique_per_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"

    @property
    def line(self) -> str:
        return "second" if self.kind == self.Kind.SOCIALE_ADVOCATUUR else "first"


class Role(models.TextChoices):
    FIRST_LINE = "eerstelijn", _("Eerstelijnsmedewerker")
    ADVOCAAT = "advocaat", _("Advocaat")
    COORDINATOR = "coordinator", _("Coördinator")
    RESEARCHER = "onderzoeker", _("Onderzoeker")
    ADMINISTRATOR = "beheerder", _("Functioneel beheerder")
    # the pilot's steering group: national figures and the signalering's national view, never a
    # case
    STUURGROEP = "stuurgroep", _("Stuurgroeplid")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """Ties a user to an organisation (and so a location) with one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    data_classes = {
        "id": SAFE,
        "user": SAFE,
        "organisation": SAFE,
        "role": SAFE,
        "is_active": SAFE,
        "created_at": QUASI,
    }

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def location(self) -> Location:
        return self.organisation.location


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def find(self, token: str) -> Invitation | None:
        return self.select_related("user").filter(token_hash=_hash_token(token)).first()


class Invitation(models.Model):
    """A one-time link to set a password. Only the hash of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    data_classes = {
        "id": SAFE,
        "user": SAFE,
        "invited_by": SAFE,
        "token_hash": SENSITIVE,
        "created_at": QUASI,
        "expires_at": QUASI,
        "accepted_at": QUASI,
    }

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
