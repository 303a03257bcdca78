"""The police know what waits for them: promises awaiting their signature top their overview,
reminders reach whoever has not signed (once a day), and a promise sent back carries a comment."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from followup import reminders
from outbox.models import Message
from promises import services
from promises.models import Membership, Promise, SignatureReminder
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)


def send_signature_reminders(today):
    """As the command does: the e-mails go out after the commit (immediate tasks)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders.send_signature_reminders(today)


class WaitingForSignatureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom, cls.solvesborg = make_municipality(), make_municipality()
        cls.police_area = make_police_area()
        cls.coordinator = make_member(
            cls.olofstrom, Membership.Role.COORDINATOR, email="olof@example.org"
        )
        cls.other_coordinator = make_member(
            cls.solvesborg, Membership.Role.COORDINATOR, email="solv@example.org"
        )
        cls.police = make_member(cls.police_area, Membership.Role.POLICE, email="polis@example.org")
        make_member(cls.solvesborg, Membership.Role.VIEWER, email="viewer@example.org")

    def setUp(self):
        promise = make_promise(
            parties=[self.olofstrom, self.solvesborg, self.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        make_commitment(promise, [self.police_area])
        self.promise = services.submit_for_review(promise=promise, user=self.coordinator)
        services.approve(promise=self.promise, user=self.coordinator)

    def test_the_police_overview_starts_with_promises_awaiting_their_signature(self):
        self.client.force_login(self.police)
        page = self.client.get(reverse("admin:followup_reviewoverview_changelist"))
        html = page.content.decode()
        waiting = html.index("Löften som väntar på ert godkännande")
        assert waiting < html.index('id="promises-heading"')
        assert html.index(self.promise.title, waiting) < html.index('id="promises-heading"')
        services.approve(promise=self.promise, user=self.police)
        page = self.client.get(reverse("admin:followup_reviewoverview_changelist"))
        self.assertContains(page, "Inget löfte väntar på ert godkännande.")

    def test_reminders_go_to_those_who_have_not_signed_once_a_day(self):
        today = dt.date(2026, 3, 2)
        assert send_signature_reminders(today) == 2
        assert sorted(m.to[0] for m in mail.outbox) == ["polis@example.org", "solv@example.org"]
        assert all(self.promise.title in m.subject for m in mail.outbox)
        assert (
            reverse("admin:promises_promise_change", args=[self.promise.pk]) in mail.outbox[0].body
        )
        # The same day: recorded, so nothing is sent twice.
        assert send_signature_reminders(today) == 0
        assert SignatureReminder.objects.count() == 2
        # The next day, only whoever still has not signed.
        services.approve(promise=self.promise, user=self.police)
        mail.outbox.clear()
        assert send_signature_reminders(today + dt.timedelta(days=1)) == 1
        assert mail.outbox[0].to == ["solv@example.org"]

    def test_the_reminders_command_sends_them(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_followup_reminders", stdout=io.StringIO())
        assert {m.to[0] for m in mail.outbox} >= {"polis@example.org", "solv@example.org"}

    def test_reminders_are_queued_in_the_outbox_not_sent_at_once(self):
        """Like all e-mail, the reminders go through the background worker: nothing is sent
        until the transaction commits, and each e-mail has its own key, sent once."""
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            assert reminders.send_signature_reminders(dt.date(2026, 3, 2)) == 2
        assert mail.outbox == []
        keys = set(Message.objects.values_list("key", flat=True))
        assert len(keys) == 2 and all(key.startswith("signature-reminder:") for key in keys)
        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 2
        assert Message.objects.unsent().count() == 0
        # The worker running the same keys again sends nothing twice.
        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 2

    def test_returning_to_draft_needs_a_comment_the_coordinators_see(self):
        with pytest.raises(ValidationError, match="Skriv vad som behöver ändras"):
            services.return_to_draft(promise=self.promise, user=self.police, comment="  ")
        assert Promise.objects.get(pk=self.promise.pk).status == Promise.Status.IN_REVIEW
        self.client.force_login(self.police)
        url = reverse("admin:promises_promise_workflow", args=[self.promise.pk, "return_to_draft"])
        self.client.post(url, {"comment": ""})
        assert Promise.objects.get(pk=self.promise.pk).status == Promise.Status.IN_REVIEW
        self.client.post(url, {"comment": "Åtagande 2 saknar ansvarig."})
        assert Promise.objects.get(pk=self.promise.pk).status == Promise.Status.DRAFT
        self.client.force_login(self.other_coordinator)
        page = self.client.get(reverse("admin:promises_promise_change", args=[self.promise.pk]))
        self.assertContains(page, "Åtagande 2 saknar ansvarig.")
        # Submitted again, the comment has done its work.
        promise = services.submit_for_review(promise=self.promise, user=self.coordinator)
        assert promise.return_comment == ""
