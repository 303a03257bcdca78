"""The national list of themes: reference data in both languages, suggested from a focus area's
title in the admin, tagged there, and shown to residents with a link to the search."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from promises.models import FocusArea, Promise, Theme
from promises.reference_data import load_themes, read_themes, unload_themes
from tests.factories import make_focus_area, make_promise, make_user


class ThemeReferenceDataTests(TestCase):
    def test_the_migration_loads_the_national_list_in_both_languages(self):
        themes = list(Theme.objects.all())
        assert [theme.slug for theme in themes] == [row["slug"] for row in read_themes()]
        assert len(themes) >= 9
        traffic = Theme.objects.get(slug="trafiksakerhet")
        with translation.override("sv"):
            assert str(traffic) == "Trafiksäkerhet"
        with translation.override("en"):
            assert str(traffic) == "Traffic safety"
        assert Theme.objects.filter(slug="andts", name_en__contains="gambling").exists()

    def test_loading_is_repeatable_and_reversible(self):
        count = Theme.objects.count()
        load_themes(Theme)
        assert Theme.objects.count() == count
        unload_themes(Theme)
        assert not Theme.objects.exists()
        load_themes(Theme)
        assert Theme.objects.count() == count

    def test_suggestions_come_from_the_keywords_in_the_title(self):
        suggested = Theme.objects.suggested_for("Ökad trafiksäkerhet kring skolor")
        assert {theme.slug for theme in suggested} == {"trafiksakerhet", "barn-och-unga"}
        assert Theme.objects.suggested_for("Bedrägerier mot äldre")[0].slug == "bedragerier"
        assert Theme.objects.suggested_for("Något helt annat") == []


class ThemeAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user(is_staff=True, is_superuser=True)
        cls.promise = make_promise(status=Promise.Status.DRAFT, published_at=None)
        cls.area = make_focus_area(cls.promise, title="Trafiksäkerhet vid skolor")
        cls.traffic = Theme.objects.get(slug="trafiksakerhet")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_promise_page_offers_the_themes_and_names_the_suggested_ones(self):
        response = self.client.get(reverse("admin:promises_promise_change", args=[self.promise.pk]))
        self.assertContains(response, 'name="focus_areas-0-themes"', count=Theme.objects.count())
        self.assertContains(response, "Förslag utifrån rubriken: Trafiksäkerhet, Barn och unga.")
        # A hint only: nothing is ticked until the editor ticks it.
        self.assertNotContains(response, "checked")

    def test_an_editor_tags_a_focus_area(self):
        url = reverse("admin:promises_focusarea_change", args=[self.area.pk])
        response = self.client.post(
            url,
            {
                "promise": self.promise.pk,
                "order": 0,
                "title": self.area.title,
                "description": "",
                "themes": [self.traffic.pk],
            },
        )
        assert response.status_code == 302
        assert list(self.area.themes.all()) == [self.traffic]


class ThemeOnPromisePageTests(TestCase):
    def test_residents_see_the_theme_with_a_link_to_the_search(self):
        promise = make_promise()
        make_focus_area(
            promise, title="Trygga vägar", themes=[Theme.objects.get(slug="trafiksakerhet")]
        )
        response = self.client.get(promise.get_absolute_url())
        self.assertContains(response, f'href="{reverse("promises:search")}?theme=trafiksakerhet"')
        self.assertContains(response, "Trafiksäkerhet</a>")
        assert FocusArea.objects.filter(themes__slug="trafiksakerhet").count() == 1
