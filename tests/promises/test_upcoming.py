"""A promise signed in December for January is published before its period starts."""

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from tests.factories import make_municipality, make_police_area, make_promise


def _next_year():
    year = timezone.localdate().year + 1
    return {"valid_from": dt.date(year, 1, 1), "valid_until": dt.date(year, 12, 31)}


class UpcomingPromiseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Kommande kommun")
        cls.police = make_police_area()
        parties = [cls.municipality, cls.police]
        cls.current = make_promise(parties=parties, title="Pågående löfte")
        cls.upcoming = make_promise(parties=parties, title="Nästa års löfte", **_next_year())
        cls.draft = make_promise(
            parties=parties,
            title="Hemligt kommande utkast",
            status=Promise.Status.DRAFT,
            published_at=None,
            **_next_year(),
        )

    def test_upcoming_is_published_and_not_started(self):
        assert list(Promise.objects.upcoming()) == [self.upcoming]
        assert self.upcoming not in Promise.objects.current()
        assert self.upcoming not in Promise.objects.earlier()

    def test_municipality_page_has_a_section_of_upcoming_promises(self):
        response = self.client.get(self.municipality.get_absolute_url())
        self.assertContains(response, '<h2 id="upcoming-heading">Kommande löften</h2>', html=True)
        assert list(response.context["upcoming_promises"]) == [self.upcoming]
        assert list(response.context["current_promises"]) == [self.current]
        self.assertNotContains(response, "Hemligt kommande utkast")

    def test_home_lists_upcoming_promises_with_their_start(self):
        response = self.client.get(reverse("promises:home"))
        content = response.content.decode()
        assert content.count("<h1") == 1
        self.assertContains(response, "Nästa års löfte")
        self.assertContains(response, "Pågående löfte")
        start = f"{self.upcoming.valid_from:%Y-%m-%d}"
        self.assertContains(response, f'från <time datetime="{start}">')
        self.assertNotContains(response, "Hemligt kommande utkast")


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [2, 30])
def test_municipality_query_count_does_not_grow(client, django_assert_max_num_queries, promises):
    municipality, police = make_municipality(), make_police_area()
    for _ in range(promises):
        make_promise(parties=[municipality, police])
        make_promise(parties=[municipality, police], **_next_year())
        make_promise(
            parties=[municipality, police],
            valid_from=dt.date(2000, 1, 1),
            valid_until=dt.date(2000, 12, 31),
        )
    # The municipality, current and upcoming promises, earlier ones, each with their parties,
    # and the counts of what came of residents' reports.
    with django_assert_max_num_queries(8):
        response = client.get(municipality.get_absolute_url())
    assert len(response.context["upcoming_promises"]) == promises

    def test_its_page_and_card_call_it_upcoming_not_earlier(self):
        page = self.client.get(self.upcoming.get_absolute_url())
        self.assertContains(page, '<span class="badge">kommande</span>', html=True)
        self.assertNotContains(page, "tidigare period")
        card = self.client.get(reverse("promises:promise_card", args=[self.upcoming.slug]))
        self.assertContains(card, "Kommande")
        self.assertNotContains(card, "Tidigare period")
