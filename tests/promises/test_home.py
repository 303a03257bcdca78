"""The home page stays the same size for the whole country: the newest promises and a national
picture by police region, not every promise."""

import pytest
from django.test import TestCase
from django.urls import reverse

from promises.models import Party, Promise
from promises.views import NEWEST_ON_HOME
from tests.factories import make_municipality, make_police_area, make_promise


class HomeNationalPictureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.police_area = make_police_area()
        cls.with_promise = make_municipality(police_region="Syd")
        cls.draft_only = make_municipality(police_region="Syd")
        make_promise(parties=[cls.with_promise, cls.police_area])
        make_promise(
            parties=[cls.draft_only, cls.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
        )

    def test_counts_municipalities_with_a_current_promise_per_region(self):
        response = self.client.get(reverse("promises:home"))
        picture = response.context["national_picture"]
        south = next(row for row in picture["regions"] if row["label"] == "Syd")
        in_south = Party.objects.municipalities().filter(police_region="Syd").count()
        assert south == {"label": "Syd", "municipalities": in_south, "with_promise": 1}
        assert picture["municipalities"] == Party.objects.municipalities().count()
        assert picture["with_promise"] == 1
        self.assertContains(
            response, f"1 av {picture['municipalities']} kommuner har ett gällande medborgarlöfte"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [3, 30])
def test_home_lists_only_the_newest_promises(client, django_assert_max_num_queries, promises):
    for _ in range(promises):
        make_promise()
    with django_assert_max_num_queries(7):
        response = client.get(reverse("promises:home"))
    shown = list(response.context["newest_promises"])
    assert len(shown) == min(promises, NEWEST_ON_HOME)
    newest = Promise.objects.order_by("-published_at", "title")[: len(shown)]
    assert [promise.pk for promise in shown] == [promise.pk for promise in newest]
