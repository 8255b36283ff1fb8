"""Platform access tokens encrypted at rest: the column type is unchanged, existing plain text is encrypted."""

from django.db import migrations

import core.encryption


def encrypt_tokens(apps, schema_editor):
    """Encrypt every plain-text token (rows already encrypted are re-encrypted with the first key)."""
    SocialAccount = apps.get_model("creators", "SocialAccount")
    core.encryption.reencrypt_column(
        schema_editor.connection, SocialAccount._meta.db_table, "access_token", label="creators.SocialAccount.access_token"
    )


def decrypt_tokens(apps, schema_editor):
    SocialAccount = apps.get_model("creators", "SocialAccount")
    core.encryption.decrypt_column(schema_editor.connection, SocialAccount._meta.db_table, "access_token")


class Migration(migrations.Migration):

    dependencies = [
        ("creators", "0005_move_stats_models_to_stats_app"),
    ]

    operations = [
        migrations.AlterField(
            model_name="socialaccount",
            name="access_token",
            field=core.encryption.EncryptedTextField(blank=True, editable=False),
        ),
        migrations.RunPython(encrypt_tokens, decrypt_tokens, elidable=False),
    ]
