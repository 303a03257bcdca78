from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import followup, lifecycle, overview, promises, reports, review, situation, users


class Command(BaseCommand):
    help = "Load the demo parties, agreements and promises (and with DEBUG, demo accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Also create the demo accounts (always done when DEBUG is on).",
        )
        parser.add_argument(
            "--country-sample",
            action="store_true",
            help=(
                "Also add invented promises in 28 municipalities across the country, with "
                "themes and follow-up, so that the national overview has something to show."
            ),
        )

    @transaction.atomic
    def handle(self, *args, with_users=False, country_sample=False, **options):
        promises.load()
        # The accounts come before what they sign: the promise in review and follow-up rounds.
        with_users = with_users or settings.DEBUG
        if with_users:
            users.load()
        review.load()
        situation.load()
        followup.load()
        # After the follow-up: a revision copies commitments, never their rounds.
        lifecycle.load()
        overview.tag_focus_areas()
        if country_sample:
            overview.load_sample()
        reports.load()
        self.stdout.write(self.style.SUCCESS("Demo promises loaded."))
        if with_users:
            self.stdout.write(f"Demo accounts, password {users.PASSWORD!r}:")
            for line in users.describe():
                self.stdout.write(f"  {line}")
