"""The search's stored entries (promises.SearchEntry) follow publishing exactly: only what
residents may see is there, as it is now, whichever way it was written. On PostgreSQL the
search reads them; the entries are kept on every database, so this is checked on both."""

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from followup import services as followup_services
from followup.models import FollowUpRound
from promises import search, services
from promises.models import Commitment, Membership, Promise, SearchEntry
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

full_text = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def entries(promise=None):
    rows = (
        SearchEntry.objects.all()
        if promise is None
        else SearchEntry.objects.filter(promise=promise)
    )
    return {(entry.kind, entry.object_pk): entry.title or entry.body for entry in rows}


class SearchEntryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.police_area = make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)

    def setUp(self):
        self.promise = make_promise(
            parties=[self.municipality, self.police_area], title="Trygg trafik", summary=""
        )
        self.area = make_focus_area(self.promise, title="Skolvägar")
        self.kept = make_commitment(self.promise, text="Polisen övervakar skolvägarna.")
        self.dropped = make_commitment(self.promise, text="Kommunen tänder lamporna.")

    def found(self, q):
        response = self.client.get(reverse("promises:search"), {"q": q})
        return [(hit.source.kind, hit.pk) for hit in response.context["page"].object_list]

    def sign(self, promise):
        promise = services.submit_for_review(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.coordinator)
        services.approve(promise=promise, user=self.police)
        return promise

    def test_a_published_promise_has_an_entry_for_each_row_residents_may_see(self):
        assert entries() == {
            ("promise", self.promise.pk): "Trygg trafik",
            ("focus_area", self.area.pk): "Skolvägar",
            ("commitment", self.kept.pk): "Polisen övervakar skolvägarna.",
            ("commitment", self.dropped.pk): "Kommunen tänder lamporna.",
        }
        entry = SearchEntry.objects.get(kind="promise")
        assert (entry.promise_start, entry.visible_from) == (
            self.promise.valid_from,
            self.promise.published_at,
        )

    def test_a_draft_has_none(self):
        draft = make_promise(title="Hemlig plan", status="draft", published_at=None)
        make_focus_area(draft, title="Hemligt område")
        make_commitment(draft, text="Hemligt åtagande")
        make_round(draft, state=FollowUpRound.State.PUBLISHED, summary="Hemlig uppföljning")
        assert entries(draft) == {}

    def test_a_revisions_working_copy_has_none_and_its_published_text_replaces_the_old(self):
        revision = services.start_revision(promise=self.promise, user=self.coordinator)
        revision.title = "Trygga gator"
        revision.change_note = "Nytt namn, och lamporna stryks."
        revision.save()
        revision.commitments.filter(origin=self.kept).update(text="Polisen går gatorna.")
        revision.commitments.get(origin=self.dropped).delete()
        before = entries()
        assert entries(revision) == {}
        assert before[("promise", self.promise.pk)] == "Trygg trafik"

        services.publish_revision(revision=self.sign(revision), user=self.police)
        assert entries() == {
            ("promise", self.promise.pk): "Trygga gator",
            ("focus_area", self.area.pk): "Skolvägar",
            ("commitment", self.kept.pk): "Polisen går gatorna.",
        }
        assert Commitment.all_objects.get(pk=self.dropped.pk).withdrawn_at is not None

    def test_a_round_is_there_once_published(self):
        round_ = make_round(self.promise, state=FollowUpRound.State.SUBMITTED, summary="Klart.")
        followup_services.round_approve(round=round_, user=self.police)
        assert ("followup", round_.pk) not in entries()
        followup_services.round_publish(round=round_, user=self.coordinator)
        assert entries()[("followup", round_.pk)] == "Klart."
        round_.refresh_from_db()
        assert SearchEntry.objects.get(kind="followup").visible_from == round_.published_at

    def test_archiving_and_returning_to_draft_take_the_promise_off(self):
        archived = services.archive(promise=self.promise, user=self.police)
        assert entries() == {}
        services.return_to_draft(promise=archived, user=self.police, comment="Skriv om målet.")
        assert entries() == {}

    def test_deleted_and_moved_rows_leave_their_entries(self):
        other = make_promise(title="Annat löfte")
        self.dropped.delete()
        self.area.promise = other
        self.area.save()
        assert set(entries(self.promise)) == {
            ("promise", self.promise.pk),
            ("commitment", self.kept.pk),
        }
        assert ("focus_area", self.area.pk) in entries(other)

    def test_a_write_rolled_back_leaves_the_entries_as_they_were(self):
        before = entries()
        with pytest.raises(RuntimeError), transaction.atomic():
            self.kept.text = "Något annat"
            self.kept.save()
            raise RuntimeError
        assert entries() == before

    def test_written_afresh_they_are_the_same(self):
        make_round(self.promise, state=FollowUpRound.State.PUBLISHED, summary="Klart.")
        before = entries()
        assert search.store_entries() == len(before) == 5
        assert entries() == before

    @full_text
    def test_the_search_finds_what_was_published_and_nothing_else(self):
        revision = services.start_revision(promise=self.promise, user=self.coordinator)
        revision.commitments.filter(origin=self.kept).update(text="Polisen går kvarteren.")
        revision.change_note = "Kvarteren i stället för skolvägarna."
        revision.save()
        revision.commitments.get(origin=self.dropped).delete()
        assert self.found("kvarteren") == []
        assert self.found("lamporna") == [("commitment", self.dropped.pk)]
        services.publish_revision(revision=self.sign(revision), user=self.police)
        assert self.found("kvarteren") == [("commitment", self.kept.pk)]
        assert self.found("lamporna") == []
        assert self.found("skolvägarna") == [("focus_area", self.area.pk)]

    @full_text
    def test_a_promise_or_round_published_for_later_is_found_from_then(self):
        later = make_promise(
            title="Trafiken i morgon", published_at=timezone.now() + dt.timedelta(hours=1)
        )
        round_ = make_round(
            self.promise,
            state=FollowUpRound.State.PUBLISHED,
            summary="Trafiken i morgon",
            published_at=timezone.now() + dt.timedelta(hours=1),
        )
        assert ("promise", later.pk) in entries() and ("followup", round_.pk) in entries()
        assert self.found("morgon") == []
        in_two_hours = timezone.now() + dt.timedelta(hours=2)
        with time_machine.travel(in_two_hours):
            assert set(self.found("morgon")) == {("promise", later.pk), ("followup", round_.pk)}


