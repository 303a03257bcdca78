import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from followup import reminders
from followup.models import FollowUpReminder, FollowUpRound
from promises.models import Membership
from tests.factories import (
    make_commitment,
    make_membership,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_user,
)

D = dt.date


def send_reminders(today=None):
    """As the command does: the reminders' e-mails go out after the commit (immediate tasks)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders.send_reminders(today)


def run_command(out):
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_followup_reminders", stdout=out)


State = FollowUpRound.State


class ReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.police_area = make_police_area()
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area],
            title="Påmint löfte",
            valid_from=D(2026, 1, 1),
            valid_until=D(2026, 12, 31),
        )
        make_commitment(cls.promise)
        make_membership(
            user=make_user(email="samordnare@example.org", is_staff=True), party=cls.municipality
        )
        make_membership(
            user=make_user(email="polis@example.org", is_staff=True),
            party=cls.police_area,
            role=Membership.Role.POLICE,
        )
        make_membership(
            user=make_user(email="lasare@example.org"),
            party=cls.municipality,
            role=Membership.Role.VIEWER,
        )

    def test_due_soon_reminder_goes_to_coordinators_once_a_day(self):
        # Q1 2026 is due on 30 April; 20 April is within 14 days.
        assert send_reminders(today=D(2026, 4, 20)) == 1
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["samordnare@example.org"]
        assert "Påmint löfte" in mail.outbox[0].subject
        assert send_reminders(today=D(2026, 4, 20)) == 0
        assert len(mail.outbox) == 1
        reminder = FollowUpReminder.objects.get()
        assert (reminder.kind, reminder.year, reminder.quarter) == ("due_soon", 2026, 1)
        # The next day it reminds again.
        assert send_reminders(today=D(2026, 4, 21)) == 1

    def test_a_line_break_in_a_title_does_not_stop_the_reminders(self):
        self.promise.title = "Påmint\nlöfte"
        self.promise.save()
        assert send_reminders(today=D(2026, 4, 20)) == 1
        assert "Påmint löfte" in mail.outbox[0].subject

    def test_a_submitted_round_reminds_only_the_police(self):
        # Submitted before its due date and not yet reviewed: the coordinators have done
        # their part, so neither "due soon" nor, later, "overdue" goes to them.
        make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        for day in (D(2026, 4, 20), D(2026, 5, 5), D(2026, 5, 6)):
            send_reminders(today=day)
        assert {tuple(message.to) for message in mail.outbox} == {("polis@example.org",)}
        assert set(FollowUpReminder.objects.values_list("kind", flat=True)) == {"awaiting_review"}

    def test_nothing_due_far_ahead_or_when_approved(self):
        assert send_reminders(today=D(2026, 4, 15)) == 0  # 15 days ahead
        make_round(self.promise, 2026, 1, state=State.APPROVED)
        assert send_reminders(today=D(2026, 4, 20)) == 0
        assert send_reminders(today=D(2026, 5, 5)) == 0
        assert mail.outbox == []

    def test_overdue_reminder_when_not_approved(self):
        make_round(self.promise, 2026, 1, state=State.RETURNED)
        assert send_reminders(today=D(2026, 5, 1)) == 1
        assert FollowUpReminder.objects.get().kind == "overdue"
        assert mail.outbox[0].to == ["samordnare@example.org"]

    def test_awaiting_review_goes_to_the_police(self):
        round_ = make_round(self.promise, 2026, 1, state=State.SUBMITTED)
        with self.settings(SITE_URL="https://loftesportalen.example.org/"):
            assert send_reminders(today=D(2026, 4, 10)) == 1
        assert mail.outbox[0].to == ["polis@example.org"]
        assert FollowUpReminder.objects.get().kind == "awaiting_review"
        # A link that works from a mail client: the portal's own address, not a bare path.
        assert (
            f"https://loftesportalen.example.org/admin/followup/followupround/{round_.pk}/change/"
            in mail.outbox[0].body
        )

    def test_unpublished_promise_gets_no_reminders(self):
        self.promise.status = "draft"
        self.promise.published_at = None
        self.promise.save()
        assert send_reminders(today=D(2026, 5, 1)) == 0

    def test_command_is_idempotent(self):
        make_round(self.promise, 2026, 1, state=State.SUBMITTED)  # awaits review on any day
        out = StringIO()
        run_command(out)
        sent = len(mail.outbox)
        assert sent >= 1
        run_command(out)
        assert len(mail.outbox) == sent
        assert FollowUpReminder.objects.count() == sent
