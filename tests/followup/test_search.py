"""Follow-up in the residents' search: published round summaries and the status filter."""

from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus, FollowUpRound
from promises import search
from promises.models import FocusArea
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

State = FollowUpRound.State


def _set_status(round_, commitment, status):
    CommitmentStatus.objects.filter(round=round_, commitment=commitment).update(status=status)


class FollowUpSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality, police = make_municipality(), make_police_area()
        cls.promise = make_promise(parties=[municipality, police], title="Trygg stadskärna")
        make_focus_area(cls.promise, title="Nattliv")
        cls.walks = make_commitment(cls.promise, text="Vi ordnar nattvandringar i centrum.")
        cls.cameras = make_commitment(cls.promise, text="Vi ser över belysningen i centrum.")
        first = make_round(
            cls.promise,
            cls.promise.valid_from.year,
            1,
            state=State.PUBLISHED,
            summary="Nattvandringarna har kommit igång med många föräldrar.",
        )
        _set_status(first, cls.walks, "ongoing")
        _set_status(first, cls.cameras, "at_risk")
        cls.latest = make_round(
            cls.promise,
            cls.promise.valid_from.year,
            2,
            state=State.PUBLISHED,
            summary="Belysningen vid busstorget är utbytt.",
        )
        _set_status(cls.latest, cls.walks, "done")
        _set_status(cls.latest, cls.cameras, "on_track")
        # Not yet published: neither its summary nor its statuses count.
        hidden = make_round(
            cls.promise,
            cls.promise.valid_from.year,
            3,
            state=State.APPROVED,
            summary="Hemlig sammanfattning om nattvandringar.",
        )
        _set_status(hidden, cls.walks, "cancelled")
        cls.other = make_promise(title="Trygg landsbygd", summary="Nattvandringar i byarna.")
        cls.other_walks = make_commitment(cls.other, text="Vi stöttar nattvandringar i byarna.")
        make_round(
            cls.other,
            cls.other.valid_from.year,
            1,
            state=State.DRAFT,
            summary="Utkast om nattvandringar.",
        )

    def search(self, **params):
        response = self.client.get(reverse("promises:search"), params)
        assert response.status_code == 200
        return response

    def hits(self, **params):
        return list(self.search(**params).context["page"].object_list)

    def test_published_summaries_are_found_and_link_to_the_timeline(self):
        hits = [hit for hit in self.hits(q="busstorget") if hit.source.kind == "followup"]
        assert [hit.body for hit in hits] == ["Belysningen vid busstorget är utbytt."]
        timeline = reverse("followup:timeline", kwargs={"slug": self.promise.slug})
        assert hits[0].get_absolute_url() == f"{timeline}#round-{self.latest.pk}"
        response = self.client.get("/en" + reverse("promises:search"), {"q": "busstorget"})
        self.assertContains(response, "Follow-up · Trygg stadskärna")
        self.assertContains(self.client.get(timeline), f'id="round-{self.latest.pk}"')

    def test_drafts_and_unpublished_rounds_are_never_found(self):
        for q in ("hemlig sammanfattning", "utkast om nattvandringar"):
            assert not [h for h in self.hits(q=q) if h.source.kind == "followup"], q
        response = self.search(q="nattvandringar")
        self.assertNotContains(response, "Hemlig sammanfattning")
        self.assertNotContains(response, "Utkast om")

    def test_status_filter_uses_the_latest_published_status(self):
        def found(status, q="centrum"):
            return {(hit.source.kind, hit.pk) for hit in self.hits(q=q, status=status)}

        assert found("done") == {("commitment", self.walks.pk)}
        assert found("on_track") == {("commitment", self.cameras.pk)}
        # Earlier rounds' statuses and unpublished ones do not count.
        assert found("at_risk") == set()
        assert found("cancelled") == set()

    def test_status_filter_alone_lists_promises_with_such_a_commitment(self):
        hits = self.hits(status="done")
        assert [(hit.source.kind, hit.promise) for hit in hits] == [("promise", self.promise)]
        assert self.hits(status="not_started") == []

    def test_status_filter_narrows_other_hits_to_promises_with_that_status(self):
        kinds = {(h.source.kind, h.promise) for h in self.hits(q="nattvandringar", status="done")}
        assert kinds == {("commitment", self.promise), ("followup", self.promise)}

    def test_status_filter_narrows_a_source_registered_after_it(self):
        # The filter is applied by the search to every source, so a source of another app needs
        # nothing to take part.
        areas = search.SearchSource(
            kind="area",
            label="area",
            queryset=FocusArea.objects.all,
            promise="promise",
            fields={"title": "A"},
            title="title",
        )
        make_focus_area(self.other, title="Nattliv i byarna")
        with mock.patch.dict(search.SOURCES, {"area": areas}):
            unfiltered = [h.promise for h in self.hits(q="nattliv") if h.source is areas]
            filtered = [
                h.promise for h in self.hits(q="nattliv", status="done") if h.source is areas
            ]
        assert set(unfiltered) == {self.promise, self.other}
        assert filtered == [self.promise]

    def test_status_filter_is_in_the_form_and_the_url(self):
        response = self.search(q="centrum", status="done")
        self.assertContains(response, '<option value="done" selected>klar</option>', html=True)
        self.assertContains(response, "status=done")
        english = self.client.get("/en" + reverse("promises:search"), {"status": "done"})
        self.assertContains(english, '<label for="id_status">Commitment status:</label>', html=True)
        response = self.search(q="centrum", status="unknown")
        self.assertContains(response, 'id="id_status_error"')


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [2, 20])
def test_search_with_status_query_count_does_not_grow(
    client, django_assert_max_num_queries, promises
):
    municipality, police = make_municipality(), make_police_area()
    for _ in range(promises):
        promise = make_promise(parties=[municipality, police], summary="Trygga skolor")
        make_commitment(promise, text="Vi besöker skolor.")
        round_ = make_round(promise, state=State.PUBLISHED, summary="Skolor besökta.")
        round_.statuses.update(status="done")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("promises:search"), {"q": "skolor", "status": "done"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3 * promises
