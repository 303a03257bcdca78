"""The follow-up on the home page (latest updates) and in the archive (what came of it)."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from followup.models import CommitmentStatus, FollowUpRound
from tests.factories import make_commitment, make_promise, make_round

State = FollowUpRound.State
LAST_YEAR = timezone.localdate().year - 1


def _earlier_promise(**overrides):
    return make_promise(
        valid_from=dt.date(LAST_YEAR, 1, 1), valid_until=dt.date(LAST_YEAR, 12, 31), **overrides
    )


class LatestFollowUpTests(TestCase):
    def test_home_lists_the_five_latest_published_rounds(self):
        now = timezone.now()
        rounds = []
        for n in range(6):
            promise = make_promise(title=f"Löfte nummer {n}")
            rounds.append(
                make_round(promise, state=State.PUBLISHED, published_at=now - dt.timedelta(days=n))
            )
        make_round(make_promise(title="Löfte med utkast"), state=State.APPROVED)
        hidden = make_promise(title="Opublicerat löfte", status="draft", published_at=None)
        make_round(hidden, state=State.PUBLISHED)
        response = self.client.get("/en/")
        content = response.content.decode()
        assert 'id="latest-followup-heading">Latest follow-up updates</h2>' in content
        with translation.override("en"):
            for round_ in rounds[:5]:
                self.assertContains(response, f'href="{round_.get_absolute_url()}"')
        self.assertContains(response, f"Löfte nummer 0: follow-up {rounds[0].quarter_label}")
        assert content.index("Löfte nummer 0:") < content.index("Löfte nummer 4:")
        self.assertNotContains(response, rounds[5].get_absolute_url())
        self.assertNotContains(response, "Löfte med utkast:")
        self.assertNotContains(response, "Opublicerat löfte")
        self.assertContains(
            response, f'<time datetime="{timezone.localdate(now):%Y-%m-%d}">', count=1
        )

    def test_home_without_follow_up_says_so(self):
        make_promise()
        self.assertContains(self.client.get("/en/"), "No follow-up has been published yet.")


class OutcomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = _earlier_promise(title="Förra årets löfte")
        commitments = [make_commitment(cls.promise) for _ in range(4)]
        q3 = make_round(cls.promise, LAST_YEAR, 3, state=State.PUBLISHED)
        q3.statuses.update(status=CommitmentStatus.Status.ONGOING)
        cls.q4 = make_round(cls.promise, LAST_YEAR, 4, state=State.PUBLISHED)
        statuses = ["done", "done", "delayed", "cancelled"]
        for commitment, status in zip(commitments, statuses, strict=True):
            cls.q4.statuses.filter(commitment=commitment).update(status=status)
        # An approved round is not published yet: it does not count.
        make_round(cls.promise, LAST_YEAR + 1, 1, state=State.APPROVED).statuses.update(
            status="at_risk"
        )
        cls.without = _earlier_promise(title="Löfte utan uppföljning")
        make_commitment(cls.without)
        make_round(cls.without, LAST_YEAR, 2, state=State.DRAFT)

    def test_archive_counts_the_statuses_of_the_latest_published_round(self):
        response = self.client.get("/en" + reverse("promises:archive"))
        outcome = response.context["outcomes"][self.promise.pk]
        assert outcome.round == self.q4
        assert [(status.value, count) for status, count in outcome.counts] == [
            ("delayed", 1),
            ("done", 2),
            ("cancelled", 1),
        ]
        self.assertContains(
            response, f"What came of it, at the last follow-up ({self.q4.quarter_label}):"
        )
        # Text and a shape of its own for every status, never colour alone.
        self.assertContains(
            response,
            '<span class="status status--done"><span class="status__icon" aria-hidden="true">'
            "●</span> Done: 2</span>",
            html=True,
        )
        self.assertContains(
            response,
            '<span class="status status--delayed"><span class="status__icon" aria-hidden="true">'
            "■</span> Delayed: 1</span>",
            html=True,
        )
        self.assertNotContains(response, "status--at_risk")
        self.assertNotContains(response, "status--ongoing")
        with translation.override("en"):
            timeline = reverse("followup:timeline", kwargs={"slug": self.promise.slug})
        self.assertContains(response, f'href="{timeline}"')

    def test_a_promise_without_published_follow_up_says_so(self):
        response = self.client.get("/en" + reverse("promises:archive"))
        assert self.without.pk not in response.context["outcomes"]
        self.assertContains(response, "No follow-up of this promise was published.", count=1)

    def test_swedish_status_labels(self):
        response = self.client.get(reverse("promises:archive"))
        self.assertContains(
            response,
            '<li><span class="status status--done"><span class="status__icon" aria-hidden="true">'
            "●</span> Klar: 2</span></li>",
            html=True,
        )
