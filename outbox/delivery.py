"""E-mail is sent in the background, never inside a resident's request.

`queue()` stores messages (`Message`) in the request's transaction; after the commit a task of
Django's tasks framework (`django.tasks`, the backend in settings.TASKS) sends them: in
production the database backend, whose worker (`manage.py db_worker`) runs them; in
development the immediate backend, which runs them at once. Sending is idempotent: each
message has a unique key, the task sends only the unsent ones of its keys and locks them while
it does, so a task that runs twice sends each message once. A message that fails is tried again
later, up to MAX_ATTEMPTS times, RETRY_AFTER apart (a backend that cannot defer a task leaves
the retry to `manage.py send_queued_mail`).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.tasks import task, task_backends
from django.utils import timezone

from .models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=10)
# Keys per task: one task sends this many messages over one mail-server connection.
BATCH_SIZE = 200


@dataclass
class Draft:
    key: str
    to: str
    subject: str
    body: str
    headers: dict = field(default_factory=dict)


def queue(drafts):
    """Store the drafts and send them in the background once the transaction commits. A draft
    whose key is queued already is left out. Returns the keys."""
    drafts = list(drafts)
    Message.objects.bulk_create(
        [
            # A line break in a subject would make an invalid header and stop the batch.
            Message(
                key=d.key,
                to=d.to,
                subject=" ".join(d.subject.split()),
                body=d.body,
                headers=d.headers,
            )
            for d in drafts
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    keys = [draft.key for draft in drafts]
    if keys:
        transaction.on_commit(lambda: enqueue(keys), robust=True)
    return keys


def enqueue(keys, run_after=None):
    """Hand the keys to the send task, BATCH_SIZE a task."""
    send = send_queued if run_after is None else send_queued.using(run_after=run_after)
    for start in range(0, len(keys), BATCH_SIZE):
        send.enqueue(keys[start : start + BATCH_SIZE])


def _email(message):
    return EmailMessage(message.subject, message.body, None, [message.to], headers=message.headers)


@task()
def send_queued(keys):
    """Send the unsent messages of these keys; returns how many were sent."""
    with transaction.atomic():
        # Locked until they are marked sent: a second run of the same keys meanwhile skips
        # them, and one afterwards finds them sent.
        messages = list(
            Message.objects.select_for_update(skip_locked=True)
            .unsent()
            .filter(key__in=keys, attempts__lt=MAX_ATTEMPTS)
        )
        if not messages:
            return 0
        sent, failed = [], []
        mailer = mailers["default"]
        for message in messages:
            try:
                mailer.send_messages([_email(message)])
            except Exception as error:  # each mail backend raises its own
                logger.warning("Sending %s failed", message.key, exc_info=True)
                failed.append((message, f"{type(error).__name__}: {error}"[:1000]))
            else:
                sent.append(message.pk)
        # Sent: the address and the text are no longer needed.
        Message.objects.filter(pk__in=sent).update(
            sent_at=timezone.now(), to="", subject="", body="", headers={}
        )
        for message, error in failed:
            Message.objects.filter(pk=message.pk).update(
                attempts=F("attempts") + 1, last_error=error
            )
    retry = [message.key for message, _error in failed if message.attempts + 1 < MAX_ATTEMPTS]
    if retry and task_backends[send_queued.backend].supports_defer:
        transaction.on_commit(lambda: enqueue(retry, run_after=timezone.now() + RETRY_AFTER))
    return len(sent)


def send_all_unsent():
    """Hand every unsent message that has tries left to the send task (after an outage, or
    with a backend that cannot retry by itself). Returns how many."""
    keys = list(
        Message.objects.unsent().filter(attempts__lt=MAX_ATTEMPTS).values_list("key", flat=True)
    )
    enqueue(keys)
    return len(keys)
