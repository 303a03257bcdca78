"""The latest published status stored on each commitment (followup.latest_status): always what
published() gives, whatever wrote the follow-up, and never a status residents may not see."""

import datetime as dt
import importlib

import time_machine
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.latest_status import latest_published_status, latest_status_is
from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Commitment, Membership, Promise
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

State = FollowUpRound.State
Status = CommitmentStatus.Status
MIGRATION = "0011_commitment_latest_status"


def computed():
    """{commitment pk: its status in the latest published round, or ""}, computed."""
    rows = Commitment.all_objects.annotate(now=Coalesce(latest_published_status(), Value("")))
    return dict(rows.values_list("pk", "now"))


def stored():
    return dict(Commitment.all_objects.values_list("pk", "latest_status"))


def found(status):
    return set(Commitment.all_objects.filter(latest_status_is(status)).values_list("pk", flat=True))


def set_status(round_, commitment, status):
    row = CommitmentStatus.objects.get(round=round_, commitment=commitment)
    row.status = status
    row.save()


class LatestStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.promise = make_promise(parties=[cls.municipality, make_police_area()])
        cls.year = cls.promise.valid_from.year
        cls.walks = make_commitment(cls.promise, text="Vi ordnar nattvandringar.")
        cls.lights = make_commitment(cls.promise, text="Vi ser över belysningen.")
        cls.other = make_commitment(text="Ett annat löftes åtagande.")

    def round(self, quarter, state=State.PUBLISHED, **fields):
        return make_round(self.promise, self.year, quarter, state=state, **fields)

    def assert_stored(self, **expected):
        """The stored status is the computed one, and is what `expected` names by commitment."""
        assert stored() == computed()
        for name, status in expected.items():
            assert stored()[getattr(self, name).pk] == status, name

    def test_a_status_of_a_published_round_is_stored(self):
        self.assert_stored(walks="", lights="", other="")
        first = self.round(1)
        self.assert_stored(walks=Status.NOT_STARTED, lights=Status.NOT_STARTED, other="")
        set_status(first, self.walks, Status.ON_TRACK)
        self.assert_stored(walks=Status.ON_TRACK, lights=Status.NOT_STARTED)
        added = make_commitment(self.promise, text="Tillagd sedan rundan började.")
        CommitmentStatus.objects.create(round=first, commitment=added, status=Status.DONE)
        assert stored()[added.pk] == Status.DONE
        self.assert_stored()

    def test_a_draft_rounds_status_is_never_stored(self):
        first = self.round(1)
        set_status(first, self.walks, Status.ON_TRACK)
        for quarter, state in ((2, State.DRAFT), (3, State.SUBMITTED), (4, State.APPROVED)):
            draft = self.round(quarter, state)
            set_status(draft, self.walks, Status.DELAYED)
            draft.statuses.update(status=Status.CANCELLED)
        self.assert_stored(walks=Status.ON_TRACK, lights=Status.NOT_STARTED)

    def test_publishing_a_round_stores_its_statuses(self):
        set_status(self.round(1), self.walks, Status.ON_TRACK)
        second = self.round(2, State.APPROVED)
        set_status(second, self.walks, Status.DELAYED)
        self.assert_stored(walks=Status.ON_TRACK)
        coordinator = make_member(self.municipality, Membership.Role.COORDINATOR)
        services.round_publish(round=second, user=coordinator)
        self.assert_stored(walks=Status.DELAYED, lights=Status.NOT_STARTED)

    def test_a_round_taken_back_or_deleted_leaves_the_earlier_published_one(self):
        set_status(self.round(1), self.walks, Status.ON_TRACK)
        second = self.round(2)
        set_status(second, self.walks, Status.DELAYED)
        self.assert_stored(walks=Status.DELAYED)
        second.state = State.APPROVED
        second.save()
        self.assert_stored(walks=Status.ON_TRACK)
        FollowUpRound.objects.filter(pk=second.pk).update(state=State.PUBLISHED)
        self.assert_stored(walks=Status.DELAYED)
        second.delete()
        self.assert_stored(walks=Status.ON_TRACK)

    def test_a_deleted_status_row_leaves_the_earlier_rounds(self):
        set_status(self.round(1), self.walks, Status.ON_TRACK)
        second = self.round(2)
        set_status(second, self.walks, Status.DONE)
        self.assert_stored(walks=Status.DONE)
        CommitmentStatus.objects.get(round=second, commitment=self.walks).delete()
        self.assert_stored(walks=Status.ON_TRACK)

    def test_the_latest_quarter_counts_not_the_latest_written(self):
        first = self.round(1)
        set_status(first, self.walks, Status.ON_TRACK)
        third = self.round(3)
        set_status(third, self.walks, Status.DONE)
        self.assert_stored(walks=Status.DONE)
        set_status(self.round(2), self.walks, Status.DELAYED)
        self.assert_stored(walks=Status.DONE)
        # An older round written to again does not supersede the newer one.
        set_status(first, self.walks, Status.CANCELLED)
        self.assert_stored(walks=Status.DONE)

    def test_archiving_the_promise_takes_its_statuses_away(self):
        self.round(1).statuses.update(status=Status.AT_RISK)
        self.assert_stored(walks=Status.AT_RISK, lights=Status.AT_RISK)
        self.promise.status = Promise.Status.ARCHIVED
        self.promise.save()
        self.assert_stored(walks="", lights="")
        self.promise.status = Promise.Status.PUBLISHED
        self.promise.save()
        self.assert_stored(walks=Status.AT_RISK)

    def test_a_commitment_saved_from_an_older_copy_keeps_its_stored_status(self):
        copy = Commitment.objects.get(pk=self.walks.pk)
        set_status(self.round(1), self.walks, Status.ON_TRACK)
        copy.text = "Vi ordnar fler nattvandringar."
        copy.save()
        self.assert_stored(walks=Status.ON_TRACK)

    def test_every_status_is_found_by_the_filter_as_computed(self):
        first = self.round(1)
        set_status(first, self.walks, Status.ON_TRACK)
        set_status(first, self.lights, Status.DELAYED)
        set_status(self.round(2, State.APPROVED), self.lights, Status.DONE)
        for status in Status.values:
            assert found(status) == {pk for pk, now in computed().items() if now == status}
        assert found(Status.DELAYED) == {self.lights.pk}


