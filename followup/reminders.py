"""Reminder e-mails: coordinators about quarters due within REMIND_DAYS_BEFORE days or overdue,
the police about rounds awaiting their review, and everyone whose signature a promise in review
waits for (`promises.reminders` says who and what). Each reminder is recorded once a day and its
e-mails queued in the outbox, which sends them in the background."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outbox.delivery import Draft, queue
from promises import reminders as signature
from promises.models import Membership, Party, Promise, SignatureReminder

from .models import FollowUpReminder, FollowUpRound
from .schedule import due_quarters

REMIND_DAYS_BEFORE = 14
# Overdue quarters are reminded of for this long; after that the overview still shows them.
REMIND_OVERDUE_FOR = dt.timedelta(days=90)
Kind = FollowUpReminder.Kind


def _recipients(promise, role):
    return sorted(
        {
            membership.user.email
            for party in promise.parties.all()
            for membership in party.memberships.all()
            if membership.role == role and membership.user.is_active and membership.user.email
        }
    )


def _pending(today):
    """(promise, year, quarter, kind, role) for every reminder due today."""
    promises = Promise.objects.published().prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("user"))
            ),
        ),
        "followup_rounds",
    )
    for promise in promises:
        rounds = list(promise.followup_rounds.all())
        for due in due_quarters(promise, rounds, today):
            # Coordinators are reminded only of what they can still do: a round they have
            # submitted waits for the police, who get their own reminder below.
            coordinators_turn = due.round is None or due.round.is_editable
            soon = today <= due.due_on <= today + dt.timedelta(REMIND_DAYS_BEFORE)
            if coordinators_turn and due.overdue and today - due.due_on <= REMIND_OVERDUE_FOR:
                yield promise, due, Kind.OVERDUE, Membership.Role.COORDINATOR
            elif coordinators_turn and not due.done and soon:
                yield promise, due, Kind.DUE_SOON, Membership.Role.COORDINATOR
            if due.round and due.round.state == FollowUpRound.State.SUBMITTED:
                yield promise, due, Kind.AWAITING_REVIEW, Membership.Role.POLICE


def _message(promise, due, kind):
    label = due.label
    subject = {
        Kind.DUE_SOON: _("Follow-up of %(promise)s for %(quarter)s is due on %(date)s"),
        Kind.OVERDUE: _("Follow-up of %(promise)s for %(quarter)s is overdue since %(date)s"),
        Kind.AWAITING_REVIEW: _("Follow-up of %(promise)s for %(quarter)s awaits your review"),
    }[kind] % {"promise": promise.title, "quarter": label, "date": due.due_on}
    # A line break in a title would make an invalid e-mail header and stop the whole run.
    subject = " ".join(subject.split())
    if due.round:
        path = reverse("admin:followup_followupround_change", args=[due.round.pk])
    else:
        path = reverse("admin:followup_followupround_add")
    body = _("%(subject)s.\n\nOpen the follow-up in Löftesportalen's administration: %(url)s\n") % {
        "subject": subject,
        "url": settings.SITE_URL.rstrip("/") + path,
    }
    return subject, body


def send_reminders(today=None):
    """Queue today's reminders that were not queued yet; returns how many reminders."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for promise, due, kind, role in _pending(today):
            recipients = _recipients(promise, role)
            if not recipients:
                continue
            try:
                with transaction.atomic():
                    reminder = FollowUpReminder.objects.create(
                        promise=promise,
                        year=due.year,
                        quarter=due.quarter,
                        kind=kind,
                        sent_on=today,
                        recipients=", ".join(recipients),
                    )
                    subject, body = _message(promise, due, kind)
                    # In the same transaction: the reminder is recorded if and only if its
                    # e-mails are queued; the outbox retries them if the mail server fails.
                    queue(
                        Draft(f"reminder:{reminder.pk}:{to}", to, subject, body)
                        for to in recipients
                    )
            except IntegrityError:
                continue  # already sent today, perhaps by a concurrent run
            sent += 1
    return sent


def send_signature_reminders(today=None):
    """Queue today's signature reminders not queued yet; returns how many e-mails."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for promise, party, recipient in signature.pending():
            try:
                with transaction.atomic():
                    reminder = SignatureReminder.objects.create(
                        promise=promise, party=party, recipient=recipient, sent_on=today
                    )
                    subject, body = signature.message(promise, party)
                    # In the same transaction: recorded if and only if queued.
                    queue([Draft(f"signature-reminder:{reminder.pk}", recipient, subject, body)])
            except IntegrityError:
                continue  # already reminded today, of this promise (perhaps for another party)
            sent += 1
    return sent
