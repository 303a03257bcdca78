from django.core.management.base import BaseCommand

from followup.reminders import send_reminders, send_signature_reminders


class Command(BaseCommand):
    help = (
        "E-mail coordinators about follow-up rounds due within 14 days or overdue, and the police "
        "about rounds awaiting review, and the police and coordinators whose signature a promise "
        "in review waits for. Queues each reminder once a day for the background worker, so it is "
        "safe to run from cron as often as you like."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
        signatures = send_signature_reminders()
        self.stdout.write(f"{signatures} signature reminder(s) sent.")
