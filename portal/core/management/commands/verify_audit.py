"""Check the audit trail's chain: exit 0 when intact, 1 naming the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.audit_chain import seal_all, verify_chain


def _head(value: str) -> tuple[int, str]:
    seq, _sep, digest = value.partition(":")
    if not seq.isdigit():
        raise CommandError(_("--head takes PLACE:HASH as logged by the portal, got %s") % value)
    return int(seq), digest


class Command(BaseCommand):
    help = "Verify the keyed hash chain of the audit trail; exits non-zero at the first break."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--head",
            type=_head,
            help="a head PLACE:HASH noted elsewhere (the portal logs each one): the trail must "
            "reach it with that hash",
        )
        parser.add_argument(
            "--seal-first",
            action="store_true",
            help="seal the rows waiting for the chain before checking",
        )

    def handle(self, *args, head=None, seal_first=False, **options) -> None:
        if seal_first:
            seal_all()
        report = verify_chain(expected_head=head)
        if not report.intact:
            raise CommandError(
                _("The audit trail is broken after %(checked)s intact rows: %(first)s")
                % {"checked": report.checked, "first": report.breaks[0]}
            )
        self.stdout.write(
            _(
                "The audit trail is intact: %(checked)s rows checked, "
                "%(pending)s waiting to be sealed."
            )
            % {"checked": report.checked, "pending": report.pending}
        )
