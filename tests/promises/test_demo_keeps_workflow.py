"""A second demo load never moves a promise or a follow-up round back in its workflow."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase

from followup import services as followup_services
from followup.models import FollowUpRound
from promises import services
from promises.models import Promise

State = FollowUpRound.State


def load_demo():
    call_command("load_demo", with_users=True, stdout=StringIO())


class SecondLoadKeepsWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.police = User.objects.get(username="polis-karlshamn")
        cls.coordinator = User.objects.get(username="samordnare-olofstrom")
        cls.admin = User.objects.create_superuser("testare", "testare@example.se", "x")

    def round(self, quarter):
        return FollowUpRound.objects.get(
            promise__slug="olofstrom-barn-och-unga", year=2026, quarter=quarter
        )

    def test_a_round_published_in_the_admin_stays_published(self):
        round_ = followup_services.round_approve(round=self.round(2), user=self.police)
        round_ = followup_services.round_publish(round=round_, user=self.police)
        statuses = list(round_.statuses.values_list("pk", "status", "progress"))
        load_demo()
        round_ = self.round(2)
        assert round_.state == State.PUBLISHED
        assert round_.approved_by == self.police
        assert list(round_.statuses.values_list("pk", "status", "progress")) == statuses
        assert self.client.get(round_.get_absolute_url()).status_code == 200

    def test_a_round_submitted_in_the_admin_keeps_its_summary(self):
        round_ = self.round(3)
        round_.summary = "Kvartalets arbete enligt rådets genomgång."
        round_.save()
        followup_services.round_submit(round=round_, user=self.coordinator)
        status = round_.statuses.first()
        status.done_this_quarter = "Skolbesöken genomfördes."
        status.save()
        load_demo()
        round_ = self.round(3)
        assert round_.state == State.SUBMITTED
        assert round_.summary == "Kvartalets arbete enligt rådets genomgång."
        status.refresh_from_db()
        assert status.done_this_quarter == "Skolbesöken genomfördes."

    def test_an_archived_promise_stays_archived(self):
        promise = Promise.objects.get(slug="olofstrom-2021")
        services.archive(promise=promise, user=self.admin)
        history = promise.history.count()
        load_demo()
        promise.refresh_from_db()
        assert promise.status == Promise.Status.ARCHIVED
        assert promise.history.count() == history
        assert self.client.get(promise.get_absolute_url()).status_code == 404
