from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filings.occupations import OccupationFileError, import_occupations_csv


class Command(BaseCommand):
    help = "Load occupations and work types from a CSV (code,name,work_type,kind,access_type)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options) -> None:
        try:
            result = import_occupations_csv(csv_file.read_text(encoding="utf-8"))
        except (OSError, OccupationFileError) as error:
            raise CommandError(f"{csv_file}: {error}") from error
        self.stdout.write(
            f"{result.occupations} new occupations, {result.work_types} new work types"
        )
