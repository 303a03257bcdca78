import re

from django.conf import settings
from django.test import TestCase
from django.urls import reverse


def switch_target(response):
    """The `next` address the language switch on the page posts."""
    return re.search(r'name="next" value="([^"]*)"', response.content.decode()).group(1)


class LanguageSwitchTests(TestCase):
    def switch(self, next_url, language, **extra):
        return self.client.post(
            reverse("set_language"), {"next": next_url, "language": language}, **extra
        )

    def test_swedish_page_switches_to_the_same_page_in_english(self):
        page = self.client.get("/kommun/olofstrom/")
        assert switch_target(page) == "/en/kommun/olofstrom/"
        # even when the browser's own language is English, which set_language resolves in
        response = self.switch(switch_target(page), "en", HTTP_ACCEPT_LANGUAGE="en")
        self.assertRedirects(response, "/en/kommun/olofstrom/")
        english = self.client.get(response["Location"])
        self.assertContains(english, '<html lang="en">')

    def test_english_page_switches_back_to_swedish(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get("/en/kommun/olofstrom/")
        assert switch_target(page) == "/kommun/olofstrom/"
        response = self.switch(switch_target(page), "sv")
        self.assertRedirects(response, "/kommun/olofstrom/", fetch_redirect_response=False)
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
        self.assertContains(self.client.get("/kommun/olofstrom/"), '<html lang="sv">')

    def test_switch_keeps_the_query_string(self):
        page = self.client.get("/sok/", {"q": "trafik", "period": "current"})
        assert switch_target(page) == "/en/sok/?q=trafik&amp;period=current"

    def test_unknown_page_switches_to_itself(self):
        page = self.client.get("/finns-inte/")
        assert page.status_code == 404
        assert switch_target(page) == "/finns-inte/"