class ConcurrentRewriteTests(TestCase):
    def test_an_entry_written_meanwhile_by_another_transaction_is_written_over(self):
        commitment = make_commitment(make_promise(), text="Polisen övervakar skolvägarna.")
        Commitment.objects.filter(pk=commitment.pk).update(text="Polisen cyklar till skolan.")
        # As a second transaction's INSERT finds the entry the first one wrote after this
        # one's DELETE: no error, and the entry is this transaction's.
        source = search.SOURCES["commitment"]
        search._insert(source, source.rows_to_store().filter(pk=commitment.pk))
        entry = SearchEntry.objects.get(kind="commitment", object_pk=commitment.pk)
        assert entry.body == "Polisen cyklar till skolan."


@full_text
class StaleEntryTests(TestCase):
    def test_an_entry_left_by_a_race_with_an_archiving_is_not_shown(self):
        promise = make_promise(title="Trygg trafik")
        make_commitment(promise, text="Polisen övervakar skolvägarna.")
        # As when a row's entry was written while its promise was being archived: the entry
        # is there, the promise is not published.
        Promise.objects.filter(pk=promise.pk).update(status=Promise.Status.ARCHIVED)
        assert entries(promise)
        response = self.client.get(reverse("promises:search"), {"q": "skolvägarna"})
        assert list(response.context["page"].object_list) == []
