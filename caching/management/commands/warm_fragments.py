from django.core.management.base import BaseCommand, CommandError

from caching import fragments


class Command(BaseCommand):
    help = (
        "Render the pages of the given scopes (e.g. promise:12 municipality:7) and the lists any "
        "write may change, in every language, so that their precomputed fragments are stored. "
        "A write does this itself after its commit; this is for data written in bulk (the "
        "national dataset) and for a cache that was emptied."
    )

    def add_arguments(self, parser):
        parser.add_argument("scopes", nargs="*", help="kind:id, e.g. promise:12")
        parser.add_argument(
            "--base-url",
            help="the address readers use (its scheme and host are part of a fragment's key); "
            "default SITE_URL",
        )

    def handle(self, *args, scopes, base_url, **options):
        for name in scopes:
            kind, _, pk = name.partition(":")
            if not kind or not pk.isdigit():
                raise CommandError(f"{name!r} is not a scope: write kind:id, e.g. promise:12.")
        count = fragments.warm(set(scopes), base_url=base_url)
        self.stdout.write(f"{count} page(s) rendered.")
