"""`make bench`: notifying the subscribers of one follow-up round, at 1,000 and 10,000.

Delivery goes through the subscribers a batch at a time (subscriptions.notify.deliver_batch):
each batch builds its digests, queues them in the outbox and (with the immediate backend, as
in development) sends them. Two things are checked: every full batch costs the same number of
queries whatever the number of subscribers, and the time per subscriber stays about the same
(the total grows linearly)."""

import time

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followup.models import FollowUpRound
from outbox.models import Message
from subscriptions import notify
from subscriptions.models import Subscriber, Subscription, Update
from tests.conftest import task_backend
from tests.factories import (
    make_commitment,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

SIZES = (1_000, 10_000)
# Time per subscriber at 10,000 over that at 1,000.
TIME_TARGET = 1.5


def _world(size):
    municipality = make_municipality()
    promise = make_promise(parties=[municipality, make_police_area()])
    for _ in range(8):
        make_commitment(promise)
    year = promise.valid_from.year
    make_round(promise, year, 1, state=FollowUpRound.State.PUBLISHED)
    round_ = make_round(promise, year, 2, state=FollowUpRound.State.PUBLISHED)
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"boende{i}@example.org", language=("sv", "en")[i % 2])
            for i in range(size)
        ),
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        (
            Subscription(subscriber=s, municipality=municipality, confirmed_at=now)
            for s in subscribers
        ),
        batch_size=2000,
    )
    return Update.objects.create(kind=Update.Kind.ROUND_PUBLISHED, promise=promise, round=round_)


def _deliver(size):
    update = _world(size)
    today, counts, after = timezone.localdate(), [], 0
    start = time.perf_counter()
    while after is not None:
        with CaptureQueriesContext(connection) as queries:
            _queued, after = notify.deliver_batch(today=today, latest=update.pk, after=after)
        counts.append(len(queries))
    elapsed = time.perf_counter() - start
    sent = len(mail.outbox)
    mail.outbox.clear()
    Subscriber.objects.all().delete()
    Message.objects.all().delete()
    # Full batches only: the last one is shorter, and the closing look finds nobody.
    full = size // notify.BATCH_SIZE
    return elapsed, set(counts[:full]), sent


def run():
    """Prints the case; returns 1 if a target is missed, else 0."""
    with task_backend("django.tasks.backends.immediate.ImmediateBackend"):
        results = {size: _deliver(size) for size in SIZES}
    (small_time, small_counts, small_sent), (large_time, large_counts, large_sent) = (
        results[size] for size in SIZES
    )
    per_subscriber = (large_time / SIZES[1]) / (small_time / SIZES[0])
    flat = len(small_counts) == 1 and small_counts == large_counts
    ok = flat and per_subscriber <= TIME_TARGET and (small_sent, large_sent) == SIZES
    print(
        f"{'notify one round, subscribers x10':40} {large_time / small_time:10.2f} "
        f"{'-':>7} per subscriber {per_subscriber:.2f} (target {TIME_TARGET}), "
        f"queries per batch of {notify.BATCH_SIZE}: {sorted(small_counts)} at {SIZES[0]:,}, "
        f"{sorted(large_counts)} at {SIZES[1]:,}; {large_time:.1f} s for {SIZES[1]:,} "
        f"{'ok' if ok else 'NOT FLAT OR NOT LINEAR'}"
    )
    return 0 if ok else 1
