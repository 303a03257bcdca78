import re
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from tests.factories import make_promise


class PublicPageStructureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise()

    def urls(self):
        return [
            reverse("promises:home"),
            reverse("promises:search") + "?q=trygg",
            reverse("promises:archive"),
            reverse("promises:municipality_find"),
            self.promise.get_absolute_url(),
            self.promise.municipalities()[0].get_absolute_url(),
            reverse("reports:error_report"),
            reverse("reports:unsafe_place_report"),
            reverse("accessibility"),
            reverse("privacy"),
        ]

    def test_landmarks_one_h1_and_skip_link_on_every_page(self):
        for url in self.urls():
            response = self.client.get(url)
            assert response.status_code == 200, url
            content = response.content.decode()
            assert content.count("<h1") == 1, url
            assert '<a class="skip-link" href="#main">' in content, url
            assert '<main id="main"' in content, url
            assert re.search(r'<nav class="site-nav" aria-label="[^"]+">', content), url
            assert "<footer" in content and "<header" in content, url

    def test_footer_links_to_reports_statement_and_privacy(self):
        response = self.client.get(self.promise.get_absolute_url())
        page = self.promise.get_absolute_url()
        self.assertContains(response, f'href="{reverse("reports:error_report")}?page={page}"')
        self.assertContains(response, f'href="{reverse("accessibility")}"')
        self.assertContains(response, f'href="{reverse("privacy")}"')

    def test_nothing_is_loaded_from_another_site(self):
        for url in self.urls():
            content = self.client.get(url).content.decode()
            loaded = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', content)
            # Canonical and language links name this site absolutely; nothing names another.
            hosts = {urlsplit(address).netloc for address in loaded} - {"", "testserver"}
            assert hosts == set(), (url, loaded)

    def test_no_cookie_for_someone_who_only_reads(self):
        # Only the report forms need one: CSRF protection of what they send.
        for url in self.urls():
            if not url.startswith("/rapportera/"):
                assert not self.client.get(url).cookies, url

    def test_accessibility_statement_names_the_supervisory_authority(self):
        response = self.client.get(reverse("accessibility"))
        self.assertContains(response, "Digg")
        self.assertContains(response, "WCAG")


class ComponentTests(TestCase):
    def test_status_is_text_with_an_icon(self):
        html = render_to_string("includes/status.html", {"value": "done", "label": "Klar"})
        self.assertInHTML(
            '<span class="status status--done">'
            '<span class="status__icon" aria-hidden="true"></span>Klar</span>',
            html,
        )

    def test_progress_writes_its_value_out(self):
        with translation.override("en"):
            html = render_to_string(
                "includes/progress.html", {"value": 3, "max": 12, "label": "Genomförda"}
            )
        assert "Genomförda: 3 of 12 (25 %)" in " ".join(html.split())
        self.assertInHTML(
            '<progress class="progress__bar" value="3" max="12" aria-hidden="true"></progress>',
            html,
        )
