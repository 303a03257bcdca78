import re

from django.test import TestCase


def switch_target(response):
    """Where the language switch on the page leads."""
    nav = re.search(r'<nav class="language-switch".*?</nav>', response.content.decode(), re.S)
    return re.search(r'href="([^"]*)"', nav.group(0)).group(1)


class LanguageSwitchTests(TestCase):
    def test_swedish_page_links_to_the_same_page_in_english(self):
        page = self.client.get("/kommun/olofstrom/")
        assert switch_target(page) == "/en/kommun/olofstrom/"
        # The address decides the language, whatever the browser prefers.
        english = self.client.get(switch_target(page), HTTP_ACCEPT_LANGUAGE="sv")
        self.assertContains(english, '<html lang="en">')

    def test_english_page_links_back_to_swedish(self):
        page = self.client.get("/en/kommun/olofstrom/")
        assert switch_target(page) == "/kommun/olofstrom/"
        swedish = self.client.get(switch_target(page), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(swedish, '<html lang="sv">')

    def test_switch_keeps_the_query_string(self):
        page = self.client.get("/sok/", {"q": "trafik", "period": "current"})
        assert switch_target(page) == "/en/sok/?q=trafik&amp;period=current"

    def test_unknown_page_switches_to_itself(self):
        page = self.client.get("/finns-inte/")
        assert page.status_code == 404
        assert switch_target(page) == "/finns-inte/"
