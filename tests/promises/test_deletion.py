"""Deletion matches the record: coordinators delete only what was never on it (a draft never
submitted, rows residents never read); anything submitted, published or followed up is kept."""

from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus
from promises import services
from promises.models import Agreement, Commitment, FocusArea, Membership, Promise
from tests.factories import (
    make_agreement,
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_user,
)


class DeletionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)
        cls.superuser = make_user(is_superuser=True, is_staff=True)

    def setUp(self):
        self.promise = make_promise(
            parties=[self.municipality, self.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        self.commitment = make_commitment(self.promise, [self.police_area])
        self.client.force_login(self.coordinator)

    def _delete(self, obj):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        return self.client.post(url, {"post": "yes"})

    def _bulk_delete(self, model, objs):
        opts = model._meta
        return self.client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "delete_selected", "_selected_action": [o.pk for o in objs], "post": "yes"},
        )

    def test_a_coordinator_deletes_a_draft_never_submitted(self):
        assert self._delete(self.promise).status_code == 302
        assert not Promise.objects.filter(pk=self.promise.pk).exists()

    def test_a_coordinator_cannot_delete_a_submitted_promise(self):
        services.submit_for_review(promise=self.promise, user=self.coordinator)
        assert self._delete(self.promise).status_code == 403
        assert self._bulk_delete(Promise, [self.promise]).status_code == 403
        # Sent back to draft it is still on record: the review happened.
        services.return_to_draft(promise=self.promise, user=self.police, comment="Rätta")
        assert self._delete(self.promise).status_code == 403
        assert Promise.objects.filter(pk=self.promise.pk).exists()

    def test_published_children_and_followed_up_commitments_are_kept(self):
        published = make_promise(parties=[self.municipality, self.police_area])
        area = make_focus_area(published)
        commitment = make_commitment(published, [self.police_area])
        for obj in (area, commitment):
            assert self._delete(obj).status_code == 403
        assert self._bulk_delete(Commitment, [commitment]).status_code == 403
        assert FocusArea.objects.filter(pk=area.pk).exists()
        # Followed up: kept even if its promise went back to draft.
        make_round(published)
        assert CommitmentStatus.objects.filter(commitment=commitment).exists()
        Promise.objects.filter(pk=published.pk).update(status=Promise.Status.DRAFT)
        assert self._delete(commitment).status_code == 403
        assert Commitment.objects.filter(pk=commitment.pk).exists()

    def test_a_row_of_a_draft_never_published_is_deleted(self):
        area = make_focus_area(self.promise)
        assert self._delete(area).status_code == 302
        assert self._delete(self.commitment).status_code == 302

    def test_an_agreement_with_promises_is_kept(self):
        agreement = make_agreement(parties=[self.municipality, self.police_area])
        unused = make_agreement(parties=[self.municipality, self.police_area])
        self.promise.agreement = agreement
        self.promise.save()
        assert self._delete(agreement).status_code == 403
        self._bulk_delete(Agreement, [agreement, unused])  # refused, whichever way
        assert Agreement.objects.filter(pk__in=[agreement.pk, unused.pk]).count() == 2
        assert self._delete(unused).status_code == 302

    def test_a_superuser_still_deletes_what_is_not_public(self):
        services.submit_for_review(promise=self.promise, user=self.coordinator)
        self.client.force_login(self.superuser)
        assert self._delete(self.promise).status_code == 302
