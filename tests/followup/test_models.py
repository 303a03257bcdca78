import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.test import Client, TestCase
from django.urls import reverse

from followup.models import FollowUpRound
from promises.models import Commitment, Membership, Promise
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)
from tests.promises.test_permissions import promise_form_data


class FollowedUpCommitmentTests(TestCase):
    def test_a_followed_up_commitment_cannot_be_deleted_but_its_promise_can(self):
        promise = make_promise()
        commitment = make_commitment(promise)
        make_round(promise, promise.valid_from.year, 1, state="published")
        with pytest.raises(RestrictedError), transaction.atomic():
            commitment.delete()
        assert Commitment.objects.filter(pk=commitment.pk).exists()
        promise.delete()
        assert not Commitment.objects.filter(pk=commitment.pk).exists()
        assert not FollowUpRound.objects.filter(promise_id=promise.pk).exists()


class FollowedUpCommitmentAdminTests(TestCase):
    def test_deleting_it_on_the_promise_page_is_a_clear_error(self):
        municipality = make_municipality()
        promise = make_promise(parties=[municipality, make_police_area()])
        commitment = make_commitment(promise)
        make_round(promise, promise.valid_from.year, 1, state="published")
        # Revising the promise: back to draft, as archive and "return to draft" would leave it.
        Promise.objects.filter(pk=promise.pk).update(status="draft", published_at=None)
        promise.refresh_from_db()
        client = Client()
        client.force_login(make_member(municipality, Membership.Role.COORDINATOR))
        data = promise_form_data(promise) | {"commitments-0-DELETE": "on"}
        response = client.post(reverse("admin:promises_promise_change", args=[promise.pk]), data)
        assert response.status_code == 200
        # Django's own message, naming the follow-up that keeps it: "... kräver borttagning
        # av följande skyddade relaterade objekt: åtagandestatus ...".
        assert "skyddade relaterade objekt: åtagandestatus" in response.content.decode()
        assert Commitment.objects.filter(pk=commitment.pk).exists()


class RoundsFollowUpPublishedPromisesTests(TestCase):
    def test_a_round_of_a_draft_or_a_revision_is_refused_and_of_a_published_promise_allowed(self):
        published = make_promise()
        draft = make_promise(status=Promise.Status.DRAFT, published_at=None)
        revision = make_promise(
            status=Promise.Status.DRAFT, published_at=None, revision_of=published
        )
        for promise in (draft, revision):
            round_ = FollowUpRound(promise=promise, year=promise.valid_from.year, quarter=1)
            with pytest.raises(ValidationError) as refused:
                round_.full_clean()
            assert "promise" in refused.value.message_dict
        FollowUpRound(promise=published, year=published.valid_from.year, quarter=1).full_clean()
