"""Issue 15: the public situation picture shows the decided action plans and links its places to
a public map; the places' coordinates are open data."""

import datetime as dt
import json

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_action_plan,
    make_commitment,
    make_municipality,
    make_place,
    make_police_area,
    make_problem,
    make_promise,
    make_situation_picture,
)


def situation_url(municipality):
    return reverse("situation:municipality_situation", args=[municipality.slug])


class ActionPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Planby")
        today = timezone.localdate()
        cls.picture = make_situation_picture([cls.municipality])
        promise = make_promise(parties=[cls.municipality, make_police_area()])
        cls.commitment = make_commitment(promise, text="Fler vuxna i centrum på kvällen.")
        draft = make_promise(status="draft", published_at=None)
        cls.draft_commitment = make_commitment(draft, text="Utkastets åtagande")
        cls.plan = make_action_plan(
            cls.municipality,
            title="Åtgärdsplan för Planby",
            decided_by="Kommunstyrelsen",
            decided_on=dt.date(today.year - 1, 12, 9),
            valid_from=today.replace(month=1, day=1),
            valid_until=today.replace(year=today.year + 1, month=12, day=31),
            summary="Vad kommunen gör mot problemen.",
        )
        cls.plan.commitments.set([cls.commitment, cls.draft_commitment])
        make_action_plan(cls.municipality, title="Utkast till plan", decided_on=None)
        make_action_plan(
            cls.municipality, title="Plan beslutas i morgon", decided_on=today + dt.timedelta(1)
        )
        make_action_plan(
            cls.municipality,
            title="Plan för en annan period",
            decided_on=dt.date(2010, 1, 1),
            valid_from=dt.date(2010, 1, 1),
            valid_until=dt.date(2011, 12, 31),
        )
        make_action_plan(make_municipality(), title="Grannkommunens plan", decided_on=today)

    def test_a_decided_plan_with_its_decision_period_and_commitments(self):
        response = self.client.get(situation_url(self.municipality))
        self.assertContains(response, "Åtgärdsplan för Planby")
        self.assertContains(response, "Kommunstyrelsen")
        decided = self.plan.decided_on
        self.assertContains(response, f'<time datetime="{decided:%Y-%m-%d}">')
        self.assertContains(response, f'<time datetime="{self.plan.valid_until:%Y-%m-%d}">')
        self.assertContains(response, "Vad kommunen gör mot problemen.")
        self.assertContains(
            response,
            f'href="{self.commitment.promise.get_absolute_url()}#commitment-{self.commitment.pk}"',
        )

    def test_drafts_plans_of_other_periods_or_places_and_unpublished_promises_stay_out(self):
        response = self.client.get(situation_url(self.municipality))
        for hidden in (
            "Utkast till plan",
            "Plan beslutas i morgon",
            "Plan för en annan period",
            "Grannkommunens plan",
            "Utkastets åtagande",
        ):
            self.assertNotContains(response, hidden)

    def test_english(self):
        response = self.client.get("/en" + situation_url(self.municipality))
        self.assertContains(response, "Action plans")
        self.assertContains(response, "The commitments it carries out")


class PlaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Kartby")
        picture = make_situation_picture([cls.municipality])
        cls.problem = make_problem(picture, title="Otrygg plats")
        cls.square = make_place(
            cls.municipality, name="Stortorget", latitude="56.27680", longitude="14.53080"
        )
        cls.alley = make_place(cls.municipality, name="Gränden")
        cls.problem.places.set([cls.square, cls.alley])
        internal = make_problem(picture, title="Intern", visibility="internal")
        internal.places.set([make_place(cls.municipality, name="Hemlig plats")])

    def test_a_place_with_coordinates_links_to_openstreetmap_and_nothing_is_fetched(self):
        url = "https://www.openstreetmap.org/?mlat=56.27680&amp;mlon=14.53080#map=16/56.27680/14.53080"
        for page in (situation_url(self.municipality), self.problem.get_absolute_url()):
            content = self.client.get(page).content.decode()
            assert content.count(f'href="{url}"') == 1, page
            # A plain link: no image, frame or script from the map site.
            assert content.count("openstreetmap.org") == 1, page

    def test_places_dataset_has_public_places_with_coordinates(self):
        url = reverse("opendata:download", kwargs={"dataset": "places", "fmt": "json"})
        response = self.client.get(url)
        rows = json.loads(b"".join(response.streaming_content))["rows"]
        assert [(r["name"], r["latitude"], r["longitude"]) for r in rows] == [
            ("Gränden", None, None),
            ("Stortorget", 56.2768, 14.5308),
        ]
        assert rows[1]["municipality_code"] == self.municipality.municipality_code
        assert rows[1]["kind"] == "other"


@pytest.mark.django_db
@pytest.mark.parametrize("plans", [1, 8])
def test_situation_page_with_plans_query_count_does_not_grow(
    client, django_assert_max_num_queries, plans
):
    municipality = make_municipality()
    make_situation_picture([municipality])
    promise = make_promise(parties=[municipality, make_police_area()])
    for _ in range(plans):
        plan = make_action_plan(
            municipality,
            decided_on=dt.date(2020, 1, 1),
            valid_from=dt.date(2020, 1, 1),
            valid_until=dt.date(2099, 12, 31),
        )
        plan.commitments.set([make_commitment(promise), make_commitment(promise)])
    with django_assert_max_num_queries(10):
        response = client.get(situation_url(municipality))
    assert response.content.decode().count('class="card" id="action-plan-') == plans
