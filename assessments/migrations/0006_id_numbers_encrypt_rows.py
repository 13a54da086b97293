# ID numbers encrypted at rest, step 2 of 3: every existing row encrypted with the first key of
# ID_ENCRYPTION_KEYS and its digest filled (legacy plaintext reads back as it is); the previews
# of roster uploads kept on their jobs keep the ID numbers masked.

from django.db import migrations

from portal.core.crypto import decrypt_rows, reencrypt_rows
from portal.core.masking import mask_id

MODELS = ("Examiner", "RosterEntry")


def encrypt(apps, schema_editor):
    for name in MODELS:
        reencrypt_rows(apps.get_model("assessments", name))


def decrypt(apps, schema_editor):
    for name in MODELS:
        decrypt_rows(apps.get_model("assessments", name))


def mask_previews(apps, schema_editor):
    """result["bad_rows"] of a roster job: [row, name, ID number, problems]."""
    jobs = apps.get_model("core", "BackgroundJob")._base_manager.filter(kind="roster_import")
    for job in jobs.iterator():
        rows = (job.result or {}).get("bad_rows")
        if not rows:
            continue
        job.result["bad_rows"] = [[row[0], row[1], mask_id(row[2] or ""), *row[3:]] for row in rows]
        job.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_id_numbers_encrypted"),
        ("core", "0005_citypolicy_dispatched_min_months_and_more"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
        migrations.RunPython(mask_previews, migrations.RunPython.noop),
    ]
