"""The overview page: a map of all 290 municipalities, each a link with an accessible name, a
table as its text alternative, the county and police-region tables, the years, only published
data, and a fixed number of queries whatever the country's size."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import FollowUpRound
from promises.models import Party, Promise, Theme
from tests.factories import make_focus_area, make_police_area, make_promise, make_round
from tests.shared_data import TEST_DAY

URL = "/oversikt/"
MAP_LINK = re.compile(r'<a href="(/kommun/[^"]+/)" aria-label="([^"]+)"><title>')


@time_machine.travel(TEST_DAY)
class OverviewPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom = Party.objects.get(slug="olofstrom")
        cls.gotland = Party.objects.get(slug="gotland")
        police = make_police_area()
        cls.traffic = Theme.objects.get(slug="trafiksakerhet")
        promise = make_promise(
            parties=[cls.olofstrom, police],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        make_focus_area(promise, title="Trafik", themes=[cls.traffic])
        make_round(
            promise,
            2026,
            3,
            state=FollowUpRound.State.PUBLISHED,
            published_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
        )
        draft = make_promise(
            parties=[cls.gotland, police],
            status=Promise.Status.DRAFT,
            published_at=None,
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 12, 31),
        )
        make_focus_area(draft, title="Hemligt", themes=[Theme.objects.get(slug="bedragerier")])

    def test_the_map_links_every_municipality_with_an_accessible_name(self):
        response = self.client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        links = MAP_LINK.findall(html)
        assert len(links) == 290
        assert len({href for href, _label in links}) == 290
        labels = dict(links)
        assert labels["/kommun/olofstrom/"] == "Olofström: ett aktuellt löfte"
        assert labels["/kommun/gotland/"] == "Gotland: inget aktuellt löfte"
        assert 'class="map-area map-area--current"' in html
        assert "<script" not in html
        assert "http" not in html.split('<svg class="overview-map__svg"')[1].split("</svg>")[0]

    def test_a_table_is_the_maps_text_alternative(self):
        table_url = reverse("overview:municipalities")
        self.assertContains(self.client.get(URL), f'<a href="{table_url}">Kartan som tabell</a>')
        response = self.client.get(table_url)
        html = response.content.decode()
        table = html.split('<table class="data-table" id="municipalities">')[1].split("</table>")[0]
        assert table.count('<th scope="row">') == 290
        assert '<a href="/kommun/olofstrom/">Olofström</a>' in table
        assert response.context["overview"].with_current_promise == 1

    def test_the_table_follows_the_theme_chosen_on_the_map(self):
        table_url = reverse("overview:municipalities") + "?theme=trafiksakerhet"
        self.assertContains(
            self.client.get(URL + "?theme=trafiksakerhet"), f'<a href="{table_url}">'
        )
        themed = self.client.get(table_url)
        self.assertContains(themed, "<title>Alla kommuner: Trafiksäkerhet")
        assert themed.context["overview"].with_current_promise == 1
        other = self.client.get(reverse("overview:municipalities") + "?theme=bedragerier")
        assert other.context["overview"].with_current_promise == 0

    def test_county_and_police_region_tables(self):
        response = self.client.get(URL)
        counties = {area.key: area for area in response.context["overview"].counties}
        assert counties["10"].with_current_promise == 1
        assert counties["10"].themes == [(self.traffic, 1)]
        # Q1–Q3 2026 were due; only Q3 was published, on time.
        assert (counties["10"].health.due, counties["10"].health.on_time) == (3, 1)
        self.assertContains(response, 'id="counties"')
        self.assertContains(response, 'id="police-regions"')
        self.assertContains(response, "Blekinge län")
        self.assertContains(response, 'id="years"')
        self.assertContains(response, 'role="img"')

    def test_unpublished_data_never_appears(self):
        response = self.client.get(URL)
        overview = response.context["overview"]
        gotland = next(row for row in overview.municipalities if row.slug == "gotland")
        assert not gotland.has_current_promise
        assert gotland.health.due == 0
        assert [row.year for row in overview.years] == [2026]
        self.assertNotContains(response, "Bedrägerier (")
        assert all(
            theme.slug != "bedragerier" for area in overview.counties for theme, _n in area.themes
        )

    def test_the_follow_up_map_and_a_theme(self):
        response = self.client.get(URL, {"map": "followup", "theme": "bedragerier"})
        assert response.status_code == 200
        assert response.context["theme"].slug == "bedragerier"
        assert response.context["overview"].with_current_promise == 0
        assert response.context["map"].kind == "followup"
        self.assertContains(response, "map-area--nothing_due", count=290 + 1)

    def test_an_unknown_choice_shows_the_whole_picture_and_says_why(self):
        response = self.client.get(URL, {"theme": "finns-inte"})
        assert response.status_code == 200
        assert response.context["theme"] is None
        assert response.context["form"].errors
        assert response.context["overview"].with_current_promise == 1

    def test_english(self):
        response = self.client.get("/en/oversikt/", {"theme": "trafiksakerhet"})
        self.assertContains(response, "National overview")
        self.assertContains(response, "Traffic safety")

    def test_downloads_are_offered(self):
        response = self.client.get(URL)
        for slug in ("overview-counties", "overview-police-regions", "overview-years"):
            for fmt in ("csv", "json"):
                self.assertContains(
                    response, reverse("opendata:download", kwargs={"dataset": slug, "fmt": fmt})
                )


def _country(promises):
    """`promises` published promises over the real municipalities, each with two themed focus
    areas and its rounds of 2026, some late, some missing."""
    municipalities = list(Party.objects.municipalities().order_by("municipality_code"))
    police = make_police_area()
    themes = list(Theme.objects.all())
    for n in range(promises):
        promise = make_promise(
            parties=[municipalities[n % 290], municipalities[(n * 7) % 290], police],
            valid_from=dt.date(2025 + n % 2, 1, 1),
            valid_until=dt.date(2026 + n % 3, 12, 31),
        )
        for index in range(2):
            make_focus_area(promise, themes=[themes[(n + index) % len(themes)]])
        for quarter in range(1, 1 + n % 4):
            make_round(promise, 2026, quarter, state=FollowUpRound.State.PUBLISHED)


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [2, 40])
@time_machine.travel(TEST_DAY)
def test_query_count_is_flat(client, django_assert_max_num_queries, promises):
    _country(promises)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"theme": "trafiksakerhet", "map": "followup"})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


@time_machine.travel(TEST_DAY)
class OverviewCacheTests(TestCase):
    def test_cached_for_readers_until_a_theme_is_tagged(self):
        promise = make_promise(parties=[Party.objects.get(slug="olofstrom"), make_police_area()])
        area = make_focus_area(promise, title="Nattvandring")
        first = self.client.get(URL)
        with self.assertNumQueries(0):
            assert self.client.get(URL).content == first.content
        area.themes.add(Theme.objects.get(slug="barn-och-unga"))
        fresh = self.client.get(URL)
        assert fresh["ETag"] != first["ETag"]
        counties = {area.key: area for area in fresh.context["overview"].counties}
        assert [theme.slug for theme, _n in counties["10"].themes] == ["barn-och-unga"]


@time_machine.travel(TEST_DAY)
@override_settings(PAGE_CACHE_SECONDS=0)
class OverviewFragmentTests(TestCase):
    """Rendered fresh (the page cache cold), the overview's body is precomputed: it costs no
    query, until a write changes the figures."""

    @classmethod
    def setUpTestData(cls):
        cls.police = make_police_area()
        make_promise(
            parties=[Party.objects.get(slug="olofstrom"), cls.police],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )

    def test_a_stored_body_costs_no_query_and_a_publish_renders_it_anew(self):
        first = self.client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get(URL)
        assert len(queries) == 0  # the title's theme is kept with the body
        assert again.content == first.content
        assert "Gotland: inget aktuellt löfte" in again.content.decode()

        make_promise(
            parties=[Party.objects.get(slug="gotland"), self.police],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        assert "Gotland: ett aktuellt löfte" in self.client.get(URL).content.decode()

    def test_a_stored_body_of_a_theme_keeps_the_theme_in_the_title(self):
        url = f"{URL}?theme=trafiksakerhet"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = self.client.get(url)
        assert len(queries) == 0
        self.assertContains(again, "<title>Översikt över landet: Trafiksäkerhet")
