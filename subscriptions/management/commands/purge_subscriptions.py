from django.core.management.base import BaseCommand

from subscriptions.services import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete subscriptions not confirmed within SUBSCRIPTIONS_CONFIRM_DAYS, and addresses "
        "left with none. Run daily from cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_unconfirmed()} unconfirmed subscription(s) deleted.")
