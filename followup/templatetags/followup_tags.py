"""The follow-up shown on a promise's page: each commitment's latest published status."""

from collections import Counter
from dataclasses import dataclass, field

from django import template
from django.db.models import F

from ..models import CommitmentStatus, FollowUpRound

register = template.Library()


@dataclass
class PromiseFollowUp:
    latest_round: FollowUpRound | None = None
    by_commitment: dict = field(default_factory=dict)

    def counts_for(self, focus_area_id):
        """(status, count) for the focus area's commitments, in the order of the choices."""
        counts = Counter(
            s.status for s in self.by_commitment.values() if s.focus_area_id == focus_area_id
        )
        return [(status, counts[status]) for status in CommitmentStatus.Status if counts[status]]


@register.simple_tag
def promise_followup(promise):
    """All the published follow-up a promise page needs, in one query. The latest round is
    found among the statuses' rounds: every round has a status row for each commitment."""
    statuses = list(
        CommitmentStatus.objects.latest_published(promise)
        .select_related("round")
        .annotate(focus_area_id=F("commitment__focus_area"))
    )
    latest_round = max((s.round for s in statuses), key=_chronological, default=None)
    return PromiseFollowUp(latest_round, {s.commitment_id: s for s in statuses})


def _chronological(round_):
    return round_.year, round_.quarter


@register.filter
def status_of(followup, commitment):
    if not isinstance(followup, PromiseFollowUp):
        return None
    return followup.by_commitment.get(commitment.pk)


@register.filter
def status_counts(followup, focus_area):
    if not isinstance(followup, PromiseFollowUp):
        return []
    return followup.counts_for(focus_area.pk if focus_area else None)
