"""Platform tokens are encrypted at rest, readable with any configured key, rotatable, never shown."""

import importlib
import io
import types

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from core.encryption import DecryptionError, validate_keys
from creators.models import Platform, SocialAccount
from stats.providers.base import AccountRef
from tests.factories import SocialAccountFactory, UserFactory
from tests.factories.users import login_with_mfa
from tests.marketplace.test_deploy import PROD_ENV, run_manage

pytestmark = pytest.mark.django_db

OLD_KEY = "Bo0yA0OAc6KviXyJbu8UrGumxmDe_BOz2lLl5vZMdRA="
NEW_KEY = "vJk48tXto3IkcUb-I5DY98hGde-oOd2oLUJoPtISs0I="
OTHER_KEY = "miuuQ1MiOnUzc2IBeJXGSS27IJrBP_kgJkWd7_VHU0Y="
TOKEN = "act.ExampleTikTokToken.0123456789"


def raw_token(account_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM creators_socialaccount WHERE id = %s", [account_id])
        return cursor.fetchone()[0]


def set_raw_token(account_id: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE creators_socialaccount SET access_token = %s WHERE id = %s", [value, account_id])


def test_the_column_holds_ciphertext_and_reading_decrypts():
    account = SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    stored = raw_token(account.id)
    assert TOKEN not in stored and "ExampleTikTok" not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert SocialAccount.objects.get(id=account.id).access_token == TOKEN
    # The statistics pipeline reads tokens with values(): decrypted there too.
    assert list(SocialAccount.objects.filter(id=account.id).values_list("access_token", flat=True)) == [TOKEN]
    # Two accounts with the same token do not share a ciphertext.
    twin = SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    assert raw_token(twin.id) != stored


def test_no_token_stays_empty_and_filterable():
    account = SocialAccountFactory(platform=Platform.YOUTUBE)
    assert raw_token(account.id) == ""
    assert SocialAccount.objects.get(id=account.id).access_token == ""
    SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    assert list(SocialAccount.objects.filter(access_token="").values_list("id", flat=True)) == [account.id]


def test_an_old_key_still_reads_and_rotation_moves_every_value_to_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    first = SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    second = SocialAccountFactory(platform=Platform.TIKTOK, access_token="act.second")
    untouched = SocialAccountFactory(platform=Platform.YOUTUBE)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert SocialAccount.objects.get(id=first.id).access_token == TOKEN  # old key, second in the list
    with pytest.raises(InvalidToken):  # before rotation the new key alone cannot read it
        Fernet(NEW_KEY).decrypt(raw_token(first.id).encode())

    call_command("rotate_encryption_keys", stdout=(out := io.StringIO()))
    assert "creators.SocialAccount.access_token: 2 re-encrypted, 0 plain-text encrypted" in out.getvalue()
    assert Fernet(NEW_KEY).decrypt(raw_token(first.id).encode()) == TOKEN.encode()
    assert Fernet(NEW_KEY).decrypt(raw_token(second.id).encode()) == b"act.second"
    assert raw_token(untouched.id) == ""

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key can now be dropped
    assert SocialAccount.objects.get(id=second.id).access_token == "act.second"


def test_a_wrong_key_is_a_clear_error_not_an_empty_token(settings):
    account = SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    settings.FIELD_ENCRYPTION_KEYS = [OTHER_KEY]
    with pytest.raises(
        DecryptionError, match="creators.SocialAccount.access_token with any key in FIELD_ENCRYPTION_KEYS"
    ):
        SocialAccount.objects.get(id=account.id)
    with pytest.raises(DecryptionError):
        list(SocialAccount.objects.values_list("access_token", flat=True))
    with pytest.raises(CommandError, match=rf"creators.SocialAccount.access_token \(row {account.id}\)"):
        call_command("rotate_encryption_keys", stdout=io.StringIO())
    assert raw_token(account.id).startswith("gAAAAA")  # nothing was overwritten


def test_the_data_migration_encrypts_existing_plain_text_and_its_reverse_restores_it():
    migration = importlib.import_module("creators.migrations.0006_encrypt_access_tokens")
    editor = types.SimpleNamespace(connection=connection)
    legacy = SocialAccountFactory(platform=Platform.TIKTOK)
    already = SocialAccountFactory(platform=Platform.TIKTOK, access_token="act.already-encrypted")
    empty = SocialAccountFactory(platform=Platform.YOUTUBE)
    set_raw_token(legacy.id, TOKEN)  # as a release before this one stored it

    migration.encrypt_tokens(apps, editor)
    assert raw_token(legacy.id).startswith("gAAAAA") and "ExampleTikTok" not in raw_token(legacy.id)
    assert SocialAccount.objects.get(id=legacy.id).access_token == TOKEN
    assert SocialAccount.objects.get(id=already.id).access_token == "act.already-encrypted"  # not encrypted twice
    assert raw_token(empty.id) == ""

    migration.encrypt_tokens(apps, editor)  # idempotent
    assert SocialAccount.objects.get(id=legacy.id).access_token == TOKEN

    migration.decrypt_tokens(apps, editor)
    assert raw_token(legacy.id) == TOKEN
    assert raw_token(already.id) == "act.already-encrypted"


def test_the_admin_never_shows_a_token(client):
    account = SocialAccountFactory(platform=Platform.TIKTOK, access_token=TOKEN)
    login_with_mfa(client, UserFactory(is_staff=True, is_superuser=True))
    stored = raw_token(account.id)
    for url in (
        reverse("admin:creators_socialaccount_change", args=[account.id]),
        reverse("admin:creators_socialaccount_changelist"),
        reverse("admin:creators_creator_change", args=[account.creator_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert TOKEN not in html and stored not in html and "access_token" not in html, url


def test_a_token_never_appears_in_an_account_refs_repr():
    assert "act.secret" not in repr(AccountRef("1", "casey", access_token="act.secret"))


def test_keys_that_are_not_fernet_keys_are_refused_by_position():
    assert validate_keys([f" {NEW_KEY} ", OLD_KEY, ""]) == [NEW_KEY, OLD_KEY]
    with pytest.raises(ImproperlyConfigured, match="key #2 is not a Fernet key"):
        validate_keys([NEW_KEY, "not-a-key"])
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS is empty"):
        validate_keys([" "])


@pytest.mark.slow
def test_production_refuses_to_start_without_or_with_a_bad_encryption_key():
    missing = run_manage("check", env={k: v for k, v in PROD_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"})
    assert missing.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in missing.stderr
    bad = run_manage("check", env={**PROD_ENV, "FIELD_ENCRYPTION_KEYS": f"{NEW_KEY},oops"})
    assert bad.returncode != 0 and "key #2 is not a Fernet key" in bad.stderr
    # A production SECRET_KEY never stands in for the encryption key.
    empty = run_manage("check", env={**PROD_ENV, "FIELD_ENCRYPTION_KEYS": ""})
    assert empty.returncode != 0 and "FIELD_ENCRYPTION_KEYS is empty" in empty.stderr
