"""The follow-up shown on a promise's page: each commitment's latest published status."""

from collections import Counter
from dataclasses import dataclass, field

from django import template
from django.db.models import Count, F, OuterRef, Q, Subquery

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


@register.simple_tag
def latest_rounds(count=5):
    """The most recently published follow-up rounds of all promises, for the home page."""
    return list(
        FollowUpRound.objects.published()
        .select_related("promise")
        .order_by("-published_at")[:count]
    )


@dataclass
class Outcome:
    """What came of a promise: its latest published round, and its commitments per status."""

    round: FollowUpRound
    counts: list


@register.simple_tag
def promise_outcomes(promises):
    """{promise id: Outcome} for a page of promises, in one query whatever their number."""
    latest = (
        FollowUpRound.objects.published()
        .filter(promise=OuterRef("promise"))
        .order_by("-year", "-quarter")
        .values("pk")[:1]
    )
    counts = {
        status.value: Count("statuses", filter=Q(statuses__status=status))
        for status in CommitmentStatus.Status
    }
    rounds = (
        FollowUpRound.objects.filter(
            promise__in=[promise.pk for promise in promises], pk=Subquery(latest)
        )
        .select_related("promise")
        .annotate(**{f"count_{status}": count for status, count in counts.items()})
    )
    return {
        round_.promise_id: Outcome(
            round_,
            [
                (status, getattr(round_, f"count_{status.value}"))
                for status in CommitmentStatus.Status
                if getattr(round_, f"count_{status.value}")
            ],
        )
        for round_ in rounds
    }


@register.filter
def outcome_of(outcomes, promise):
    return outcomes.get(promise.pk) if isinstance(outcomes, dict) else None
