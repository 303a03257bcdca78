from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from reports.models import ErrorReport, UnsafePlaceReport


class DemoReportsTests(TestCase):
    def test_demo_reports_load_once(self):
        call_command("load_demo", stdout=StringIO())
        counts = (UnsafePlaceReport.objects.count(), ErrorReport.objects.count())
        history = UnsafePlaceReport.history.count()
        call_command("load_demo", stdout=StringIO())
        assert (UnsafePlaceReport.objects.count(), ErrorReport.objects.count()) == counts
        assert UnsafePlaceReport.history.count() == history
        assert counts == (3, 1)
        assert ErrorReport.objects.get().municipality.name == "Olofström"
