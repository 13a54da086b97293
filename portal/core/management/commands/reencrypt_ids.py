"""Re-encrypt every stored ID number, and every sealed file, with the first key of
ID_ENCRYPTION_KEYS and the cipher ID_CIPHER names (key rotation, PIPL; AES ⇄ SM4).

Rotation: put the new key first in ID_ENCRYPTION_KEYS and keep the old ones after it; run this
command; then drop the old keys. Legacy plaintext found on the way is encrypted too, and the
digests (ID_HASH_KEY; HMAC-SM3 under sm4) are written afresh. To move between AES and SM4:
set ID_CIPHER, restart, run this command (look-ups of rows not yet moved miss until it ends).
Safe to run twice and while the portal runs: each row is read and written again with the number
it holds.
"""

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from portal.core.crypto import (
    current_form,
    encrypted_fields,
    open_bytes,
    reencrypt_rows,
    seal_bytes,
    sealed_with,
)

# Files kept on disk that hold ID numbers: (model, file field, filter).
SEALED_FILES = (
    ("core.BackgroundJob", "file", {"kind": "roster_import"}),
    ("assessments.RosterImport", "file", {}),
    ("certificates.CertificateReport", "file", {}),
)


def reseal_files(model, field: str, filters: dict) -> int:
    current = current_form()
    count = 0
    rows = model._base_manager.filter(**filters).exclude(**{field: ""}).order_by("pk")
    for row in rows.iterator():
        stored = getattr(row, field)
        try:
            with stored.open("rb") as handle:
                blob = handle.read()
        except OSError:
            continue  # purged meanwhile
        if sealed_with(blob) == current:
            continue
        old_name = stored.name
        # Written beside the old file first: a crash in between loses nothing.
        new_name = stored.storage.save(old_name, ContentFile(seal_bytes(open_bytes(blob))))
        model._base_manager.filter(pk=row.pk).update(**{field: new_name})
        stored.storage.delete(old_name)
        count += 1
    return count


class Command(BaseCommand):
    help = (
        "Re-encrypt every ID number and sealed file with the first key of ID_ENCRYPTION_KEYS "
        "and the cipher of ID_CIPHER."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, **options):
        self.stdout.write(f"encrypting as {current_form()}")
        for model in apps.get_models():
            if encrypted_fields(model):
                count = reencrypt_rows(model, batch_size=batch_size)
                self.stdout.write(f"{model._meta.label}: {count} rows")
        for label, field, filters in SEALED_FILES:
            count = reseal_files(apps.get_model(label), field, filters)
            self.stdout.write(f"{label}.{field}: {count} files")
