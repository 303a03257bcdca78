"""Every change is on record, with a field-level diff, and only for the parties' members."""

from django.test import TestCase
from django.urls import reverse

from promises import services
from promises.models import Membership, Promise
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)
from tests.promises.test_permissions import promise_form_data


class AdminHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.viewer = make_member(cls.municipality, Membership.Role.VIEWER)
        cls.stranger = make_member(make_municipality(), Membership.Role.COORDINATOR)
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
            goal="Gammalt mål",
        )
        cls.commitment = make_commitment(cls.promise, [cls.police_area])

    def _history_url(self, obj):
        return reverse(f"admin:promises_{obj._meta.model_name}_history", args=[obj.pk])

    def test_each_change_writes_a_history_row_with_who_and_the_diff(self):
        self.client.force_login(self.coordinator)
        before = self.promise.history.count()
        response = self.client.post(
            reverse("admin:promises_promise_change", args=[self.promise.pk]),
            promise_form_data(self.promise, goal="Nytt mål"),
        )
        assert response.status_code == 302
        latest = self.promise.history.latest()
        assert self.promise.history.count() == before + 1
        assert latest.history_user == self.coordinator
        delta = latest.diff_against(latest.prev_record)
        assert delta.changed_fields == ["goal"]

        response = self.client.get(self._history_url(self.promise))
        self.assertContains(response, "Gammalt mål")
        self.assertContains(response, "Nytt mål")

    def test_changes_of_commitment_owners_are_recorded(self):
        self.commitment.owners.add(self.municipality)
        latest = self.commitment.history.latest()
        delta = latest.diff_against(latest.prev_record)
        assert delta.changed_fields == ["owners"]

    def test_publishing_steps_are_in_the_history(self):
        services.submit_for_review(promise=self.promise, user=self.coordinator)
        self.client.force_login(self.viewer)
        response = self.client.get(self._history_url(self.promise))
        self.assertContains(response, "Skickad för granskning")

    def test_others_history_is_not_found(self):
        self.client.force_login(self.stranger)
        version = self.promise.history.latest()
        for url in (
            self._history_url(self.promise),
            self._history_url(self.commitment),
            reverse("admin:promises_promise_simple_history", args=[self.promise.pk, version.pk]),
        ):
            assert self.client.get(url).status_code == 404, url

    def test_viewers_cannot_revert_to_an_old_version(self):
        old = self.promise.history.earliest()
        Promise.objects.filter(pk=self.promise.pk).update(goal="Senare mål")
        url = reverse("admin:promises_promise_simple_history", args=[self.promise.pk, old.pk])
        self.client.force_login(self.viewer)
        assert self.client.get(url).status_code == 200
        response = self.client.post(url, promise_form_data(self.promise, goal=old.goal))
        assert response.status_code == 403
        self.promise.refresh_from_db()
        assert self.promise.goal == "Senare mål"

    def test_no_one_restores_an_old_version_past_the_sign_off(self):
        # A version saved while published must not come back online with new content.
        published = make_promise(parties=[self.municipality, self.police_area], goal="Publicerat")
        version = published.history.latest()
        Promise.objects.filter(pk=published.pk).update(
            status=Promise.Status.DRAFT, published_at=None
        )
        url = reverse("admin:promises_promise_simple_history", args=[published.pk, version.pk])
        self.client.force_login(self.coordinator)
        page = self.client.get(url)
        assert page.status_code == 200
        self.assertNotContains(page, "Återställ")  # the revert button
        data = promise_form_data(published, goal="Nytt innehåll") | {"status": "published"}
        assert self.client.post(url, data).status_code == 403
        published.refresh_from_db()
        assert (published.status, published.goal) == (Promise.Status.DRAFT, "Publicerat")
        assert self.client.get(published.get_absolute_url()).status_code == 404
