"""Re-encrypt every identity in the vault with the newest key of IDENTITY_ENCRYPTION_KEYS.

After adding a new key (first in the list) run this; then the old key can be removed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import vault
from cases.models import ClientIdentity


class Command(BaseCommand):
    help = "Versleutelt alle identiteiten in de kluis opnieuw met de nieuwste sleutel."

    def handle(self, *args, **options):
        done = 0
        ids = list(ClientIdentity.objects.exclude(encrypted="").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                batch = ClientIdentity.objects.select_for_update().filter(
                    pk__in=ids[start : start + 500]
                )
                for record in batch:
                    record.encrypted = vault.reencrypt(record.encrypted)
                    record.save(update_fields=["encrypted"])
                    done += 1
        self.stdout.write(f"{done} identiteiten opnieuw versleuteld met de nieuwste sleutel.")
