"""Demo data for a newcomer, idempotent: running it twice changes nothing.

Each app may have a `demo` module with `seed(stdout)`; the composition root runs them in the
order of INSTALLED_APPS, so every app seeds on top of the apps below it (accounts first).
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from accounts.models import Role

__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_SECRET", "Command"]


class Command(BaseCommand):
    help = "Maakt demogegevens aan (idempotent): organisaties, gebruikers, casussen."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="ook met DJANGO_DEBUG=0")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo is for development (DJANGO_DEBUG=1) only")
        # The demo books consults and hands cases over, which sends mail: keep it out of the
        # console, so the last lines a newcomer reads are how to log in.
        logging.disable(logging.INFO)  # nor every mail's and task's log line
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for app in apps.get_app_configs():
                    if app.module and module_has_submodule(app.module, "demo"):
                        with transaction.atomic():
                            import_module(f"{app.name}.demo").seed(self.stdout)
        finally:
            logging.disable(logging.NOTSET)
        self.print_instructions()

    def print_instructions(self) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demogegevens klaar."))
        out.write("")
        out.write("Inloggen op http://127.0.0.1:8000/ met bijvoorbeeld:")
        for prefix, role, _kind in DEMO_USERS:
            out.write(f"  {prefix}.utrecht@example.org  ({Role(role).label})")
        out.write("  (zelfde patroon voor amsterdam, zwolle, nijmegen, middelburg)")
        out.write(f"Wachtwoord:   {DEMO_PASSWORD}")
        out.write(f"TOTP-geheim:  {DEMO_TOTP_SECRET}  (zet dit in uw authenticator-app)")
        out.write("Of vraag de huidige code op met:  .venv/bin/python manage.py demo_code")
        out.write("(een code is 30 seconden geldig)")
