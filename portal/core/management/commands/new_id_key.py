"""Print a fresh key for ID_ENCRYPTION_KEYS or ID_HASH_KEY (32 random bytes, base64url)."""

from django.core.management.base import BaseCommand

from portal.core.crypto import key_id, new_key


class Command(BaseCommand):
    help = "Print a new random key for ID_ENCRYPTION_KEYS or ID_HASH_KEY."

    def handle(self, *args, **options):
        import base64

        key = new_key()
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        self.stdout.write(key)
        self.stderr.write(
            f"key id {key_id(raw)}; keep it with your backups: without it the ID "
            "numbers cannot be read"
        )