class PublishedForLaterTests(TestCase):
    """A round or promise published for a later time becomes public with no write: until then
    the stored status leaves it out, and from then the filter computes the status."""

    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise()
        cls.walks = make_commitment(cls.promise)
        year = cls.promise.valid_from.year
        make_round(cls.promise, year, 1, state=State.PUBLISHED).statuses.update(
            status=Status.ON_TRACK
        )
        cls.later = timezone.now() + dt.timedelta(hours=1)
        make_round(cls.promise, year, 2, state=State.PUBLISHED, published_at=cls.later)
        CommitmentStatus.objects.filter(round__quarter=2).update(status=Status.DELAYED)

    def test_the_round_counts_from_its_publication_on(self):
        walks = Commitment.objects.get(pk=self.walks.pk)
        assert (walks.latest_status, walks.latest_status_until) == (Status.ON_TRACK, self.later)
        assert found(Status.ON_TRACK) == {walks.pk}
        assert found(Status.DELAYED) == set()
        with time_machine.travel(self.later + dt.timedelta(minutes=1)):
            assert found(Status.ON_TRACK) == set()
            assert found(Status.DELAYED) == {walks.pk}
            # The next write, whatever it is, stores it.
            make_commitment().save()
            assert stored() == computed()
            assert stored()[walks.pk] == Status.DELAYED
            assert Commitment.objects.get(pk=walks.pk).latest_status_until is None

    def test_a_promise_published_for_later_shows_its_statuses_from_then_on(self):
        later = timezone.now() + dt.timedelta(hours=2)
        promise = make_promise(published_at=later)
        commitment = make_commitment(promise)
        make_round(promise, promise.valid_from.year, 1, state=State.PUBLISHED).statuses.update(
            status=Status.DONE
        )
        assert stored()[commitment.pk] == ""
        assert found(Status.DONE) == set()
        with time_machine.travel(later + dt.timedelta(minutes=1)):
            assert found(Status.DONE) == {commitment.pk}


