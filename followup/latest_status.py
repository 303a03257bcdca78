"""Each commitment's status in the latest published follow-up round, stored on it
(Commitment.latest_status): the status filters of the search and the API read it through an
index, where computing it for every commitment took most of a second at national scale.

It is stored as published() has it at the last write of anything it depends on: a status row,
a round, the promise, the commitment itself (the receivers below; the status rows' and rounds'
update() and bulk_create() in followup.models). It is never ahead of what residents may see,
but a round or promise published for a later time becomes public with no write: the stored
status of its commitments holds only until then (`latest_status_until`), so the filters
compute theirs instead of reading it (`latest_status_is()`), until a write stores it anew.
"""

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import Exact
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from promises.models import Commitment, Promise

from .models import CommitmentStatus, FollowUpRound


def latest_published_status():
    """The status of the outer commitment in the latest published round that covers it."""
    return Subquery(
        CommitmentStatus.objects.filter(
            commitment=OuterRef("pk"), round__in=FollowUpRound.objects.published()
        )
        .order_by("-round__year", "-round__quarter")
        .values("status")[:1]
    )


def _next_publication(now):
    """When the first of the outer commitment's status rows that is published for a time after
    `now` (its round's, or its promise's) becomes public: what published() says of a round
    but for the time."""
    return Subquery(
        CommitmentStatus.objects.filter(
            commitment=OuterRef("pk"),
            round__state=FollowUpRound.State.PUBLISHED,
            round__promise__status=Promise.Status.PUBLISHED,
        )
        .annotate(public_from=Greatest("round__published_at", "round__promise__published_at"))
        .filter(public_from__gt=now)
        .order_by("public_from")
        .values("public_from")[:1]
    )


def refresh_latest_status(commitments=None):
    """Store the latest published status of `commitments` (a queryset of them or their ids;
    every commitment if None) as it is now, in one UPDATE, and that of any commitment whose
    stored status a publication set for later has outdated since: any write brings those up
    to date."""
    # Taken before published() takes its own: a round published in between counts for both,
    # so its commitments' status is computed rather than stored without it.
    now = timezone.now()
    rows = Commitment.all_objects.all()
    if commitments is not None:
        rows = rows.filter(Q(pk__in=commitments) | Q(latest_status_until__lte=now))
    with transaction.atomic(savepoint=False):
        # Locked first, and computed in a statement of its own: another write to their
        # follow-up that stores their status too has committed by then, and is seen.
        list(rows.select_for_update(no_key=True).order_by("pk").values_list("pk"))
        rows.update(
            latest_status=Coalesce(latest_published_status(), Value("")),
            latest_status_until=_next_publication(now),
        )


def stored_status_is(status):
    """Commitments whose stored status is `status` and holds whatever the time."""
    return Q(latest_status=status, latest_status_until=None)


def computed_status_is(status):
    """Commitments whose status a publication set for later changes from its time on, and is
    `status` now: computed, for all of them whether the time has come or not (a handful)."""
    return Q(latest_status_until__isnull=False) & Q(Exact(latest_published_status(), status))


def latest_status_is(status):
    """A filter of commitments on their status in the latest published round, as it is now."""
    return stored_status_is(status) | computed_status_is(status)


@receiver(post_save, sender=CommitmentStatus)
@receiver(post_delete, sender=CommitmentStatus)
def status_written(sender, instance, **kwargs):
    # A round deleted takes its status rows with it, each sent here: rounds need no receiver
    # for deletion.
    refresh_latest_status([instance.commitment_id])


@receiver(post_save, sender=FollowUpRound)
def round_saved(sender, instance, created, raw, **kwargs):
    if created and not raw:
        return  # its status rows come after it
    refresh_latest_status(Commitment.all_objects.filter(statuses__round=instance))


@receiver(post_save, sender=Promise)
def promise_saved(sender, instance, created, raw, **kwargs):
    # Its status and publication are in published() of each of its rounds.
    if created and not raw:
        return
    refresh_latest_status(Commitment.all_objects.filter(statuses__round__promise=instance))


@receiver(post_save, sender=Commitment)
def commitment_saved(sender, instance, created, raw, **kwargs):
    # save() writes back the stored status the instance was read with, which a write to its
    # follow-up may have changed since.
    if created and not raw:
        return
    refresh_latest_status([instance.pk])
