"""python manage.py import_roster --plan ID FILE [--dry-run]: the checks of the import page.

One line per problem (`row N: column: reason`), then one per application condition that could
not be verified (未核验: a warning for the reviewer), then a summary line. With any problem nothing
is imported and the command fails; --dry-run only checks.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import ImplementationPlan
from assessments.rosters import services as roster_services
from assessments.rosters.reader import RosterFileError
from portal.core.errors import ServiceError


class Command(BaseCommand):
    help = "Check a roster file (.xlsx, official format) and import it into a plan's roster."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="id of the plan")
        parser.add_argument("file", type=Path, help="the roster, .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")

    def handle(self, *args, plan: int, file: Path, dry_run: bool, **options) -> None:
        try:
            target = ImplementationPlan.objects.select_related(
                "enterprise__district__parent",
                "scheme__scope_line__occupation",
                "scheme__scope_line__work_type",
            ).get(pk=plan)
        except ImplementationPlan.DoesNotExist:
            raise CommandError(f"plan {plan} does not exist") from None
        try:
            data = file.read_bytes()
            parsed = roster_services.roster_check(plan=target, data=data)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except RosterFileError as error:
            raise CommandError(f"{file}: {error}") from error
        for problem in parsed.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f"{problem.header}: " if problem.header else ""
            self.stdout.write(f"{where}: {column}{problem.message}")
        # Not verified application conditions: for the reviewer, they do not stop the import.
        for warning in parsed.warnings:
            self.stdout.write(f"row {warning.row}: {warning.header}: {warning.message}")
        counts = (
            f"{len(parsed.rows)} rows, {len(parsed.good_rows)} good, "
            f"{len(parsed.bad_rows)} with problems"
        )
        if parsed.warnings:
            unverified = len({warning.row for warning in parsed.warnings})
            counts += f", {unverified} with conditions not verified"
        if parsed.problems:
            raise CommandError(f"summary: {counts}; nothing imported")
        if dry_run:
            self.stdout.write(f"summary: {counts}; nothing imported (dry run)")
            return
        try:
            outcome = roster_services.roster_import(
                plan=target, actor=None, data=data, filename=file.name
            )
        except ServiceError as error:
            for problem in error.problems:
                self.stdout.write(f"row {problem.row}: {problem.header}: {problem.message}")
            raise CommandError(f"summary: {counts}; nothing imported: {error.message}") from error
        self.stdout.write(f"summary: {counts}; {outcome.imported} imported into plan {target.pk}")
