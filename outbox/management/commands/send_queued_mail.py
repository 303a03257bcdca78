from django.core.management.base import BaseCommand

from outbox.delivery import send_all_unsent


class Command(BaseCommand):
    help = (
        "Hand every e-mail still waiting in the outbox (with tries left) to the background "
        "worker again, for example after the mail server was down."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_all_unsent()} message(s) handed to the worker.")
