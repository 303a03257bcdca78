import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from followup.models import CommitmentStatus, FollowUpRound
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

ATOM = "{http://www.w3.org/2005/Atom}"
State = FollowUpRound.State
Status = CommitmentStatus.Status


class PublicFollowUpTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Uppföljningsby")
        cls.police = make_police_area()
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police],
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        cls.area = make_focus_area(cls.promise, title="Trafiksäkerhet")
        cls.traffic = make_commitment(cls.promise, focus_area=cls.area, text="Kontrollera fart")
        cls.schools = make_commitment(cls.promise, focus_area=cls.area, text="Besöka skolor")
        cls.q1 = make_round(
            cls.promise, 2025, 1, state=State.PUBLISHED, summary="Första kvartalet klart."
        )
        cls.q1.statuses.filter(commitment=cls.traffic).update(status=Status.ONGOING, progress=20)
        cls.q2 = make_round(
            cls.promise, 2025, 2, state=State.PUBLISHED, summary="Andra kvartalet klart."
        )
        cls.q2.statuses.filter(commitment=cls.traffic).update(status=Status.AT_RISK, progress=30)
        cls.q2.statuses.filter(commitment=cls.schools).update(
            status=Status.DONE, progress=100, done_this_quarter="Alla skolor besökta"
        )
        # Later rounds that residents must not see.
        cls.q3 = make_round(
            cls.promise, 2025, 3, state=State.APPROVED, summary="HEMLIG sammanfattning"
        )
        cls.q3.statuses.update(status=Status.CANCELLED, done_this_quarter="HEMLIGT arbete")
        cls.q4 = make_round(
            cls.promise,
            2025,
            4,
            state=State.PUBLISHED,
            published_at=timezone.now() + dt.timedelta(days=1),
            summary="FRAMTIDA sammanfattning",
        )

    def test_promise_page_shows_latest_published_status_with_icon_and_progress(self):
        response = self.client.get(self.promise.get_absolute_url())
        content = response.content.decode()
        self.assertContains(response, "status--at_risk")
        self.assertContains(response, "▲")  # the shape, next to the word
        self.assertContains(response, 'value="30"')
        self.assertContains(response, "30&nbsp;%")
        self.assertContains(response, "status--done")
        # A count per status for the focus area.
        self.assertContains(response, "status-counts")
        assert content.count('class="status status--at_risk"') == 2  # count and commitment
        # The latest follow-up's date, linked to the timeline.
        self.assertContains(response, reverse("followup:timeline", args=[self.promise.slug]))
        self.assertContains(response, self.q2.quarter_label)
        # Nothing of the unpublished or not-yet-published rounds.
        self.assertNotContains(response, "status--cancelled")
        self.assertNotContains(response, "HEMLIG")
        self.assertContains(response, 'type="application/atom+xml"')

    def test_promise_without_published_rounds_shows_no_follow_up(self):
        promise = make_promise()
        make_commitment(promise)
        make_round(promise, state=State.SUBMITTED)
        response = self.client.get(promise.get_absolute_url())
        assert response.status_code == 200
        self.assertNotContains(response, "followup-line")

    def test_timeline_lists_published_rounds_and_what_changed(self):
        response = self.client.get(reverse("followup:timeline", args=[self.promise.slug]))
        content = response.content.decode()
        self.assertContains(response, "Första kvartalet klart.")
        self.assertContains(response, "Andra kvartalet klart.")
        assert content.index("Andra kvartalet") < content.index("Första kvartalet")
        self.assertContains(response, self.q2.get_absolute_url())
        self.assertNotContains(response, "HEMLIG")
        self.assertNotContains(response, "FRAMTIDA")
        # Q2 changed the traffic commitment from ongoing to at risk.
        q2_part = content[content.index("Andra kvartalet") : content.index("Första kvartalet")]
        assert "status--at_risk" in q2_part
        assert "pågår" in q2_part.lower()

    def test_round_page_shows_every_commitment(self):
        response = self.client.get(self.q2.get_absolute_url())
        self.assertContains(response, "<h1>", count=1)
        self.assertContains(response, "Kontrollera fart")
        self.assertContains(response, "Alla skolor besökta")
        self.assertContains(response, self.q1.get_absolute_url())  # the previous round

    def test_unpublished_rounds_are_not_found(self):
        for round_ in (self.q3, self.q4):
            assert self.client.get(round_.get_absolute_url()).status_code == 404
        for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED):
            FollowUpRound.objects.filter(pk=self.q3.pk).update(state=state)
            assert self.client.get(self.q3.get_absolute_url()).status_code == 404, state

    def test_rounds_of_an_unpublished_promise_are_not_found(self):
        promise = make_promise(status="draft", published_at=None)
        round_ = make_round(promise, state=State.PUBLISHED, summary="UTKAST")
        assert self.client.get(round_.get_absolute_url()).status_code == 404
        url = reverse("followup:timeline", args=[promise.slug])
        assert self.client.get(url).status_code == 404
        self.assertNotContains(self.client.get(reverse("followup:feed")), "UTKAST")

    def _feed(self, url):
        response = self.client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{required}") is not None, required
        return root

    def test_site_feed_is_atom_with_published_rounds_only(self):
        root = self._feed(reverse("followup:feed"))
        entries = root.findall(f"{ATOM}entry")
        titles = [entry.find(f"{ATOM}title").text for entry in entries]
        assert titles == [str(self.q2), str(self.q1)]
        for entry in entries:
            assert entry.find(f"{ATOM}id").text
            assert entry.find(f"{ATOM}updated").text
            assert entry.find(f"{ATOM}link").get("href").endswith("/")
        assert "HEMLIG" not in ET.tostring(root, encoding="unicode")

    def test_municipality_feed_has_only_its_rounds(self):
        other = make_promise()
        make_round(other, state=State.PUBLISHED, summary="Annan kommun")
        root = self._feed(reverse("followup:municipality_feed", args=[self.municipality.slug]))
        summaries = [e.find(f"{ATOM}summary").text for e in root.findall(f"{ATOM}entry")]
        assert summaries == ["Andra kvartalet klart.", "Första kvartalet klart."]
        url = reverse("followup:municipality_feed", args=[self.police.slug])
        assert self.client.get(url).status_code == 404

    def test_municipality_page_links_its_feed(self):
        response = self.client.get(self.municipality.get_absolute_url())
        self.assertContains(
            response,
            reverse("followup:municipality_feed", args=[self.municipality.slug]),
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("commitments", "rounds"), [(3, 1), (60, 6)])
def test_promise_page_query_count_stays_flat_with_follow_up(
    client, django_assert_max_num_queries, commitments, rounds
):
    municipality, police = make_municipality(), make_police_area()
    promise = make_promise(
        parties=[municipality, police],
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    areas = [make_focus_area(promise) for _ in range(3)]
    for i in range(commitments):
        make_commitment(promise, [police], focus_area=areas[i % 3])
    for i in range(rounds):
        make_round(promise, 2024 + i // 4, i % 4 + 1, state=State.PUBLISHED)
    CommitmentStatus.objects.update(status=Status.ON_TRACK, progress=50)
    # Ten, and one for the focus areas' themes.
    with django_assert_max_num_queries(11):
        response = client.get(promise.get_absolute_url())
    assert response.content.decode().count("followup-line") == commitments


@pytest.mark.django_db
@pytest.mark.parametrize("rounds", [1, 8])
def test_timeline_query_count_stays_flat(client, django_assert_max_num_queries, rounds):
    promise = make_promise(valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2025, 12, 31))
    for _ in range(10):
        make_commitment(promise)
    for i in range(rounds):
        make_round(promise, 2024 + i // 4, i % 4 + 1, state=State.PUBLISHED)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("followup:timeline", args=[promise.slug]))
    assert response.status_code == 200
