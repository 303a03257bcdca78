"""Follow-up in the residents' search (see promises.search): the summaries of published rounds,
and a filter on the commitments' latest published status."""

from django import forms
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from promises.models import Commitment
from promises.search import SearchSource, register, register_filter

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


def _commitments_with_status(status):
    return Commitment.objects.alias(latest_status=latest_published_status()).filter(
        latest_status=status
    )


def _narrow(source, rows, status):
    """A commitment hit must itself have the status; any other hit, a promise with such a
    commitment."""
    if source.kind == "commitment":
        # The status of each of `rows`, rather than the rows among every commitment's.
        return rows.alias(latest_status=latest_published_status()).filter(latest_status=status)
    return rows.filter(
        Exists(_commitments_with_status(status).filter(promise=OuterRef(source.promise)))
    )


register(
    SearchSource(
        kind="followup",
        label=_("follow-up"),
        queryset=FollowUpRound.objects.published,
        # Stored whatever the time: a round is seen from its publication on.
        published_rows=lambda: FollowUpRound.objects.filter(state=FollowUpRound.State.PUBLISHED),
        published_at="published_at",
        promise="promise",
        vector="search_vector",
        body="summary",
        url=lambda hit: (
            reverse("followup:timeline", kwargs={"slug": hit.promise.slug}) + f"#round-{hit.pk}"
        ),
    )
)
register_filter(
    "status",
    lambda: forms.ChoiceField(
        label=_("Commitment status"),
        help_text=_("As at the latest published follow-up."),
        choices=[("", _("Any status")), *CommitmentStatus.Status.choices],
        required=False,
    ),
    narrow=_narrow,
)
