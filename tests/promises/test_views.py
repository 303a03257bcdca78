import pytest
from django.test import TestCase
from django.urls import reverse

from promises.models import Promise
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
)


class PromiseDetailViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Olofström-test")
        cls.police = make_police_area()
        cls.promise = make_promise(parties=[cls.municipality, cls.police], title="Tryggt löfte")
        cls.area = make_focus_area(cls.promise, title="Trafiksäkerhet")
        make_commitment(cls.promise, [cls.police], focus_area=cls.area, text="Polisen kör")
        make_commitment(
            cls.promise, [cls.municipality], focus_area=cls.area, text="Kommunen bygger"
        )
        make_commitment(cls.promise, [cls.municipality, cls.police], text="Vi samverkar")

    def test_shows_focus_areas_and_commitments_grouped_by_owner(self):
        response = self.client.get(self.promise.get_absolute_url())
        self.assertContains(response, "<h1>Tryggt löfte</h1>", html=True)
        self.assertContains(response, "Trafiksäkerhet")
        content = response.content.decode()
        assert content.index("Polisen kör") < content.index("Kommunen bygger")
        assert content.index("Kommunen bygger") < content.index("Vi samverkar")
        self.assertContains(response, "owner-group--police")
        self.assertContains(response, "owner-group--joint")

    def test_draft_in_review_and_archived_are_not_found(self):
        for status in (Promise.Status.DRAFT, Promise.Status.IN_REVIEW, Promise.Status.ARCHIVED):
            promise = make_promise(
                status=status, published_at=None if status != "archived" else None
            )
            response = self.client.get(promise.get_absolute_url())
            assert response.status_code == 404, status

    def test_municipality_page_lists_only_published_promises(self):
        make_promise(
            parties=[self.municipality, self.police],
            status="draft",
            published_at=None,
            title="Hemligt utkast",
        )
        response = self.client.get(self.municipality.get_absolute_url())
        self.assertContains(response, "Tryggt löfte")
        self.assertNotContains(response, "Hemligt utkast")

    def test_home_lists_current_promises_by_municipality(self):
        make_promise(status="draft", published_at=None, title="Hemligt utkast")
        response = self.client.get(reverse("promises:home"))
        self.assertContains(response, "Tryggt löfte")
        self.assertContains(response, self.municipality.get_absolute_url())
        self.assertNotContains(response, "Hemligt utkast")


@pytest.mark.django_db
@pytest.mark.parametrize("commitments", [3, 60])
def test_promise_detail_query_count_does_not_grow(
    client, django_assert_max_num_queries, commitments
):
    municipality, police = make_municipality(), make_police_area()
    promise = make_promise(parties=[municipality, police])
    areas = [make_focus_area(promise) for _ in range(3)]
    for i in range(commitments):
        make_commitment(
            promise, [police] if i % 2 else [municipality, police], focus_area=areas[i % 3]
        )
    # Ten, and one for the focus areas' themes.
    with django_assert_max_num_queries(11):
        response = client.get(promise.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="commitment"') == commitments


@pytest.mark.django_db
def test_home_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(12):
        make_promise()
    # One of them is the follow-up app's latest rounds (templates/includes/latest_followup.html).
    with django_assert_max_num_queries(7):
        response = client.get(reverse("promises:home"))
    assert response.status_code == 200
