"""Back the portal up into a directory: database rows, files, a manifest with checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.backup import backup
from portal.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Write database.jsonl.gz, media.tar.gz and manifest.json into --out (never the keys: "
        "keep ID_ENCRYPTION_KEYS, ID_HASH_KEY and AUDIT_CHAIN_KEY apart)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="an empty or new directory")

    def handle(self, *args, out: Path, **options) -> None:
        try:
            manifest = backup(out)
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            _("Backed up %(rows)s rows and %(files)s files into %(dir)s.")
            % {"rows": sum(manifest["rows"].values()), "files": manifest["media_files"], "dir": out}
        )
