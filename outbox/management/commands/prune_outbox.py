import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from outbox.delivery import MAX_ATTEMPTS
from outbox.models import Message

# A record of a sent message only guards against sending it twice, which can only happen soon.
KEEP_SENT = dt.timedelta(days=30)


class Command(BaseCommand):
    help = (
        "Delete the records of e-mails sent more than 30 days ago, and e-mails given up on "
        "(every attempt failed) that were queued more than 30 days ago, with their addresses."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - KEEP_SENT
        deleted, _ = Message.objects.filter(
            Q(sent_at__lt=cutoff)
            | Q(sent_at=None, attempts__gte=MAX_ATTEMPTS, created_at__lt=cutoff)
        ).delete()
        self.stdout.write(f"{deleted} record(s) of e-mail deleted.")
