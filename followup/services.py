"""Writes of follow-up rounds: creating a round with its status rows, and its review states
(ROUND_WORKFLOW, the only way a round's state changes)."""

from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promises import announcements, permissions
from promises.workflow import Transition, Workflow

from .models import CommitmentStatus, FollowUpRound

State = FollowUpRound.State

# Carried over from the previous round; what was done and its evidence are new each quarter.
CARRIED_OVER = ["status", "progress", "next_steps"]


@transaction.atomic
def round_create(*, promise, year, quarter, user, **fields):
    """A new round with one status row per commitment, pre-filled from the previous round."""
    if not permissions.can_write_rounds(user, promise):
        raise PermissionDenied(_("Only the promise's coordinators can start a follow-up round."))
    round_ = FollowUpRound(promise=promise, year=year, quarter=quarter, **fields)
    round_.full_clean()
    round_.save()
    round_add_missing_statuses(round_=round_)
    return round_


@transaction.atomic
def round_add_missing_statuses(*, round_):
    """A status row for every commitment of the promise the round has none for yet (one added
    since the round began), pre-filled from the previous round. Returns how many were added."""
    missing = list(round_.commitments_without_status())
    if not missing:
        return 0
    previous = (
        FollowUpRound.objects.filter(promise=round_.promise)
        .before(round_.year, round_.quarter)
        .first()
    )
    carried = {}
    if previous:
        carried = {
            row["commitment_id"]: {name: row[name] for name in CARRIED_OVER}
            for row in previous.statuses.values("commitment_id", *CARRIED_OVER)
        }
    CommitmentStatus.objects.bulk_create(
        CommitmentStatus(round=round_, commitment=commitment, **carried.get(commitment.pk, {}))
        for commitment in missing
    )
    return len(missing)


def _wrong_state(round_, transition):
    return _("%(round)s is %(state)s; this can only be done when it is %(allowed)s.") % {
        "round": round_.quarter_label,
        "state": round_.get_state_display(),
        "allowed": _(" or ").join(str(State(s).label) for s in transition.sources),
    }


def _check_submittable(round_, user):
    # The police review every commitment, also one added since the round began.
    round_add_missing_statuses(round_=round_)
    if not round_.summary.strip():
        raise ValidationError(
            {"summary": _("Write a summary for residents before submitting the round.")}
        )
    round_.submitted_by, round_.submitted_at = user, timezone.now()


def _record_approval(round_, user):
    round_.approved_by, round_.approved_at = user, timezone.now()


def _record_comment(round_, user, comment=""):
    if not comment or not comment.strip():
        raise ValidationError(
            {"reviewer_comment": _("Say what needs to change when returning a round.")}
        )
    round_.reviewer_comment = comment.strip()


def _record_publication(round_, user):
    round_.published_at = timezone.now()
    # Subscribers are told after the commit (promises.announcements, subscriptions.notify).
    announcements.announce(round_.promise, announcements.ROUND_PUBLISHED, round=round_)


# Coordinators hand a round to the police for review; the police of the promise's police area
# approve it or return it to the coordinators, saying why; an approved round is published to
# residents by either side.
ROUND_WORKFLOW = Workflow(
    object_name="round",
    state_field="state",
    subject=attrgetter("promise"),
    wrong_state=_wrong_state,
    transitions=[
        Transition(
            "submit",
            gettext_lazy("Submit for review"),
            sources=[State.DRAFT, State.RETURNED],
            target=State.SUBMITTED,
            allowed=permissions.can_write_rounds,
            perform=_check_submittable,
            denied=gettext_lazy("Only the promise's coordinators can submit a round."),
            done=gettext_lazy("%(round)s was submitted for review."),
        ),
        Transition(
            "approve",
            gettext_lazy("Approve"),
            sources=[State.SUBMITTED],
            target=State.APPROVED,
            allowed=permissions.can_review,
            perform=_record_approval,
            denied=gettext_lazy("Only the police of the promise's police area can approve it."),
            done=gettext_lazy("%(round)s was approved."),
        ),
        Transition(
            "return",
            gettext_lazy("Return with comment"),
            sources=[State.SUBMITTED],
            target=State.RETURNED,
            allowed=permissions.can_review,
            perform=_record_comment,
            comment_label=gettext_lazy("Comment to the coordinators"),
            denied=gettext_lazy("Only the police of the promise's police area can return it."),
            done=gettext_lazy("%(round)s was returned to the coordinators."),
        ),
        Transition(
            "publish",
            gettext_lazy("Publish"),
            sources=[State.APPROVED],
            target=State.PUBLISHED,
            allowed=permissions.can_publish,
            perform=_record_publication,
            denied=gettext_lazy("Only the promise's coordinators or police can publish it."),
            done=gettext_lazy("%(round)s was published."),
        ),
    ],
)


def round_submit(*, round, user):
    return ROUND_WORKFLOW.run("submit", round, user)


def round_approve(*, round, user):
    return ROUND_WORKFLOW.run("approve", round, user)


def round_return(*, round, user, comment):
    return ROUND_WORKFLOW.run("return", round, user, comment=comment)


def round_publish(*, round, user):
    return ROUND_WORKFLOW.run("publish", round, user)
