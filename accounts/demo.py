"""Demo data of accounts: organisations at each location and one user per role per location.

Names are invented; e-mail addresses say role and location. Every demo user has the same
password and TOTP secret. Idempotent.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

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


def seed(stdout) -> None:
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
            # 088: a company number range, so it reads as a work number (never a client's)
            user = demo_user(
                f"{prefix}.{location.slug}@example.org", name, f"088 {1000000 + n:07d}"
            )
            Membership.objects.get_or_create(user=user, organisation=organisations[kind], role=role)
            users.append(user)
    # the stuurgroep oversees the whole pilot: a member of the national level, no city's
    national = Location.objects.filter(is_national=True).first()
    if national is not None:
        steering, _ = Organisation.objects.get_or_create(
            location=national, name="Stuurgroep pilot", defaults={"kind": Organisation.Kind.OTHER}
        )
        user = demo_user("stuurgroep@example.org", "Marloes van der Stuur-Jansen", "088 1999999")
        Membership.objects.get_or_create(user=user, organisation=steering, role=Role.STUURGROEP)
        users.append(user)
    stdout.write(f"Accounts: {len(users)} demogebruikers.")


def demo_user(email: str, full_name: str, phone: str = "") -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "phone": phone}
    )
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
