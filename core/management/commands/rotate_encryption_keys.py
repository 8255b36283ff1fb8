"""Re-encrypt every value stored in an EncryptedTextField with the first key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first and the old one after it (FIELD_ENCRYPTION_KEYS=new,old),
deploy, run this command, then remove the old key. Safe to run again; plain text left by
an older release is encrypted too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router

from core.encryption import DecryptionError, encrypted_fields, reencrypt_column


class Command(BaseCommand):
    help = "Re-encrypt every encrypted database value with the first key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        fields = encrypted_fields()
        for model, field in fields:
            connection = connections[router.db_for_write(model)]
            label = f"{model._meta.label}.{field.name}"
            try:
                report = reencrypt_column(
                    connection, model._meta.db_table, field.column, model._meta.pk.column, label=label
                )
            except DecryptionError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{label}: {report.rotated} re-encrypted, {report.encrypted} plain-text encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {len(fields)} encrypted field(s) use the first key."))
