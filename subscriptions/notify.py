"""What subscribers receive: a digest of what was published since their last message, at most
one a day, in the language they subscribed in.

`promise_changed(promise, kind, round=None)` is the hook: it listens to promises.announcements
(called after the commit of a publish), records the news (`Update`) and starts delivery in the
background. Delivery goes through the subscribers a batch at a time, each batch in a fixed
number of queries whatever the number of subscribers, and queues one e-mail per subscriber in
the outbox, keyed by subscriber and day, so that a delivery that runs twice sends one.
Subscribers already written to today get the news with the next day's delivery
(`manage.py send_subscriber_news`, daily from cron). Nothing unpublished is ever sent: news is
read again at delivery and left out if its promise or round is no longer public.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followup.models import CommitmentStatus, FollowUpRound
from outbox.delivery import Draft, queue
from promises.models import Party, Promise

from . import tokens
from .models import Subscriber, Subscription, Update
from .services import absolute, unsubscribe_headers

BATCH_SIZE = 500


def promise_changed(promise, kind, round=None):
    """Something about `promise` was published (promises.announcements.KINDS): tell those who
    follow it or one of its municipalities."""
    Update.objects.create(kind=kind, promise=promise, round=round)
    transaction.on_commit(deliver_updates.enqueue, robust=True)


@task()
def deliver_updates():
    """Queue today's digest for every subscriber with news who has had none today."""
    today = timezone.localdate()
    latest = Update.objects.aggregate(latest=Max("pk"))["latest"] or 0
    after, queued = 0, 0
    while True:
        batch_queued, after = deliver_batch(today=today, latest=latest, after=after)
        queued += batch_queued
        if after is None:
            return queued


def _updates(since, latest):
    """The news with ids in (since, latest] that is still public, with what a digest shows."""
    return list(
        Update.objects.filter(pk__gt=since, pk__lte=latest, promise__in=Promise.objects.published())
        .filter(Q(round=None) | Q(round__in=FollowUpRound.objects.published()))
        .select_related("promise", "round")
        .prefetch_related(
            Prefetch("promise__parties", queryset=Party.objects.municipalities(), to_attr="towns")
        )
    )


@transaction.atomic
def deliver_batch(*, today, latest, after):
    """Digests for the next BATCH_SIZE subscribers after pk `after`: (queued, last pk or None
    when there are no more)."""
    subscribers = list(
        Subscriber.objects.select_for_update(skip_locked=True)
        .filter(
            pk__gt=after,
            last_update__lt=latest,
            pk__in=Subscription.objects.confirmed().values("subscriber"),
        )
        .filter(Q(last_sent_on=None) | Q(last_sent_on__lt=today))
        .order_by("pk")[:BATCH_SIZE]
    )
    if not subscribers:
        return 0, None
    follows = defaultdict(lambda: (set(), set()))
    for subscriber_id, municipality_id, promise_id in (
        Subscription.objects.confirmed()
        .filter(subscriber__in=[s.pk for s in subscribers])
        .values_list("subscriber", "municipality", "promise")
    ):
        municipalities, promises = follows[subscriber_id]
        if municipality_id:
            municipalities.add(municipality_id)
        else:
            promises.add(promise_id)
    updates = _updates(min(s.last_update for s in subscribers), latest)
    sections = Sections()
    drafts, told = [], []
    for subscriber in subscribers:
        municipalities, promises = follows[subscriber.pk]
        news = [
            update
            for update in updates
            if update.pk > subscriber.last_update
            and (
                update.promise_id in promises
                or any(town.pk in municipalities for town in update.promise.towns)
            )
        ]
        if news:
            drafts.append(_digest(subscriber, news, sections, today))
            told.append(subscriber.pk)
    queue(drafts)
    Subscriber.objects.filter(pk__in=told).update(last_update=latest, last_sent_on=today)
    Subscriber.objects.filter(pk__in=[s.pk for s in subscribers]).exclude(pk__in=told).update(
        last_update=latest
    )
    last = subscribers[-1].pk
    return len(drafts), (last if len(subscribers) == BATCH_SIZE else None)


class Sections:
    """Each piece of news as text, made once per language for all the subscribers of a run."""

    def __init__(self):
        self._made = {}

    def get(self, update, language):
        key = (update.pk, language)
        if key not in self._made:
            self._made[key] = render_to_string(
                "subscriptions/email/update.txt", {"update": update, **_details(update)}
            ).strip()
        return self._made[key]


def _details(update):
    details = {"url": absolute(update.promise.get_absolute_url())}
    if update.round is not None:
        details["url"] = absolute(update.round.get_absolute_url())
        details["changes"], details["previous"] = round_changes(update.round)
    return details


def round_changes(round_):
    """([(commitment, old status label, new status label)], the previous published round or
    None): what changed since the previous round residents saw."""
    previous = (
        FollowUpRound.objects.published()
        .filter(promise=round_.promise_id)
        .before(round_.year, round_.quarter)
        .first()
    )
    if previous is None:
        return [], None
    before = dict(previous.statuses.values_list("commitment", "status"))
    changes = [
        (
            status.commitment,
            CommitmentStatus.Status(before[status.commitment_id]).label,
            status.get_status_display(),
        )
        for status in round_.statuses.select_related("commitment").order_by("commitment__order")
        if status.commitment_id in before and before[status.commitment_id] != status.status
    ]
    return changes, previous


def _digest(subscriber, news, sections, today):
    with translation.override(subscriber.language):
        token = tokens.manage_token(subscriber)
        body = render_to_string(
            "subscriptions/email/digest.txt",
            {
                "sections": [sections.get(update, subscriber.language) for update in news],
                "manage_url": absolute(reverse("subscriptions:manage", args=[token])),
                "unsubscribe_url": absolute(reverse("subscriptions:unsubscribe", args=[token])),
            },
        )
        if len(news) == 1:
            subject = _("News from Löftesportalen: %(promise)s") % {
                "promise": news[0].promise.title
            }
        else:
            subject = ngettext(
                "News from Löftesportalen: %(count)d update",
                "News from Löftesportalen: %(count)d updates",
                len(news),
            ) % {"count": len(news)}
    return Draft(
        f"digest:{subscriber.pk}:{today.isoformat()}",
        subscriber.email,
        subject,
        body,
        unsubscribe_headers(subscriber),
    )
