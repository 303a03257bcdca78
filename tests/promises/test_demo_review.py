"""The demo's promise in review and the names on its follow-up rounds, with and without the
demo accounts."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from followup.models import FollowUpRound
from promises import services
from promises.models import Party, Promise, PromiseApproval

SLUG = "solvesborg-2026-2027"


def load_demo(**options):
    call_command("load_demo", stdout=StringIO(), **options)


def olofstrom_rounds():
    return {
        (r.year, r.quarter): r
        for r in FollowUpRound.objects.filter(promise__slug="olofstrom-barn-och-unga")
    }


class DemoWithAccountsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo(with_users=True)
        cls.promise = Promise.objects.get(slug=SLUG)
        cls.police = User.objects.get(username="polis-karlshamn")

    def test_solvesborg_draft_is_in_review_with_the_municipalitys_approval(self):
        assert self.promise.status == Promise.Status.IN_REVIEW
        (approval,) = self.promise.valid_approvals()
        assert approval.user.username == "samordnare-solvesborg"
        assert approval.party.municipality_code == "1083"
        assert [p.kind for p in self.promise.missing_signatures()] == [Party.Kind.POLICE_AREA]
        # Like every promise in review, it is not public.
        assert self.client.get(self.promise.get_absolute_url()).status_code == 404

    def test_police_see_the_half_done_sign_off_and_give_the_second_approval(self):
        self.client.force_login(self.police)
        page = self.client.get(reverse("admin:promises_promise_change", args=[self.promise.pk]))
        self.assertContains(page, "Godkännande av den här versionen behövs fortfarande från")
        self.assertContains(page, "Godkänn den här versionen")
        self.assertContains(page, "samordnare-solvesborg")
        services.approve(promise=self.promise, user=self.police)
        assert self.promise.missing_signatures() == []
        services.publish(promise=self.promise, user=self.police)
        assert self.client.get(self.promise.get_absolute_url()).status_code == 200

    def test_a_second_load_leaves_the_review_as_it_was(self):
        history = self.promise.history.count()
        load_demo(with_users=True)
        load_demo()  # without accounts: the status the workflow gave stays
        promise = Promise.objects.get(slug=SLUG)
        assert promise.status == Promise.Status.IN_REVIEW
        assert promise.submitted_at == self.promise.submitted_at
        assert PromiseApproval.objects.filter(promise=promise).count() == 1
        assert promise.history.count() == history

    def test_follow_up_rounds_name_who_submitted_and_approved_them(self):
        rounds = olofstrom_rounds()
        published, submitted, draft = rounds[(2026, 1)], rounds[(2026, 2)], rounds[(2026, 3)]
        assert published.submitted_by.username == "samordnare-olofstrom"
        assert published.approved_by == self.police
        assert submitted.submitted_by.username == "samordnare-olofstrom"
        assert submitted.approved_by is None
        assert draft.submitted_by is None


class DemoWithoutAccountsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_without_accounts_the_draft_stays_a_draft_and_rounds_name_nobody(self):
        assert not User.objects.exists()
        promise = Promise.objects.get(slug=SLUG)
        assert promise.status == Promise.Status.DRAFT
        assert not promise.approvals.exists()
        assert not FollowUpRound.objects.filter(submitted_by__isnull=False).exists()
        assert not FollowUpRound.objects.filter(approved_by__isnull=False).exists()

    def test_accounts_added_later_sign_what_is_theirs(self):
        load_demo(with_users=True)
        promise = Promise.objects.get(slug=SLUG)
        assert promise.status == Promise.Status.IN_REVIEW
        assert len(promise.valid_approvals()) == 1
        assert olofstrom_rounds()[(2026, 1)].approved_by.username == "polis-karlshamn"
