from django.core.management.base import BaseCommand

from subscriptions.notify import deliver_updates


class Command(BaseCommand):
    help = (
        "Hand subscribers' news to the background worker: everyone with news who has had no "
        "e-mail today gets one digest. Run daily from cron; running it again does no harm."
    )

    def handle(self, *args, **options):
        deliver_updates.enqueue()
        self.stdout.write("Subscribers' news handed to the worker.")
