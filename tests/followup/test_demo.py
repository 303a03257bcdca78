from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from followup.models import FollowUpRound
from followup.schedule import is_overdue
from tests.shared_data import TEST_DAY

State = FollowUpRound.State


@time_machine.travel(TEST_DAY)
class FollowUpDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_oskarshamn_has_every_quarter_published(self):
        rounds = FollowUpRound.objects.filter(promise__slug="oskarshamn-2024-2025")
        assert rounds.count() == 8
        assert set(rounds.values_list("state", flat=True)) == {State.PUBLISHED}
        assert rounds.get(year=2025, quarter=4).statuses.count() == 17
        response = self.client.get(reverse("followup:timeline", args=["oskarshamn-2024-2025"]))
        assert response.status_code == 200
        response = self.client.get(reverse("followup:feed"))
        self.assertContains(response, "Oskarshamn")

    def test_olofstrom_has_a_round_awaiting_review_and_an_overdue_one(self):
        rounds = {
            (r.year, r.quarter): r
            for r in FollowUpRound.objects.filter(promise__slug="olofstrom-barn-och-unga")
        }
        assert rounds[(2026, 1)].state == State.PUBLISHED
        assert rounds[(2026, 2)].state == State.SUBMITTED
        draft = rounds[(2026, 3)]
        assert draft.state == State.DRAFT
        assert is_overdue(draft.year, draft.quarter, draft.state)
        response = self.client.get(reverse("promises:promise_detail", args=[draft.promise.slug]))
        self.assertContains(response, "followup-line")
        assert self.client.get(rounds[(2026, 2)].get_absolute_url()).status_code == 404
