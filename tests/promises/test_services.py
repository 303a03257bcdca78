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
    make_partner,
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

    def _missing(self, promise):
        return {party.pk for party in promise.missing_signatures()}

    def test_publishing_needs_every_party(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.other_coordinator)
        with pytest.raises(ValidationError, match=f"saknas: {self.police_area.name}"):
            services.publish(promise=promise, user=self.coordinator)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.IN_REVIEW

        services.approve(promise=promise, user=self.police)
        services.publish(promise=promise, user=self.police)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.PUBLISHED
        assert Promise.objects.published().filter(pk=promise.pk).exists()

    def test_one_municipality_cannot_publish_in_anothers_name(self):
        """Olofström and the police sign; Sölvesborg, also named, has not: no publishing."""
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        assert self._missing(promise) == {self.other_municipality.pk}
        with pytest.raises(ValidationError, match=f"saknas: {self.other_municipality.name}"):
            services.publish(promise=promise, user=self.coordinator)
        promise.refresh_from_db()
        assert promise.status == Promise.Status.IN_REVIEW
        assert not Promise.objects.published().filter(pk=promise.pk).exists()
        assert self.client.get(self.other_municipality.get_absolute_url()).status_code == 200
        self.assertNotContains(
            self.client.get(self.other_municipality.get_absolute_url()), promise.title
        )
        # The sign-off panel names, per party, who signed which version.
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("admin:promises_promise_change", args=[promise.pk]))
        panel = (
            page.content.decode().split("<caption>Underskrifter</caption>")[1].split("</table>")[0]
        )
        assert panel.count("<tr>") == 4  # a header row and one per signing party
        assert self.other_municipality.name in panel and "inte godkänt" in panel
        assert self.coordinator.username in panel and self.police.username in panel
        assert panel.count("den här versionen") == 2

    def test_a_party_signs_a_version_once(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        with pytest.raises(ValidationError, match="redan godkänt"):
            services.approve(promise=promise, user=self.coordinator)
        assert promise.approvals.count() == 1

    def test_partners_are_named_but_do_not_sign(self):
        partner = make_partner()
        self.promise.parties.add(partner)
        partner_member = make_member(partner, Membership.Role.COORDINATOR)
        promise = self._in_review()
        assert partner not in promise.signing_parties()
        with pytest.raises(PermissionDenied):
            services.approve(promise=promise, user=partner_member)
        for user in (self.coordinator, self.other_coordinator, self.police):
            services.approve(promise=promise, user=user)
        services.publish(promise=promise, user=self.police)
        assert Promise.objects.published().filter(pk=promise.pk).exists()

    def test_a_coordinator_of_two_municipalities_signs_for_both(self):
        Membership.objects.create(
            user=self.coordinator, party=self.other_municipality, role=Membership.Role.COORDINATOR
        )
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        assert self._missing(promise) == {self.police_area.pk}

    def test_a_change_after_approval_resets_it(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.other_coordinator)
        services.approve(promise=promise, user=self.police)
        assert promise.missing_signatures() == []

        self.commitment.text = "Polisen ska göra något annat"
        self.commitment.save()
        assert len(promise.missing_signatures()) == 3
        with pytest.raises(ValidationError, match="saknas"):
            services.publish(promise=promise, user=self.coordinator)
        assert promise.approvals.count() == 3  # kept on record, but no longer counted

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
            assert self.police_area.pk in self._missing(promise)

    def test_approvals_of_an_earlier_review_round_do_not_count(self):
        promise = self._in_review()
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        services.return_to_draft(promise=promise, user=self.police, comment="Rätta")
        promise = services.submit_for_review(promise=promise, user=self.coordinator)
        assert len(promise.missing_signatures()) == 3

    def test_who_may_take_which_step(self):
        with pytest.raises(PermissionDenied):
            services.submit_for_review(promise=self.promise, user=self.police)
        promise = self._in_review()
        with pytest.raises(PermissionDenied):
            services.approve(promise=promise, user=self.viewer)
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.other_coordinator)
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
        services.approve(promise=promise, user=self.other_coordinator)
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
