import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from outbox.models import Message

# A record of a sent message only guards against sending it twice, which can only happen soon.
KEEP_SENT = dt.timedelta(days=30)


class Command(BaseCommand):
    help = "Delete the records of e-mails sent more than 30 days ago."

    def handle(self, *args, **options):
        deleted, _ = Message.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
        self.stdout.write(f"{deleted} record(s) of sent e-mail deleted.")
