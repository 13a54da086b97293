"""Production-sized data for the scale bench: 10,000 enterprises and 1,000,000 certificates.

Run it on a database of its own (the bench's), after `migrate` (and `seed_demo`, if the demo's
users are to see the data: district1 reviews 南山区, city the whole city). One transaction: a
failed load leaves nothing. A second run with the same sizes changes nothing; with other sizes
it refuses, naming what is loaded. portal/core/scale/seed.py says what is generated.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale.seed import load, loaded_size


class Command(BaseCommand):
    help = "Load 10,000 enterprises and 1,000,000 certificates with everything behind them."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=10_000)
        parser.add_argument("--certificates", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=20260615, help="random generator seed")

    def handle(self, *args, enterprises: int, certificates: int, seed: int, **options) -> None:
        if enterprises < 1 or certificates < 0:
            raise CommandError("--enterprises must be at least 1 and --certificates at least 0")
        loaded = loaded_size()
        if loaded == (enterprises, certificates):
            self.stdout.write(
                f"scale data already present ({enterprises} enterprises, {certificates} "
                "certificates); nothing changed"
            )
            return
        if loaded is not None:
            raise CommandError(
                f"this database already holds scale data of {loaded[0]} enterprises and "
                f"{loaded[1]} certificates; load another size into a fresh database"
            )
        method = "COPY" if connection.vendor == "postgresql" else "executemany"
        self.stdout.write(
            f"loading {enterprises} enterprises and {certificates} certificates "
            f"({connection.vendor}, {method})"
        )
        outcome = load(
            enterprises=enterprises, certificates=certificates, seed=seed, say=self.stdout.write
        )
        rows = sum(outcome.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"scale data loaded: {enterprises} enterprises, {certificates} certificates, "
                f"{rows} rows in all, in {outcome.seconds:.1f} s"
            )
        )
        for label, count in sorted(outcome.rows.items()):
            self.stdout.write(f"  {label:32s} {count:>10}")
