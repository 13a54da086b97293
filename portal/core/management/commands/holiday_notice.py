"""Read a State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) from a text file
and print what it says, one `YYYY-MM-DD holiday` or `YYYY-MM-DD workday` a line; `--save` enters the
year into the working-day calendar (as the city administrator's page does, audited)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from portal.core.holiday_notice import NoticeUnreadable, parse_holiday_notice
from portal.core.settings_services import calendar_year_from_notice


class Command(BaseCommand):
    help = (
        "Print the public holidays and make-up working days a State Council holiday notice "
        "gives, one 'YYYY-MM-DD holiday' or 'YYYY-MM-DD workday' a line; save nothing unless "
        "--save is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the notice's text (UTF-8); '-' reads standard input")
        parser.add_argument("--year", type=int, help="the year, when the text does not say it")
        parser.add_argument(
            "--save",
            action="store_true",
            help="enter the year into the calendar, replacing what it held",
        )

    def handle(self, *args, file: str, year: int | None, save: bool, **options) -> None:
        text = self._read(file)
        try:
            notice = parse_holiday_notice(text, year)
        except NoticeUnreadable as problem:
            raise CommandError(str(problem)) from problem
        days = [(day.date, "holiday") for day in notice.in_year(notice.days_off)]
        days += [(day.date, "workday") for day in notice.in_year(notice.makeup_days)]
        for date, kind in sorted(days):
            self.stdout.write(f"{date:%Y-%m-%d} {kind}")
        for day in notice.other_years:
            self.stderr.write(f"not in {notice.year}, left out: {day.date:%Y-%m-%d} {day.name}")
        for warning in notice.warnings:
            self.stderr.write(f"check: {warning}")
        if save:
            calendar_year_from_notice(notice=notice, actor=None)
            self.stderr.write(f"saved: the calendar of {notice.year}")

    def _read(self, file: str) -> str:
        if file == "-":
            return sys.stdin.read()
        try:
            with open(file, encoding="utf-8-sig") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text") from error
