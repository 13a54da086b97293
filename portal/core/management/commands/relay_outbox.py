"""Send the background work waiting in the outbox (what beat's relay-outbox does), e.g. from
cron while no worker or beat runs, or by hand after a broker outage."""

from django.core.management.base import BaseCommand, CommandError

from portal.core import outbox


class Command(BaseCommand):
    help = "Publish the outbox rows the Celery broker has not taken yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=10_000, help="Send at most this many rows (10000)."
        )

    def handle(self, *args, limit: int, **options):
        result = outbox.relay(limit=limit)
        if result.error:
            raise CommandError(
                f"the broker failed after {result.sent} sent; {result.waiting} waiting: "
                f"{result.error}"
            )
        self.stdout.write(f"{result.sent} sent, {result.waiting} waiting")
