"""Who a promise waiting for a signature should remind, and what the reminder says: the police
of its police area and the coordinators of each of its municipalities that have not approved
the version in review. The e-mails themselves are queued in the outbox by
`followup.reminders.send_signature_reminders()` (this app knows no app that builds on it),
which records each one (SignatureReminder) so a person hears about a promise once a day at most.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Membership, Party, Promise

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


def message(promise, party):
    """(subject, body) of the reminder that the promise waits for the party's signature."""
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
