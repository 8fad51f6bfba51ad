"""Re-encrypt every identity in the vault with the newest key of IDENTITY_ENCRYPTION_KEYS.

After adding a new key (first in the list) run this; then the old key can be removed. With
`--rehash`, also recompute the keyed hashes with the current IDENTITY_HASH_KEY (after replacing a
leaked hash key; until then earlier cases of a client are not found).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import vault
from cases.models import ClientIdentity


class Command(BaseCommand):
    help = "Versleutelt alle identiteiten in de kluis opnieuw met de nieuwste sleutel."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="bereken ook de sleutelhashes opnieuw met de huidige IDENTITY_HASH_KEY",
        )

    def handle(self, *args, rehash: bool = False, **options):
        done = 0
        ids = list(ClientIdentity.objects.exclude(encrypted="").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                batch = ClientIdentity.objects.select_for_update().filter(
                    pk__in=ids[start : start + 500]
                )
                for record in batch:
                    record.encrypted = vault.reencrypt(record.encrypted)
                    fields = ["encrypted"]
                    if rehash:
                        identity = vault.Identity.from_dict(
                            vault.decrypt_identity(record.encrypted)
                        )
                        record.identity_hash = vault.identity_hash(
                            name=identity.full_name, birth_date=identity.birth_date
                        )
                        record.name_hash = vault.name_hash(identity.full_name)
                        fields += ["identity_hash", "name_hash"]
                    record.save(update_fields=fields)
                    done += 1
        what = "versleuteld en opnieuw gehasht" if rehash else "versleuteld"
        self.stdout.write(f"{done} identiteiten opnieuw {what} met de nieuwste sleutel.")
