"""Demo data for a newcomer: organisations at every location and one user per role per location.

Idempotent: running it twice changes nothing. Names are invented; e-mail addresses say role and
location. Every demo user has the same password and TOTP secret, printed at the end.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Location, Membership, Organisation, Role, User

DEMO_PASSWORD = "demo-wachtwoord-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ORGANISATIONS = {
    Organisation.Kind.JURIDISCH_LOKET: "Het Juridisch Loket {city}",
    Organisation.Kind.SOCIAAL_RAADSLIEDEN: "Sociaal raadslieden {city}",
    Organisation.Kind.SOCIALE_ADVOCATUUR: "Sociale advocatuur {city}",
    Organisation.Kind.OTHER: "Pilotbureau {city}",
}

# (e-mail prefix, role, organisation kind)
DEMO_USERS = [
    ("eerstelijn", Role.FIRST_LINE, Organisation.Kind.JURIDISCH_LOKET),
    ("raadsman", Role.FIRST_LINE, Organisation.Kind.SOCIAAL_RAADSLIEDEN),
    ("advocaat", Role.ADVOCAAT, Organisation.Kind.SOCIALE_ADVOCATUUR),
    ("coordinator", Role.COORDINATOR, Organisation.Kind.JURIDISCH_LOKET),
    ("onderzoeker", Role.RESEARCHER, Organisation.Kind.OTHER),
    ("beheerder", Role.ADMINISTRATOR, Organisation.Kind.OTHER),
]

# Invented names; any likeness to real people is chance.
FIRST_NAMES = [
    "Sanne",
    "Daan",
    "Fleur",
    "Bram",
    "Noor",
    "Joris",
    "Lotte",
    "Thijs",
    "Eline",
    "Ruben",
    "Iris",
    "Sem",
    "Maud",
    "Jesse",
    "Femke",
    "Wout",
    "Anouk",
    "Stijn",
    "Roos",
    "Niels",
    "Ilse",
    "Koen",
    "Mirthe",
    "Gijs",
    "Tessa",
    "Lars",
    "Vera",
    "Hidde",
    "Esmee",
    "Pim",
    "Yara",
    "Mees",
    "Lieke",
    "Teun",
    "Floor",
    "Siem",
]
LAST_NAMES = [
    "de Vries-Hamers",
    "Bakker-Oomen",
    "van Dijk-Smeets",
    "Jansen-Wolters",
    "Visser-Kok",
    "Mulder-Brink",
    "de Boer-Lammers",
    "Smit-Verhoef",
    "Meijer-Dekker",
    "de Graaf-Koster",
    "Bos-Hendriks",
    "Vos-Postma",
    "Peters-Kuiper",
    "Hendriks-Blom",
    "van Leeuwen-Prins",
    "Dekker-Huisman",
    "Brouwer-Sanders",
    "de Wit-Kramer",
]


class Command(BaseCommand):
    help = "Maakt demogegevens aan (idempotent): organisaties en één gebruiker per rol per locatie."

    def handle(self, *args, **options):
        if not settings.DEBUG and not options.get("force"):
            raise CommandError("seed_demo is for development (DJANGO_DEBUG=1) only")
        with transaction.atomic():
            users = self.seed_accounts()
        self.print_instructions(users)

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="ook met DJANGO_DEBUG=0")

    def seed_accounts(self) -> list[User]:
        users = []
        n = 0
        for location in Location.objects.filter(is_national=False).order_by("name"):
            organisations = {
                kind: Organisation.objects.get_or_create(
                    location=location, name=name.format(city=location.name), defaults={"kind": kind}
                )[0]
                for kind, name in ORGANISATIONS.items()
            }
            for prefix, role, kind in DEMO_USERS:
                name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n % len(LAST_NAMES)]}"
                n += 1
                user = self.demo_user(f"{prefix}.{location.slug}@example.org", name)
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[kind], role=role
                )
                users.append(user)
        return users

    def demo_user(self, email: str, full_name: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        return user

    def print_instructions(self, users: list[User]) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demogegevens klaar: {len(users)} demogebruikers."))
        out.write("")
        out.write("Inloggen op http://127.0.0.1:8000/ met bijvoorbeeld:")
        for prefix, role, _kind in DEMO_USERS:
            out.write(f"  {prefix}.utrecht@example.org  ({Role(role).label})")
        out.write("  (zelfde patroon voor amsterdam, zwolle, nijmegen, middelburg)")
        out.write(f"Wachtwoord:   {DEMO_PASSWORD}")
        out.write(f"TOTP-geheim:  {DEMO_TOTP_SECRET}  (zet dit in uw authenticator-app)")
        out.write("Of vraag de huidige code op met:  python manage.py demo_code")
