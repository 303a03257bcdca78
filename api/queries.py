"""Querysets the API's views and filters share."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from followup.models import CommitmentStatus, FollowUpRound


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
