"""Restore a backup made by `manage.py backup` into an empty database and MEDIA_ROOT."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.backup import restore
from portal.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Check the backup's checksums, migrate, load every row into the empty database, unpack "
        "the files and check the rows and the audit chain against the manifest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", type=Path, help="a directory written by manage.py backup")

    def handle(self, *args, source: Path, **options) -> None:
        try:
            report = restore(source)
        except ServiceError as error:
            raise CommandError(error.message) from None
        problems = report.differences + report.audit.breaks
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            _(
                "Restored %(rows)s rows and %(files)s files; the audit trail is intact "
                "(%(checked)s rows)."
            )
            % {
                "rows": sum(report.rows.values()),
                "files": report.media_files,
                "checked": report.audit.checked,
            }
        )
