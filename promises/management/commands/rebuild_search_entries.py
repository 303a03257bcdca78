from django.core.management.base import BaseCommand

from promises import search


class Command(BaseCommand):
    help = (
        "Write the search's stored entries (promises.SearchEntry) afresh from the registered "
        "sources: after bulk writes, which send no signals, such as a generated dataset's."
    )

    def handle(self, *args, **options):
        count = search.store_entries()
        self.stdout.write(self.style.SUCCESS(f"{count:,} search entries written."))
