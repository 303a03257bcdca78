from django.core.management.base import BaseCommand
from django.db.models import Q

from situation import survey_csv
from situation.models import SurveyResult


class Command(BaseCommand):
    help = (
        "Export safety survey results as CSV in the format import_survey reads "
        "(area,year,indicator,group,value)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--area", action="append", help="municipality code or police area slug; repeatable"
        )
        parser.add_argument("--year", type=int, action="append", help="survey year; repeatable")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, area=None, year=None, output=None, **options):
        results = SurveyResult.objects.all()
        if area:
            codes = [key for key in area if key.isdigit()]
            slugs = [key for key in area if not key.isdigit()]
            results = results.filter(
                Q(survey__area__municipality_code__in=codes) | Q(survey__area__slug__in=slugs)
            )
        if year:
            results = results.filter(survey__year__in=year)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as out:
                survey_csv.write(results, out)
        else:
            survey_csv.write(results, self.stdout)
