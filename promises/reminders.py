"""Reminder e-mails about promises waiting for a signature: to the police of its police area
and the coordinators of each of its municipalities that have not approved the version in
review. Each person hears about a promise once a day at most; every e-mail sent is recorded
(SignatureReminder), so running the reminders again the same day sends nothing twice.

`send_signature_reminders()` is a plain function: the reminders command calls it, and a task
queue may call it the same way.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Membership, Party, Promise, SignatureReminder

SIGNING_ROLE = {
    Party.Kind.MUNICIPALITY: Membership.Role.COORDINATOR,
    Party.Kind.POLICE_AREA: Membership.Role.POLICE,
}


def _signers(party):
    """E-mail addresses of those who sign for the party (its memberships prefetched)."""
    role = SIGNING_ROLE[party.kind]
    return {
        membership.user.email
        for membership in party.memberships.all()
        if membership.role == role and membership.user.is_active and membership.user.email
    }


def pending():
    """(promise, party, recipient) for everyone whose signature a promise in review waits for."""
    promises = Promise.objects.filter(status=Promise.Status.IN_REVIEW).prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("user"))
            ),
        )
    )
    for promise in promises:
        for party in promise.missing_signatures():
            for recipient in sorted(_signers(party)):
                yield promise, party, recipient


def _message(promise, party):
    subject = _("%(promise)s waits for the signature of %(party)s") % {
        "promise": promise.title,
        "party": party.name,
    }
    # A line break in a title would make an invalid e-mail header and stop the whole run.
    subject = " ".join(subject.split())
    url = settings.SITE_URL.rstrip("/") + reverse(
        "admin:promises_promise_change", args=[promise.pk]
    )
    body = _(
        "%(subject)s.\n\nRead it and approve it, or return it to draft with a comment, in "
        "Löftesportalen's administration: %(url)s\n"
    ) % {"subject": subject, "url": url}
    return subject, body


def send_signature_reminders(today=None):
    """Send today's signature reminders not sent yet; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for promise, party, recipient in pending():
            try:
                with transaction.atomic():
                    SignatureReminder.objects.create(
                        promise=promise, party=party, recipient=recipient, sent_on=today
                    )
                    subject, body = _message(promise, party)
                    # Inside the transaction: if sending fails, nothing is recorded and the
                    # next run tries again.
                    send_mail(subject, body, None, [recipient])
            except IntegrityError:
                continue  # already reminded today, of this promise (perhaps for another party)
            sent += 1
    return sent
