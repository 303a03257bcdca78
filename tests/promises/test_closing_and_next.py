"""The end of a promise: a co-signed closing assessment (OGP completion levels and an outcome
for residents), and the next promise started from the unfinished commitments."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from promises import services
from promises.models import Commitment, Membership, Promise
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)


class ClosingAndNextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)

    def setUp(self):
        year = timezone.localdate().year - 2
        self.promise = make_promise(
            parties=[self.municipality, self.police_area],
            title="Trygga Olofström",
            valid_from=dt.date(year, 1, 1),
            valid_until=dt.date(year + 1, 12, 31),
        )
        self.area = make_focus_area(self.promise, title="Skolvägar")
        self.done = make_commitment(self.promise, focus_area=self.area, text="Belysning klar")
        self.open = make_commitment(self.promise, focus_area=self.area, text="Fler vuxna ute")

    def _assess(self, completions=("complete", "limited"), outcome="Belysningen kom på plats."):
        revision = services.start_revision(promise=self.promise, user=self.coordinator)
        revision.outcome = outcome
        revision.change_note = "Slutbedömningen är klar."
        revision.save()
        for origin, level in zip((self.done, self.open), completions, strict=True):
            copy = revision.commitments.get(origin=origin)
            copy.completion = level
            copy.completion_note = f"Bedömning: {level}."
            copy.save()
        revision = services.submit_for_review(promise=revision, user=self.coordinator)
        services.approve(promise=revision, user=self.coordinator)
        services.approve(promise=revision, user=self.police)
        return revision

    def test_a_cosigned_closing_assessment_shows_on_the_promise_and_the_archive(self):
        services.publish_revision(revision=self._assess(), user=self.police)
        self.done.refresh_from_db()
        assert self.done.completion == Commitment.Completion.COMPLETE
        page = self.client.get(self.promise.get_absolute_url())
        self.assertContains(page, "Belysningen kom på plats.")
        self.assertContains(page, "Bedömning: limited.")
        self.assertContains(page, "begränsat")
        self.assertContains(
            self.client.get(reverse("promises:archive")), "Belysningen kom på plats."
        )

    def test_every_commitment_needs_a_completion_level(self):
        revision = self._assess(completions=("complete", ""))
        with pytest.raises(ValidationError, match="Fler vuxna ute"):
            services.publish_revision(revision=revision, user=self.police)
        assert Promise.objects.get(pk=self.promise.pk).outcome == ""

    def test_no_assessment_before_the_period_ends(self):
        Promise.objects.filter(pk=self.promise.pk).update(
            valid_until=timezone.localdate() + dt.timedelta(days=30)
        )
        self.promise.refresh_from_db()
        with pytest.raises(ValidationError, match="perioden"):
            services.publish_revision(revision=self._assess(), user=self.police)

    def test_the_next_promise_carries_on_what_was_not_complete(self):
        services.publish_revision(revision=self._assess(), user=self.police)
        following = services.start_next(promise=self.promise, user=self.coordinator)
        assert following.status == Promise.Status.DRAFT
        assert following.continues == self.promise
        assert following.valid_from == self.promise.valid_until + dt.timedelta(days=1)
        assert set(following.parties.all()) == set(self.promise.parties.all())
        assert list(following.focus_areas.values_list("title", flat=True)) == ["Skolvägar"]
        (carried,) = following.commitments.all()
        assert carried.predecessor == self.open and carried.text == "Fler vuxna ute"
        assert carried.focus_area.promise == following
        with pytest.raises(ValidationError):  # once
            services.start_next(promise=self.promise, user=self.coordinator)
        # Residents see the link both ways once the next one is published.
        assert self.client.get(following.get_absolute_url()).status_code == 404
        following = services.submit_for_review(promise=following, user=self.coordinator)
        services.approve(promise=following, user=self.coordinator)
        services.approve(promise=following, user=self.police)
        services.publish(promise=following, user=self.police)
        self.assertContains(
            self.client.get(following.get_absolute_url()), self.promise.get_absolute_url()
        )
        self.assertContains(
            self.client.get(self.promise.get_absolute_url()), following.get_absolute_url()
        )
