import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from followup import services
from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Membership
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_membership,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_user,
)

State = FollowUpRound.State
Status = CommitmentStatus.Status


class RoundServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.police_area = make_police_area()
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2027, 12, 31),
        )
        area = make_focus_area(cls.promise)
        cls.police_commitment = make_commitment(cls.promise, [cls.police_area], focus_area=area)
        cls.joint_commitment = make_commitment(cls.promise)
        cls.coordinator = make_membership(party=cls.municipality).user
        cls.police = make_membership(party=cls.police_area, role=Membership.Role.POLICE).user
        cls.viewer = make_membership(party=cls.municipality, role=Membership.Role.VIEWER).user
        other_area = make_police_area()
        cls.other_police = make_membership(party=other_area, role=Membership.Role.POLICE).user
        cls.other_coordinator = make_membership().user
        cls.superuser = make_user(is_staff=True, is_superuser=True)

    def _round(self, state=State.DRAFT, **fields):
        return make_round(self.promise, 2026, 1, state=state, **fields)

    def test_create_makes_one_status_per_commitment(self):
        round_ = services.round_create(
            promise=self.promise, year=2026, quarter=1, user=self.coordinator, forum="BRÅ"
        )
        assert round_.state == State.DRAFT
        assert round_.forum == "BRÅ"
        statuses = CommitmentStatus.objects.filter(round=round_)
        assert {s.commitment for s in statuses} == {self.police_commitment, self.joint_commitment}
        assert {s.status for s in statuses} == {Status.NOT_STARTED}

    def test_create_prefills_from_the_previous_round(self):
        first = services.round_create(
            promise=self.promise, year=2026, quarter=1, user=self.coordinator
        )
        first.statuses.filter(commitment=self.police_commitment).update(
            status=Status.AT_RISK,
            progress=40,
            next_steps="Fler kontroller",
            done_this_quarter="Tre kontroller",
            evidence_links="https://example.org/rapport",
        )
        # A round for a later quarter, with a commitment added in between.
        added = make_commitment(self.promise)
        later = services.round_create(
            promise=self.promise, year=2026, quarter=3, user=self.coordinator
        )
        police_status = later.statuses.get(commitment=self.police_commitment)
        assert police_status.status == Status.AT_RISK
        assert police_status.progress == 40
        assert police_status.next_steps == "Fler kontroller"
        # What was done and its evidence are new each quarter.
        assert police_status.done_this_quarter == ""
        assert police_status.evidence_links == ""
        assert later.statuses.get(commitment=added).status == Status.NOT_STARTED
        # A round for an earlier quarter is not pre-filled from a later one.
        later.statuses.update(status=Status.DONE)
        earlier = services.round_create(
            promise=self.promise, year=2026, quarter=2, user=self.coordinator
        )
        assert earlier.statuses.get(commitment=self.police_commitment).status == Status.AT_RISK

    def test_create_refused_for_non_coordinators_and_outside_the_period(self):
        for user in (self.police, self.viewer, self.other_coordinator):
            with pytest.raises(PermissionDenied):
                services.round_create(promise=self.promise, year=2026, quarter=1, user=user)
        with pytest.raises(ValidationError):
            services.round_create(promise=self.promise, year=2028, quarter=1, user=self.coordinator)
        assert not FollowUpRound.objects.exists()
        assert not CommitmentStatus.objects.exists()

    def test_one_round_per_quarter(self):
        services.round_create(promise=self.promise, year=2026, quarter=1, user=self.coordinator)
        with pytest.raises(ValidationError):
            services.round_create(promise=self.promise, year=2026, quarter=1, user=self.coordinator)

    def test_full_happy_path_records_who_and_when(self):
        round_ = self._round()
        services.round_submit(round=round_, user=self.coordinator)
        assert (round_.state, round_.submitted_by) == (State.SUBMITTED, self.coordinator)
        assert round_.submitted_at is not None
        services.round_approve(round=round_, user=self.police)
        assert (round_.state, round_.approved_by) == (State.APPROVED, self.police)
        assert round_.approved_at is not None
        services.round_publish(round=round_, user=self.coordinator)
        round_.refresh_from_db()
        assert round_.state == State.PUBLISHED
        assert round_.published_at is not None
        assert round_.history.count() == 4

    def test_submit_allowed_only_for_coordinators_of_drafts_and_returned(self):
        for user in (self.police, self.viewer, self.other_coordinator, self.other_police):
            with pytest.raises(PermissionDenied):
                services.round_submit(round=self._round_fresh(), user=user)
        for state in (State.SUBMITTED, State.APPROVED, State.PUBLISHED):
            round_ = self._round_fresh(state=state)
            with pytest.raises(ValidationError, match="går bara när"):
                services.round_submit(round=round_, user=self.coordinator)
        returned = self._round_fresh(state=State.RETURNED, reviewer_comment="Mer text")
        services.round_submit(round=returned, user=self.coordinator)
        assert returned.state == State.SUBMITTED

    def test_submit_brings_in_commitments_added_since_the_round_began(self):
        round_ = services.round_create(
            promise=self.promise, year=2026, quarter=1, user=self.coordinator, summary="Klart"
        )
        added = make_commitment(self.promise, text="Tillkommet")
        services.round_submit(round=round_, user=self.coordinator)
        assert round_.statuses.filter(commitment=added, status=Status.NOT_STARTED).count() == 1
        assert round_.statuses.count() == 3

    def test_submit_needs_a_summary_for_residents(self):
        round_ = self._round(summary=" ")
        with pytest.raises(ValidationError, match="summary"):
            services.round_submit(round=round_, user=self.coordinator)
        round_.refresh_from_db()
        assert round_.state == State.DRAFT

    def test_approve_and_return_only_by_the_promise_police(self):
        for user in (self.coordinator, self.viewer, self.other_police):
            round_ = self._round_fresh(state=State.SUBMITTED)
            with pytest.raises(PermissionDenied):
                services.round_approve(round=round_, user=user)
            with pytest.raises(PermissionDenied):
                services.round_return(round=round_, user=user, comment="Nej")
        for state in (State.DRAFT, State.RETURNED, State.APPROVED, State.PUBLISHED):
            round_ = self._round_fresh(state=state)
            with pytest.raises(ValidationError):
                services.round_approve(round=round_, user=self.police)
            with pytest.raises(ValidationError):
                services.round_return(round=round_, user=self.police, comment="Nej")
        services.round_approve(round=self._round_fresh(state=State.SUBMITTED), user=self.superuser)

    def test_return_needs_a_comment_and_goes_back_to_the_coordinators(self):
        round_ = self._round(state=State.SUBMITTED)
        with pytest.raises(ValidationError, match="vad som behöver ändras"):
            services.round_return(round=round_, user=self.police, comment="  ")
        services.round_return(round=round_, user=self.police, comment="Beskriv trafiken mer.")
        round_.refresh_from_db()
        assert round_.state == State.RETURNED
        assert round_.reviewer_comment == "Beskriv trafiken mer."

    def test_publish_only_after_approval(self):
        for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED):
            round_ = self._round_fresh(state=state)
            with pytest.raises(ValidationError):
                services.round_publish(round=round_, user=self.coordinator)
        for user in (self.viewer, self.other_coordinator, self.other_police):
            with pytest.raises(PermissionDenied):
                services.round_publish(round=self._round_fresh(state=State.APPROVED), user=user)
        services.round_publish(round=self._round_fresh(state=State.APPROVED), user=self.police)

    def _round_fresh(self, state=State.DRAFT, **fields):
        FollowUpRound.objects.filter(promise=self.promise, year=2026, quarter=1).delete()
        if state == State.PUBLISHED:
            fields["published_at"] = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        return self._round(state=state, **fields)


