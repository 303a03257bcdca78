from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from promises.models import Promise


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"promises", "situation", "followup", "auth"}
    }


class LoadDemoTests(TestCase):
    def test_loads_the_seed_promises_and_is_idempotent(self):
        call_command("load_demo", with_users=True, stdout=StringIO())
        first = _row_counts()
        call_command("load_demo", with_users=True, stdout=StringIO())
        assert _row_counts() == first

        multi = Promise.objects.get(slug="stenungsund-orust-tjorn-2023-2024")
        assert sorted(p.name for p in multi.municipalities()) == ["Orust", "Stenungsund", "Tjörn"]
        olofstrom = Promise.objects.get(slug="olofstrom-2021")
        assert olofstrom.focus_areas.count() == 2
        response = self.client.get("/")
        self.assertContains(response, olofstrom.get_absolute_url())
        response = self.client.get(olofstrom.get_absolute_url())
        self.assertContains(response, "Trafiksäkerhet")
