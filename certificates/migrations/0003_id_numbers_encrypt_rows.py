# ID numbers encrypted at rest, step 2 of 2: every existing certificate encrypted with the first
# key of ID_ENCRYPTION_KEYS and its digest filled (legacy plaintext reads back as it is).

from django.db import migrations

from portal.core.crypto import decrypt_rows, reencrypt_rows


def encrypt(apps, schema_editor):
    reencrypt_rows(apps.get_model("certificates", "Certificate"))


def decrypt(apps, schema_editor):
    decrypt_rows(apps.get_model("certificates", "Certificate"))


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_id_numbers_encrypted"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