# Each request reaches the view: a cached page does not follow a publication set for later.
@override_settings(PAGE_CACHE_SECONDS=0)
class NoLeakTests(TestCase):
    """The status filters of the search and the API show no status of a round residents may
    not see yet."""

    @classmethod
    def setUpTestData(cls):
        promise = make_promise(title="Trygg stadskärna")
        cls.walks = make_commitment(promise, text="Vi ordnar nattvandringar i centrum.")
        year = promise.valid_from.year
        make_round(promise, year, 1, state=State.PUBLISHED).statuses.update(status=Status.ON_TRACK)
        make_round(promise, year, 2, state=State.DRAFT).statuses.update(status=Status.DELAYED)
        cls.later = timezone.now() + dt.timedelta(hours=1)
        make_round(promise, year, 3, state=State.PUBLISHED, published_at=cls.later)
        CommitmentStatus.objects.filter(round__quarter=3).update(status=Status.CANCELLED)

    def search(self, status, q="nattvandringar"):
        response = self.client.get(reverse("promises:search"), {"q": q, "status": status})
        return {(hit.source.kind, hit.pk) for hit in response.context["page"].object_list}

    def api(self, status):
        response = self.client.get("/api/v1/commitments/", {"status": status})
        return {row["id"] for row in response.json()["results"]}

    def test_the_search_finds_the_published_status_only(self):
        assert self.search(Status.ON_TRACK) == {("commitment", self.walks.pk)}
        assert self.search(Status.DELAYED) == set()
        assert self.search(Status.CANCELLED) == set()
        with time_machine.travel(self.later + dt.timedelta(minutes=1)):
            assert self.search(Status.CANCELLED) == {("commitment", self.walks.pk)}
            assert self.search(Status.ON_TRACK) == set()

    def test_the_api_finds_the_published_status_only(self):
        assert self.api(Status.ON_TRACK) == {self.walks.pk}
        assert self.api(Status.DELAYED) == set()
        assert self.api(Status.CANCELLED) == set()
        with time_machine.travel(self.later + dt.timedelta(minutes=1)):
            assert self.api(Status.CANCELLED) == {self.walks.pk}
            assert self.api(Status.ON_TRACK) == set()


class MigrationTests(TestCase):
    def test_the_migration_stores_every_commitments_status(self):
        promise = make_promise()
        walks, withdrawn = make_commitment(promise), make_commitment(promise)
        year = promise.valid_from.year
        make_round(promise, year, 1, state=State.PUBLISHED).statuses.update(status=Status.DONE)
        make_round(promise, year, 2, state=State.APPROVED).statuses.update(status=Status.DELAYED)
        later = timezone.now() + dt.timedelta(hours=1)
        make_round(promise, year, 3, state=State.PUBLISHED, published_at=later)
        Commitment.all_objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
        make_commitment()
        expected = computed()
        # As the migration's fields find them.
        Commitment.all_objects.update(latest_status="", latest_status_until=None)
        migration = importlib.import_module(f"promises.migrations.{MIGRATION}")
        state = MigrationLoader(connection).project_state(("promises", MIGRATION))
        migration.store_latest_status(state.apps, None)
        assert stored() == expected
        assert stored()[walks.pk] == stored()[withdrawn.pk] == Status.DONE
        assert Commitment.all_objects.get(pk=walks.pk).latest_status_until == later
