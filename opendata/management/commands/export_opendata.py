from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from opendata import exports
from opendata.registry import datasets


class Command(BaseCommand):
    help = (
        "Build the whole-country open-data files of the current data that are not built yet, "
        "every dataset in every format and language, so that no reader waits for one "
        "(e.g. from cron or after an import). The download view builds a missing one itself."
    )

    def handle(self, *args, **options):
        generation = exports.generation()
        if generation is None:
            raise CommandError("The cache is unreachable: downloads are streamed, not stored.")
        site = exports.SiteAddress()
        built = 0
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for dataset in datasets():
                    for fmt in exports.FORMATS:
                        path = exports.stored_path(dataset, fmt, code, generation)
                        if path.exists():
                            continue
                        if exports.build(site, dataset, fmt, code, generation):
                            built += 1
                            self.stdout.write(f"{path}")
        self.stdout.write(self.style.SUCCESS(f"{built} open-data files built."))
