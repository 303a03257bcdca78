import xml.etree.ElementTree as ET
from unittest.mock import patch

from django.test import TestCase
from django.urls import reverse

from config.urls import SITEMAPS
from promises.sitemaps import PromiseSitemap
from tests.factories import make_municipality, make_police_area, make_promise

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(slug="olofstrom-test")
        cls.police = make_police_area()
        cls.promise = make_promise(parties=[cls.municipality, cls.police], slug="publicerat")
        cls.silent_municipality = make_municipality(slug="utan-lofte")
        make_promise(
            parties=[cls.silent_municipality, cls.police],
            slug="hemligt-utkast",
            status="draft",
            published_at=None,
        )

    def _locations(self):
        # /sitemap.xml is an index: the addresses are in the pages it lists.
        index = self.client.get("/sitemap.xml")
        assert index.status_code == 200
        locations = []
        for page in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS):
            response = self.client.get(page.text)
            assert response.status_code == 200
            assert response["Content-Type"].startswith("application/xml")
            root = ET.fromstring(response.content)
            locations += [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
        return locations

    def test_lists_home_published_promises_and_their_municipalities_in_both_languages(self):
        locations = self._locations()
        for path in ["/", "/lofte/publicerat/", "/kommun/olofstrom-test/"]:
            assert f"http://testserver{path}" in locations
            assert f"http://testserver/en{path}" in locations

    def test_leaves_out_drafts_and_municipalities_without_published_promises(self):
        locations = " ".join(self._locations())
        assert "hemligt-utkast" not in locations
        assert "utan-lofte" not in locations

    def test_names_the_other_language_as_alternate(self):
        response = self.client.get("/sitemap-promises.xml")
        self.assertContains(
            response,
            '<xhtml:link rel="alternate" hreflang="en" '
            'href="http://testserver/en/lofte/publicerat/"/>',
        )


class SitemapIndexTests(TestCase):
    def _entries(self, url, tag):
        response = self.client.get(url)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        return [loc.text for loc in root.findall(f"s:{tag}/s:loc", SITEMAP_NS)]

    def test_the_index_lists_a_page_per_section(self):
        make_promise(slug="publicerat")
        assert self._entries("/sitemap.xml", "sitemap") == [
            f"http://testserver/sitemap-{section}.xml"
            for section in ["home", "overview", "opendata", "municipalities", "promises"]
        ]

    def test_the_overview_and_its_table_are_listed_in_both_languages(self):
        entries = self._entries("/sitemap-overview.xml", "url")
        for prefix in ("", "/en"):
            assert f"http://testserver{prefix}/oversikt/" in entries
            assert f"http://testserver{prefix}/oversikt/kommuner/" in entries

    def test_a_section_larger_than_the_limit_is_split_into_pages(self):
        municipality, police = make_municipality(), make_police_area()
        for n in range(3):
            make_promise(parties=[municipality, police], slug=f"lofte-{n}")
        with patch.object(PromiseSitemap, "limit", 4):
            pages = [url for url in self._entries("/sitemap.xml", "sitemap") if "promises" in url]
            # Three promises in two languages: six entries, four on a page.
            assert pages == [
                "http://testserver/sitemap-promises.xml",
                "http://testserver/sitemap-promises.xml?p=2",
            ]
            first, second = (self._entries(page, "url") for page in pages)
        assert len(first) == 4
        assert len(second) == 2
        assert len(set(first + second)) == 6

    def test_no_page_holds_more_than_the_protocol_allows(self):
        assert all(sitemap.limit <= 50_000 for sitemap in SITEMAPS.values())


class RobotsTests(TestCase):
    def test_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "User-agent: *" in lines
        assert "Disallow: /admin/" in lines
        assert "Disallow: /en/admin/" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines


class HeadMetadataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise(
            slug="tryggt", title="Tryggt i centrum", summary="Fler vuxna ute på kvällarna."
        )

    def test_promise_page_has_canonical_alternates_and_open_graph(self):
        response = self.client.get("/lofte/tryggt/?utm_source=x")
        url = "http://testserver/lofte/tryggt/"
        for tag in [
            f'<link rel="canonical" href="{url}">',
            f'<link rel="alternate" hreflang="sv" href="{url}">',
            '<link rel="alternate" hreflang="en" href="http://testserver/en/lofte/tryggt/">',
            f'<link rel="alternate" hreflang="x-default" href="{url}">',
            '<meta property="og:type" content="article">',
            '<meta property="og:title" content="Tryggt i centrum">',
            '<meta property="og:description" content="Fler vuxna ute på kvällarna.">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:locale" content="sv_SE">',
            '<meta property="og:locale:alternate" content="en_GB">',
        ]:
            self.assertContains(response, tag, html=True)

    def test_english_page_is_its_own_canonical_with_english_locale(self):
        response = self.client.get("/en/lofte/tryggt/")
        self.assertContains(
            response,
            '<link rel="canonical" href="http://testserver/en/lofte/tryggt/">',
            html=True,
        )
        self.assertContains(response, '<meta property="og:locale" content="en_GB">', html=True)

    def test_other_pages_describe_the_site(self):
        response = self.client.get(reverse("promises:home"))
        self.assertContains(response, '<meta property="og:type" content="website">', html=True)
        self.assertContains(
            response, '<meta property="og:title" content="Löftesportalen">', html=True
        )
        self.assertContains(response, '<link rel="canonical" href="http://testserver/">', html=True)
