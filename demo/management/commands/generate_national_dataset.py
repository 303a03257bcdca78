import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from caching import fragments, pages
from demo import national
from promises import search


class Command(BaseCommand):
    help = (
        "Generate the whole country for load tests: police areas, ten years of promises, "
        "follow-up and safety surveys for the municipalities the migrations loaded, with users "
        f"(password {national.PASSWORD!r}). Runs once, on a database without promises or police "
        "areas; to start again, use a fresh database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Share of the country to generate: 1 is every municipality (the default), "
            "0.01 a handful, for tests.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random choices.")

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale must lie between 0 (exclusive) and 1.")
        # Refusing is simpler and safer than --replace: deleting a country means unpicking
        # protected and restricted relations, and a fresh database is one createdb away.
        if national.exists():
            raise CommandError(
                "This database already has promises or police areas (the national dataset or "
                "the demo); generate the national dataset on a freshly migrated database."
            )
        started = time.monotonic()
        with transaction.atomic():
            counts = national.Generator(scale=scale, seed=seed, log=self.stdout.write).run()
            # Bulk inserts send no signals: the search's entries are written here, and cached
            # pages, precomputed fragments and stored downloads are stale now. (The status rows'
            # bulk_create stored their commitments' latest status: followup.latest_status.)
            search.store_entries()
            pages.content_changed()
            fragments.bump({fragments.ALL})
        if connection.vendor == "postgresql":
            # Fresh planner statistics for the new rows: until autovacuum gathers them, queries
            # run on plans made for empty tables (seconds instead of milliseconds).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, number in counts.items():
            self.stdout.write(f"{number:>9,} {name}")
        self.stdout.write(
            self.style.SUCCESS(f"National dataset generated in {time.monotonic() - started:.0f} s.")
        )
