"""The follow-up on the public promise pages (see promises.pages): each commitment's latest
published status on the promise page, the latest rounds on the home page, and what came of
each promise in the archive."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery

from promises import pages

from .models import CommitmentStatus, FollowUpRound

LATEST_ROUNDS_ON_HOME = 5


@dataclass
class PromiseFollowUp:
    latest_round: FollowUpRound | None = None
    # {commitment id: its latest published CommitmentStatus}
    by_commitment: dict = field(default_factory=dict)
    # {focus area id: [(status, count), …] in the order of the choices}
    counts_by_focus_area: dict = field(default_factory=dict)


def promise_followup(promise):
    """All the published follow-up a promise page needs, in one query. The latest round is
    found among the statuses' rounds: every round has a status row for each commitment."""
    statuses = list(
        CommitmentStatus.objects.latest_published(promise)
        .select_related("round")
        .annotate(focus_area_id=F("commitment__focus_area"))
    )
    latest_round = max((s.round for s in statuses), key=_chronological, default=None)
    counts = defaultdict(Counter)
    for status in statuses:
        counts[status.focus_area_id][status.status] += 1
    counts_by_focus_area = {
        area_id: [(status, count[status]) for status in CommitmentStatus.Status if count[status]]
        for area_id, count in counts.items()
    }
    followup = PromiseFollowUp(
        latest_round, {s.commitment_id: s for s in statuses}, counts_by_focus_area
    )
    return {"followup": followup}


def _chronological(round_):
    return round_.year, round_.quarter


def latest_rounds():
    """The most recently published follow-up rounds of all promises, for the home page."""
    rounds = (
        FollowUpRound.objects.published()
        .select_related("promise")
        .order_by("-published_at")[:LATEST_ROUNDS_ON_HOME]
    )
    return {"latest_rounds": list(rounds)}


@dataclass
class Outcome:
    """What came of a promise: its latest published round, and its commitments per status."""

    round: FollowUpRound
    counts: list


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
    outcomes = {
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
    return {"outcomes": outcomes}


pages.register("promise_detail", promise_followup)
pages.register("home", latest_rounds)
pages.register("archive", promise_outcomes)
