"""Secrets at rest: values such as platform OAuth tokens are stored encrypted.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (the environment variable of the same
name, comma-separated Fernet keys): the first key encrypts, every key decrypts. To rotate,
put a new key first and keep the old one after it, deploy, run
``manage.py rotate_encryption_keys`` (re-encrypts every stored value with the first key),
then drop the old key. Production refuses to start without keys; local and test settings
derive a development-only key from SECRET_KEY (see ``derive_dev_key``).

``EncryptedTextField`` encrypts on the way into the database and decrypts on the way out
(model instances, ``values()``, ``values_list()``), so the code that uses a token sees
plain text and the column never does. Ciphertext is randomised: only ``= ''`` and
``IS NULL`` lookups mean anything on such a column.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

SETTING = "FIELD_ENCRYPTION_KEYS"
# version (1) + timestamp (8) + IV (16) + at least one AES block (16) + HMAC (32)
_MIN_TOKEN_BYTES = 73


class DecryptionError(Exception):
    """A stored value no key in FIELD_ENCRYPTION_KEYS can decrypt (never answered with an empty secret)."""


def derive_dev_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY: for development and tests only (production sets real keys)."""
    digest = hashlib.sha256(b"marketplace.encryption.dev-key:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def validate_keys(keys: Iterable[str]) -> list[str]:
    """The keys, stripped; ImproperlyConfigured naming the bad one if any is not a Fernet key."""
    cleaned = [key.strip() for key in keys if key.strip()]
    if not cleaned:
        raise ImproperlyConfigured(
            f"{SETTING} is empty: set it to one or more comma-separated Fernet keys "
            '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        )
    for position, key in enumerate(cleaned, start=1):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            raise ImproperlyConfigured(
                f"{SETTING}: key #{position} is not a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
    return cleaned


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in validate_keys(keys)])


def fernet() -> MultiFernet:
    """The MultiFernet for the current settings (re-read each call, so override_settings works)."""
    from django.conf import settings

    keys = getattr(settings, SETTING, None)
    if not keys:
        validate_keys([])  # raises with the how-to
    return _multi_fernet(tuple(keys))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def _undecryptable(what: str) -> str:
    return (
        f"Cannot decrypt {what} with any key in {SETTING}: the key it was encrypted with is not "
        "in the list (when rotating, keep the old key after the new one until rotate_encryption_keys "
        "has run) or the stored value is damaged."
    )


def decrypt(token: str, *, what: str = "a stored secret") -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(_undecryptable(what)) from None


def looks_encrypted(value: str) -> bool:
    """Whether ``value`` has the shape of a Fernet token (tells ciphertext from legacy plain text)."""
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= _MIN_TOKEN_BYTES and raw[0] == 0x80


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token; Python code reads and writes plain text."""

    description = "Text encrypted at rest (FIELD_ENCRYPTION_KEYS)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        label = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else "a stored secret"
        return decrypt(value, what=label)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


# -- bulk re-encryption: the data migration and rotate_encryption_keys share it -------------------


@dataclass
class ColumnReport:
    label: str
    rotated: int = 0  # ciphertext re-encrypted with the first key
    encrypted: int = 0  # legacy plain text encrypted


def reencrypt_column(
    connection, table: str, column: str, pk: str = "id", *, label: str = "", batch_size: int = 500
) -> ColumnReport:
    """Re-encrypt every non-empty value of ``table.column`` with the first key; encrypt plain text.

    Works on raw column values (no model needed, so data migrations can call it). Each batch
    is one transaction and each UPDATE only applies if the value did not change meanwhile.
    Raises DecryptionError (naming the row) for ciphertext no key can read.
    """
    report = ColumnReport(label or f"{table}.{column}")
    qn = connection.ops.quote_name
    box = fernet()
    last = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            where = f"{qn(column)} <> ''" + (f" AND {qn(pk)} > %s" if last is not None else "")
            cursor.execute(
                f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {where} ORDER BY {qn(pk)} LIMIT %s",
                [*([last] if last is not None else []), batch_size],
            )
            rows = cursor.fetchall()
            for row_pk, value in rows:
                if looks_encrypted(value):
                    try:
                        new = box.rotate(value.encode()).decode()
                    except InvalidToken:
                        raise DecryptionError(_undecryptable(f"{report.label} (row {row_pk})")) from None
                    report.rotated += 1
                else:
                    new = box.encrypt(value.encode()).decode()
                    report.encrypted += 1
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s AND {qn(column)} = %s",
                    [new, row_pk, value],
                )
        if len(rows) < batch_size:
            return report
        last = rows[-1][0]


def decrypt_column(connection, table: str, column: str, pk: str = "id") -> int:
    """Turn every token of ``table.column`` back into plain text (a data migration's reverse)."""
    qn = connection.ops.quote_name
    count = 0
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {qn(column)} <> ''")
        for row_pk, value in cursor.fetchall():
            if looks_encrypted(value):
                plain = decrypt(value, what=f"{table}.{column} (row {row_pk})")
                cursor.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s", [plain, row_pk])
                count += 1
    return count


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every concrete EncryptedTextField of every installed model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and not model._meta.proxy
    ]
