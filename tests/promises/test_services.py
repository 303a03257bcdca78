"""Publishing with joint sign-off: draft → in review → published → archived."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from promises import services
from promises.models import Membership, Promise
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)


class JointSignOffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.other_municipality = make_municipality(), make_municipality()
        cls.police_area = make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.other_coordinator = make_member(cls.other_municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)
        cls.viewer = make_member(cls.municipality, Membership.Role.VIEWER)

    def setUp(self):
        self.promise = make_promise(
            parties=[self.municipality, self.other_municipality, self.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        self.commitment = make_commitment(self.promise, [self.police_area])

    def _in_review(self):
        return services.submit_for_review(promise=self.promise, user=self.coordinator)

    def test_publishing_needs_both_sides(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        with pytest.raises(ValidationError, match="saknas: lokalpolisområde"):
            services.publish(promise=promise, user=self.coordinator)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.IN_REVIEW

        services.approve(promise=promise, user=self.police)
        services.publish(promise=promise, user=self.police)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.PUBLISHED
        assert Promise.objects.published().filter(pk=promise.pk).exists()

    def test_two_coordinators_are_still_one_side(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        with pytest.raises(ValidationError, match="redan godkänt"):
            services.approve(promise=promise, user=self.other_coordinator)
        assert promise.missing_approval_kinds() == ["police_area"]

    def test_a_change_after_approval_resets_it(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        assert promise.missing_approval_kinds() == []

        self.commitment.text = "Polisen ska göra något annat"
        self.commitment.save()
        assert promise.missing_approval_kinds() == ["municipality", "police_area"]
        with pytest.raises(ValidationError, match="saknas"):
            services.publish(promise=promise, user=self.coordinator)
        assert promise.approvals.count() == 2  # kept on record, but no longer counted

    def test_new_focus_area_or_owner_or_goal_resets_approvals(self):
        changes = [
            lambda: make_focus_area(self.promise),
            lambda: self.commitment.owners.add(self.municipality),
            lambda: Promise.objects.filter(pk=self.promise.pk).update(goal="Nytt mål"),
        ]
        promise = self._in_review()
        for change in changes:
            services.approve(promise=promise, user=self.police)
            change()
            promise.refresh_from_db()
            assert "police_area" in promise.missing_approval_kinds()

    def test_approvals_of_an_earlier_review_round_do_not_count(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        services.return_to_draft(promise=promise, user=self.police)
        promise = services.submit_for_review(promise=promise, user=self.coordinator)
        assert promise.missing_approval_kinds() == ["municipality", "police_area"]

    def test_who_may_take_which_step(self):
        with pytest.raises(PermissionDenied):
            services.submit_for_review(promise=self.promise, user=self.police)
        promise = self._in_review()
        with pytest.raises(PermissionDenied):
            services.approve(promise=promise, user=self.viewer)
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        with pytest.raises(PermissionDenied):
            services.publish(promise=promise, user=self.viewer)

    def test_wrong_state_is_a_clear_error(self):
        with pytest.raises(ValidationError, match="som granskas kan godkännas"):
            services.approve(promise=self.promise, user=self.coordinator)
        with pytest.raises(ValidationError, match="som granskas kan publiceras"):
            services.publish(promise=self.promise, user=self.coordinator)
        with pytest.raises(ValidationError, match="publicerat löfte kan arkiveras"):
            services.archive(promise=self.promise, user=self.police)

    def test_an_empty_promise_cannot_be_submitted(self):
        self.commitment.delete()
        with pytest.raises(ValidationError, match="minst ett åtagande"):
            self._in_review()

    def test_either_side_archives_and_it_is_recorded(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        services.publish(promise=promise, user=self.coordinator)
        services.archive(promise=promise, user=self.police)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.ARCHIVED
        assert self.client.get(promise.get_absolute_url()).status_code == 404
        steps = list(
            promise.history.exclude(history_change_reason=None)
            .order_by("history_date", "history_id")
            .values_list("history_change_reason", "history_user")
        )
        assert steps == [
            ("Skickad för granskning", self.coordinator.pk),
            ("Publicerad", self.coordinator.pk),
            ("Arkiverad", self.police.pk),
        ]


class WorkflowAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality, police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(police_area, Membership.Role.POLICE)
        cls.promise = make_promise(
            parties=[municipality, police_area], status=Promise.Status.DRAFT, published_at=None
        )
        make_commitment(cls.promise)

    def _url(self, action):
        return reverse("admin:promises_promise_workflow", args=[self.promise.pk, action])

    def test_buttons_offer_the_users_next_steps(self):
        change_url = reverse("admin:promises_promise_change", args=[self.promise.pk])
        self.client.force_login(self.coordinator)
        response = self.client.get(change_url)
        self.assertContains(response, self._url("submit"))
        self.assertNotContains(response, self._url("approve"))
        self.client.post(self._url("submit"))

        self.client.force_login(self.police)
        response = self.client.get(change_url)
        self.assertContains(response, self._url("approve"))
        self.assertNotContains(response, self._url("submit"))

    def test_publishing_too_early_shows_the_reason(self):
        self.client.force_login(self.coordinator)
        self.client.post(self._url("submit"))
        response = self.client.post(self._url("publish"), follow=True)
        self.assertContains(response, "saknas")
        self.promise.refresh_from_db()
        assert self.promise.status == Promise.Status.IN_REVIEW

    def test_steps_need_post_and_known_names(self):
        self.client.force_login(self.coordinator)
        assert self.client.get(self._url("submit")).status_code == 405
        assert self.client.post(self._url("nonsense")).status_code == 404

    def test_status_is_not_editable_in_the_form(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:promises_promise_change", args=[self.promise.pk]))
        assert "status" not in response.context["adminform"].form.fields

    def test_no_one_deletes_an_approval_of_a_promise_in_review(self):
        services.submit_for_review(promise=self.promise, user=self.coordinator)
        approval = services.approve(promise=self.promise, user=self.police)
        self.client.force_login(self.coordinator)
        url = reverse("admin:promises_promiseapproval_delete", args=[approval.pk])
        assert self.client.post(url, {"post": "yes"}).status_code == 403
        assert self.promise.approvals.filter(pk=approval.pk).exists()