@pytest.mark.django_db
def test_database_refuses_bad_quarter_and_progress():
    round_ = make_round(make_promise())
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpRound.objects.filter(pk=round_.pk).update(quarter=5)
    commitment = make_commitment(round_.promise)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentStatus.objects.create(round=round_, commitment=commitment, progress=101)
    status = CommitmentStatus.objects.create(round=round_, commitment=commitment, progress=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentStatus.objects.create(round=round_, commitment=commitment)
    assert status.symbol == "○"


@pytest.mark.django_db
def test_status_validates_evidence_links_and_promise():
    round_ = make_round(make_promise())
    commitment = make_commitment(round_.promise)
    status = CommitmentStatus(round=round_, commitment=commitment, evidence_links="inte en länk")
    with pytest.raises(ValidationError, match="webbadress"):
        status.full_clean()
    status.evidence_links = "https://example.org/a\n\nhttps://example.org/b\n"
    status.full_clean()
    assert status.evidence_urls == ["https://example.org/a", "https://example.org/b"]
    status.commitment = make_commitment(make_promise())
    with pytest.raises(ValidationError, match="omgångens löfte"):
        status.full_clean()


def test_every_status_has_a_distinct_shape_and_label():
    symbols = [status.symbol for status in Status]
    assert len(set(symbols)) == len(Status)
    assert all(status.label for status in Status)
