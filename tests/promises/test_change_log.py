"""Residents see when a promise last changed and a change log of its published versions."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from promises import services
from promises.models import Membership, Promise
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_partner,
    make_police_area,
    make_promise,
)


class PublicChangeLogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality, police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(
            municipality, Membership.Role.COORDINATOR, first_name="Hemlig", last_name="Person"
        )
        cls.police = make_member(police_area, Membership.Role.POLICE)
        cls.promise = make_promise(
            parties=[municipality, police_area], status=Promise.Status.DRAFT, published_at=None
        )
        cls.commitment = make_commitment(cls.promise)

    def _publish(self):
        promise = services.submit_for_review(promise=self.promise, user=self.coordinator)
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        return services.publish(promise=promise, user=self.police)

    def test_a_republished_version_lists_what_changed(self):
        first = self._publish()
        services.archive(promise=self.promise, user=self.coordinator)
        promise = services.return_to_draft(
            promise=self.promise, user=self.coordinator, comment="Rätta"
        )
        promise.goal = "Ett skarpare mål"
        promise.save()
        self.commitment.text = "Ett nytt åtagande"
        self.commitment.save()
        self.promise.refresh_from_db()
        second = self._publish()

        versions = second.published_versions()
        assert [published_at for published_at, _changed, _note in versions] == [
            second.published_at,
            first.published_at,
        ]
        assert [str(label) for label in versions[0][1]] == ["mål", "åtaganden"]
        assert versions[1][1] == []

        response = self.client.get(second.get_absolute_url())
        self.assertContains(response, "mål, åtaganden")
        self.assertContains(response, "först publicerat")
        # To the second: HTML allows no microseconds (the Nu HTML Checker rejects them).
        published = timezone.localtime(second.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")
        self.assertContains(response, f'datetime="{published}"')
        self.assertNotContains(response, "Hemlig")
        self.assertNotContains(response, self.coordinator.username)

    def test_a_change_of_parties_is_listed(self):
        self._publish()
        services.archive(promise=self.promise, user=self.coordinator)
        promise = services.return_to_draft(
            promise=self.promise, user=self.coordinator, comment="Rätta"
        )
        promise.parties.add(make_partner())  # named, not signing
        second = self._publish()

        versions = second.published_versions()
        assert [str(label) for label in versions[0][1]] == ["parter"]
        assert versions[1][1] == []
        self.assertContains(self.client.get(second.get_absolute_url()), "ändrat: parter")

    def test_a_promise_published_once_shows_its_publication(self):
        promise = self._publish()
        response = self.client.get(promise.get_absolute_url())
        self.assertContains(response, "först publicerat")
        assert response.context["last_updated"] == promise.published_at


@pytest.mark.django_db
@pytest.mark.parametrize("versions", [2, 12])
def test_change_log_query_count_does_not_grow(client, django_assert_max_num_queries, versions):
    promise = make_promise(parties=[make_municipality(), make_police_area()])
    make_commitment(promise)
    for n in range(versions):
        promise.published_at = timezone.now() - dt.timedelta(hours=versions - n)
        promise.save()
        promise.parties.add(make_municipality())
    # The detail page's queries plus, once there is more than one version, one each for the
    # history of focus areas, of commitments and of parties.
    with django_assert_max_num_queries(12):
        response = client.get(promise.get_absolute_url())
    assert len(response.context["versions"]) == versions + 1
    assert [str(label) for label in response.context["versions"][0][1]] == ["parter"]
