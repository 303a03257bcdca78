"""Writes of follow-up rounds: creating a round with its status rows, and its review states."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .models import CommitmentStatus, FollowUpRound

State = FollowUpRound.State

# Carried over from the previous round; what was done and its evidence are new each quarter.
CARRIED_OVER = ["status", "progress", "next_steps"]


@transaction.atomic
def round_create(*, promise, year, quarter, user, **fields):
    """A new round with one status row per commitment, pre-filled from the previous round."""
    if not access.can_write_rounds(user, promise):
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
    have = set(round_.statuses.values_list("commitment_id", flat=True))
    missing = [c for c in round_.promise.commitments.all() if c.pk not in have]
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


def _require_state(round_, *states):
    if round_.state not in states:
        raise ValidationError(
            _("%(round)s is %(state)s; this can only be done when it is %(allowed)s.")
            % {
                "round": round_.quarter_label,
                "state": round_.get_state_display(),
                "allowed": _(" or ").join(str(State(s).label) for s in states),
            }
        )


def _save(round_, *fields):
    round_.save(update_fields=[*fields, "updated_at"])
    return round_


@transaction.atomic
def round_submit(*, round, user):
    """A coordinator hands the round to the police for review."""
    if not access.can_write_rounds(user, round.promise):
        raise PermissionDenied(_("Only the promise's coordinators can submit a round."))
    _require_state(round, State.DRAFT, State.RETURNED)
    # The police review every commitment, also one added since the round began.
    round_add_missing_statuses(round_=round)
    if not round.summary.strip():
        raise ValidationError(
            {"summary": _("Write a summary for residents before submitting the round.")}
        )
    round.state = State.SUBMITTED
    round.submitted_by, round.submitted_at = user, timezone.now()
    return _save(round, "state", "submitted_by", "submitted_at")


@transaction.atomic
def round_approve(*, round, user):
    """The police of the promise's police area approve the round."""
    if not access.can_review(user, round.promise):
        raise PermissionDenied(_("Only the police of the promise's police area can approve it."))
    _require_state(round, State.SUBMITTED)
    round.state = State.APPROVED
    round.approved_by, round.approved_at = user, timezone.now()
    return _save(round, "state", "approved_by", "approved_at")


@transaction.atomic
def round_return(*, round, user, comment):
    """The police send the round back to the coordinators, saying why."""
    if not access.can_review(user, round.promise):
        raise PermissionDenied(_("Only the police of the promise's police area can return it."))
    _require_state(round, State.SUBMITTED)
    if not comment or not comment.strip():
        raise ValidationError(
            {"reviewer_comment": _("Say what needs to change when returning a round.")}
        )
    round.state = State.RETURNED
    round.reviewer_comment = comment.strip()
    return _save(round, "state", "reviewer_comment")


@transaction.atomic
def round_publish(*, round, user):
    """An approved round is published to residents."""
    if not access.can_publish(user, round.promise):
        raise PermissionDenied(_("Only the promise's coordinators or police can publish it."))
    _require_state(round, State.APPROVED)
    round.state = State.PUBLISHED
    round.published_at = timezone.now()
    return _save(round, "state", "published_at")


TRANSITIONS = {
    "submit": round_submit,
    "approve": round_approve,
    "publish": round_publish,
}
