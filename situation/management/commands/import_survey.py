from django.core.management.base import BaseCommand, CommandError

from situation import survey_csv


class Command(BaseCommand):
    help = (
        "Import safety survey results from a CSV file, all or nothing. "
        "Header: area,year,indicator,group,value. area is a municipality code (1060) or a "
        "police area slug; indicator an indicator code (oro-brott); group one of "
        "all, women, men, 16-29, 30-49, 50-64, 65+, women-16-29, men-16-29; value 0–100 with at "
        "most one decimal. Any bad row rejects the whole file and nothing is written; missing "
        "surveys are created unpublished and existing values are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8)")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                text = survey_csv.read(handle)
            summary = survey_csv.import_text(text)
        except OSError as error:
            raise CommandError(error) from None
        except survey_csv.SurveyCSVError as error:
            raise CommandError(f"{file} was not imported; nothing was written.\n{error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: {summary.surveys_created} new surveys, "
                f"{summary.results_created} new values, {summary.results_updated} changed, "
                f"{summary.results_unchanged} unchanged."
            )
        )
