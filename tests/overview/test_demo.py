"""The demo makes the overview worth looking at: themes on its focus areas, and with
--country-sample current promises in every police region with follow-up on time and late."""

from io import StringIO

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from overview import figures
from promises.models import FocusArea, Promise
from tests.shared_data import TEST_DAY


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"promises", "followup"}
    }


@time_machine.travel(TEST_DAY)
class CountrySampleTests(TestCase):
    def test_the_plain_demo_tags_its_focus_areas_and_adds_no_promises(self):
        call_command("load_demo", stdout=StringIO())
        assert not Promise.objects.filter(slug__startswith="exempel-").exists()
        area = FocusArea.objects.get(promise__slug="olofstrom-barn-och-unga", order=0)
        assert area.themes.exists()

    def test_the_sample_fills_the_overview_and_loads_once(self):
        call_command("load_demo", country_sample=True, stdout=StringIO())
        first = _row_counts()
        call_command("load_demo", country_sample=True, stdout=StringIO())
        assert _row_counts() == first

        overview = figures.overview()
        assert overview.with_current_promise >= 20
        assert all(region.with_current_promise for region in overview.police_regions)
        assert all(region.themes for region in overview.police_regions)
        categories = {row.health.category for row in overview.municipalities}
        assert categories == {"all", "some", "none", "nothing_due"}
        assert 0 < overview.health.on_time < overview.health.due
        assert len(overview.years) >= 4
        sample = Promise.objects.filter(slug__startswith="exempel-")
        assert all("påhittat" in promise.summary for promise in sample)
