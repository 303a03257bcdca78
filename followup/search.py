"""Follow-up in the residents' search (see promises.search): the summaries of published rounds,
and a filter on the commitments' latest published status."""

from django import forms
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from promises.models import Commitment
from promises.search import SearchSource, register, register_filter

from .latest_status import computed_status_is, latest_status_is, stored_status_is
from .models import CommitmentStatus, FollowUpRound


def _narrow(source, rows, status):
    """A commitment hit must itself have the status; any other hit, a promise with such a
    commitment."""
    if source.kind == "commitment":
        return rows.filter(latest_status_is(status))
    commitments = Commitment.objects.filter(promise=OuterRef(source.promise))
    # An EXISTS for each part, each through an index of its own: a single one for both would,
    # for each promise, look through every commitment with the status.
    return rows.filter(
        Exists(commitments.filter(stored_status_is(status)))
        | Exists(commitments.filter(computed_status_is(status)))
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
