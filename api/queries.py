"""Querysets the API's views and filters share."""

from django.db.models import F, Min, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Promise


def latest_published_statuses():
    """Each commitment's status row in the latest published round of its promise.

    A window function ranks the published rows of each commitment, in one pass over them: a
    correlated subquery per commitment took seconds for the whole country."""
    rank = Window(
        RowNumber(),
        partition_by=[F("commitment_id")],
        order_by=[F("round__year").desc(), F("round__quarter").desc()],
    )
    published = CommitmentStatus.objects.filter(round__in=FollowUpRound.objects.published())
    return published.annotate(rank=rank).filter(rank=1)


def next_publication():
    """When what the API shows next changes with no write: the earliest publication of a
    promise or a round set for a later time, or None."""
    now = timezone.now()
    promises = Promise.objects.filter(status=Promise.Status.PUBLISHED, published_at__gt=now)
    rounds = FollowUpRound.objects.filter(state=FollowUpRound.State.PUBLISHED, published_at__gt=now)
    times = [queryset.aggregate(at=Min("published_at"))["at"] for queryset in (promises, rounds)]
    return min(filter(None, times), default=None)
