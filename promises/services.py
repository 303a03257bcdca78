"""Publishing a promise with joint sign-off: the only way a promise's status changes.

The steps are declared once in PROMISE_WORKFLOW (promises.workflow): from which status, to
which, who may take them (promises.permissions), and what else each checks. Taking a step
raises ValidationError with a message for the user if the status or the promise does not
allow it, PermissionDenied if the user may not, and leaves a history row naming the step.
"""

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import announcements, permissions
from .models import Commitment, FocusArea, Promise, PromiseApproval
from .workflow import Transition, Workflow

Status = Promise.Status


def _check_submittable(promise, user):
    Promise.validate_parties(promise.parties.all())
    if not promise.commitments.exists():
        raise ValidationError(_("Add at least one commitment before submitting for review."))
    promise.submitted_at = timezone.now()
    promise.first_submitted_at = promise.first_submitted_at or promise.submitted_at
    promise.return_comment = ""


def _record_approval(promise, user):
    """Sign off the promise as it is now, on behalf of each party of the user's that has not
    signed this version yet; returns the first approval given."""
    content_hash = promise.content_hash()
    signed = {approval.party_id for approval in promise.valid_approvals(content_hash)}
    parties = [p for p in permissions.approval_parties(user, promise) if p.pk not in signed]
    if not parties:
        raise ValidationError(_("Your party has already approved this version."))
    approvals = [
        PromiseApproval.objects.create(
            promise=promise, user=user, party=party, content_hash=content_hash
        )
        for party in parties
    ]
    return approvals[0]


def _check_approved(promise, user):
    missing = promise.missing_signatures()
    if missing:
        raise ValidationError(
            _(
                "Publishing needs an approval of the current version from every municipality "
                "and the police area; missing: %(missing)s."
            )
            % {"missing": ", ".join(party.name for party in missing)}
        )
    _check_assessment(promise)
    promise.published_at = timezone.now()


def _publish(promise, user):
    _check_approved(promise, user)
    # Told after the commit (promises.announcements): a new version of a promise that was
    # published before (archived, then revised) is a revision.
    kind = (
        announcements.PROMISE_REVISED
        if promise.history.filter(status=Status.PUBLISHED).exists()
        else announcements.PROMISE_PUBLISHED
    )
    announcements.announce(promise, kind)


def _revision_slug(promise):
    # Unique, and never an address residents use: the revision is published at the original's.
    return f"{promise.slug[:150]}-revision-{timezone.now():%Y%m%d%H%M%S%f}"


def _start_revision(promise, user):
    """A draft copy of the published promise, its focus areas and commitments, each copy
    linked to its original; the published promise stays online, unchanged, meanwhile."""
    if promise.revisions.exists():
        raise ValidationError(_("A revision of this promise is already under way."))
    content = {name: getattr(promise, name) for name in Promise.CONTENT_FIELDS}
    revision = Promise(**content, revision_of=promise, status=Status.DRAFT)
    revision.slug = _revision_slug(promise)
    revision._history_user = user
    revision._change_reason = str(gettext_lazy("Revision started"))
    revision.save()
    revision.parties.set(promise.parties.all())
    areas = {}
    for area in promise.focus_areas.prefetch_related("themes"):
        areas[area.pk] = FocusArea.objects.create(
            promise=revision,
            origin=area,
            title=area.title,
            description=area.description,
            order=area.order,
        )
        areas[area.pk].themes.set(area.themes.all())
    for commitment in promise.commitments.prefetch_related("owners"):
        twin = Commitment.objects.create(
            promise=revision,
            origin=commitment,
            focus_area=areas.get(commitment.focus_area_id),
            text=commitment.text,
            order=commitment.order,
            completion=commitment.completion,
            completion_note=commitment.completion_note,
            predecessor=commitment.predecessor,
        )
        twin.owners.set(commitment.owners.all())
    return revision


def _check_assessment(promise):
    """A closing assessment (an outcome) comes after the period, with a completion level for
    every commitment."""
    if not promise.outcome.strip():
        return
    if promise.valid_until >= timezone.localdate():
        raise ValidationError(_("A closing assessment is written once the period has ended."))
    unassessed = [str(c) for c in promise.commitments.all() if not c.completion]
    if unassessed:
        raise ValidationError(
            _("Give every commitment a completion level in the closing assessment: %(list)s")
            % {"list": "; ".join(unassessed)}
        )


def _start_next(promise, user):
    """A draft for the next period with the same parties, agreement (if it covers the period)
    and focus areas, and the commitments that were not completed, each linked to the one it
    carries on."""
    length = promise.valid_until - promise.valid_from
    valid_from = promise.valid_until + dt.timedelta(days=1)
    following = Promise(
        title=promise.title,
        slug=f"{promise.slug[:150]}-{valid_from:%Y}-{timezone.now():%H%M%S%f}",
        valid_from=valid_from,
        valid_until=valid_from + length,
        summary=promise.summary,
        goal=promise.goal,
        background=promise.background,
        how_to_follow=promise.how_to_follow,
        continues=promise,
        status=Status.DRAFT,
    )
    if promise.agreement and promise.agreement.covers(following):
        following.agreement = promise.agreement
    following._history_user = user
    following._change_reason = str(gettext_lazy("Started from the previous promise"))
    following.save()
    following.parties.set(promise.parties.all())
    areas = {}
    for area in promise.focus_areas.prefetch_related("themes"):
        areas[area.pk] = FocusArea.objects.create(
            promise=following, title=area.title, description=area.description, order=area.order
        )
        areas[area.pk].themes.set(area.themes.all())
    for commitment in promise.commitments.prefetch_related("owners"):
        if commitment.is_complete:
            continue
        successor = Commitment.objects.create(
            promise=following,
            focus_area=areas.get(commitment.focus_area_id),
            text=commitment.text,
            order=commitment.order,
            predecessor=commitment,
        )
        successor.owners.set(commitment.owners.all())
    return following


def _publish_revision(revision, user):
    """Replace the published original's content with the revision's, in this one
    transaction, at the original's address, and discard the working copy."""
    _check_approved(revision, user)
    if not revision.change_note.strip():
        raise ValidationError(
            _("Write a short note for residents on what changed and why before publishing.")
        )
    original = Promise.objects.select_for_update().get(pk=revision.revision_of_id)
    # Only those who signed the promise may take their name off it: a party that is not on
    # the revision never signed it.
    dropped = set(original.signing_parties()) - set(revision.parties.all())
    if dropped:
        raise ValidationError(
            _("A revision cannot take a signing party off the promise: %(parties)s.")
            % {"parties": ", ".join(sorted(party.name for party in dropped))}
        )
    # The revision that writes the closing assessment closes the promise.
    closes = bool(revision.outcome.strip()) and not original.outcome.strip()
    now = timezone.now()
    revised_areas = list(revision.focus_areas.select_related("origin").prefetch_related("themes"))
    # Withdrawn before the others are saved, so that a kept or new focus area may take the
    # title of one the revision dropped (a title is unique among a promise's current areas).
    FocusArea.objects.filter(promise=original).exclude(
        pk__in=[area.origin_id for area in revised_areas if area.origin_id]
    ).update(withdrawn_at=now)
    areas = {}
    for area in revised_areas:
        target = area.origin if area.origin and area.origin.promise_id == original.pk else None
        target = target or FocusArea(promise=original)
        target.title, target.description, target.order = area.title, area.description, area.order
        target._history_user = user
        target.save()
        target.themes.set(area.themes.all())
        areas[area.pk] = target
    kept = []
    for commitment in revision.commitments.select_related("origin").prefetch_related("owners"):
        origin = commitment.origin
        target = origin if origin and origin.promise_id == original.pk else None
        target = target or Commitment(promise=original)
        target.focus_area = areas.get(commitment.focus_area_id)
        target.text, target.order = commitment.text, commitment.order
        target.completion, target.completion_note = (
            commitment.completion,
            commitment.completion_note,
        )
        target._history_user = user
        target.save()
        target.owners.set(commitment.owners.all())
        kept.append(target.pk)
    # Withdrawn, not deleted: follow-up rounds keep pointing at them.
    Commitment.objects.filter(promise=original).exclude(pk__in=kept).update(withdrawn_at=now)
    for name in Promise.CONTENT_FIELDS:
        if name != "slug":
            setattr(original, name, getattr(revision, name))
    original.change_note = revision.change_note
    original.published_at = now
    original._history_user = user
    original._change_reason = str(gettext_lazy("Revision published"))
    original.full_clean()
    original.save()
    original.parties.set(revision.parties.all())
    # Who signed which version stays on record with the promise it now describes.
    revision.approvals.update(promise=original)
    revision.delete()
    announcements.announce(
        original,
        announcements.PROMISE_CLOSED if closes else announcements.PROMISE_REVISED,
    )
    return original


def _restart_review(promise, user, comment=""):
    if not comment or not comment.strip():
        raise ValidationError(_("Say what needs to change when returning a promise to draft."))
    promise.return_comment = comment.strip()
    promise.submitted_at = None  # approvals given before count no longer


# Coordinators submit; every signing party approves (a coordinator of each municipality, the
# police of the police area; partners do not sign); then either side publishes, archives (takes
# it off the public site; it stays on record) or sends it back to draft to revise it.
PROMISE_WORKFLOW = Workflow(
    object_name="promise",
    state_field="status",
    full_clean=True,
    transitions=[
        Transition(
            "submit",
            gettext_lazy("Submit for review"),
            sources=[Status.DRAFT],
            target=Status.IN_REVIEW,
            allowed=permissions.can_submit,
            perform=_check_submittable,
            reason=gettext_lazy("Submitted for review"),
            wrong_state=gettext_lazy("Only a draft can be submitted for review."),
            done=gettext_lazy("The promise was submitted for review."),
        ),
        Transition(
            "approve",
            gettext_lazy("Approve this version"),
            sources=[Status.IN_REVIEW],
            allowed=permissions.can_approve,
            perform=_record_approval,
            wrong_state=gettext_lazy("Only a promise in review can be approved."),
            done=gettext_lazy("Your approval was recorded."),
        ),
        Transition(
            "start_revision",
            gettext_lazy("Start a revision"),
            sources=[Status.PUBLISHED],
            allowed=permissions.can_submit,
            perform=_start_revision,
            wrong_state=gettext_lazy("Only a published promise can be revised."),
            done=gettext_lazy(
                "A revision was started; the published promise stays online until it is "
                "signed and published."
            ),
        ),
        Transition(
            "start_next",
            gettext_lazy("Start the next promise from this one"),
            sources=[Status.PUBLISHED, Status.ARCHIVED],
            applies=lambda promise: not promise.continued_in.exists(),
            allowed=permissions.can_submit,
            perform=_start_next,
            wrong_state=gettext_lazy("The next promise starts from a published or archived one."),
            done=gettext_lazy(
                "A draft for the next period was made, with the commitments not yet complete."
            ),
        ),
        Transition(
            "publish_revision",
            gettext_lazy("Publish the revision"),
            sources=[Status.IN_REVIEW],
            applies=lambda promise: promise.is_revision,
            allowed=permissions.can_publish,
            perform=_publish_revision,
            wrong_state=gettext_lazy("Only a revision in review can be published."),
            done=gettext_lazy("The revision was published at the promise's address."),
        ),
        Transition(
            "publish",
            gettext_lazy("Publish"),
            sources=[Status.IN_REVIEW],
            target=Status.PUBLISHED,
            applies=lambda promise: not promise.is_revision,
            allowed=permissions.can_publish,
            perform=_publish,
            reason=gettext_lazy("Published"),
            wrong_state=gettext_lazy("Only a promise in review can be published."),
            done=gettext_lazy("The promise was published."),
        ),
        Transition(
            "archive",
            gettext_lazy("Archive (unpublish)"),
            sources=[Status.PUBLISHED],
            target=Status.ARCHIVED,
            allowed=permissions.can_publish,
            reason=gettext_lazy("Archived"),
            wrong_state=gettext_lazy("Only a published promise can be archived."),
            done=gettext_lazy("The promise was archived and is no longer public."),
        ),
        Transition(
            "return_to_draft",
            gettext_lazy("Return to draft"),
            sources=[Status.IN_REVIEW, Status.ARCHIVED],
            target=Status.DRAFT,
            allowed=permissions.can_publish,
            perform=_restart_review,
            comment_label=gettext_lazy("What needs to change (the coordinators see it)"),
            reason=gettext_lazy("Returned to draft"),
            wrong_state=gettext_lazy(
                "Only a promise in review or an archived one can become a draft."
            ),
            done=gettext_lazy("The promise is a draft again."),
        ),
    ],
)


def _take(step, promise, user):
    # The promise comes back as the step left it, and the caller's copy stays as it was.
    return PROMISE_WORKFLOW.run(step, copy.copy(promise), user)


def submit_for_review(*, promise, user):
    return _take("submit", promise, user)


def approve(*, promise, user):
    """The PromiseApproval given for the promise as it is now."""
    return _take("approve", promise, user)


def publish(*, promise, user):
    return _take("publish", promise, user)


def start_revision(*, promise, user):
    """The draft revision of the published promise."""
    return _take("start_revision", promise, user)


def publish_revision(*, revision, user):
    """The published original, now with the revision's content."""
    return _take("publish_revision", revision, user)


def start_next(*, promise, user):
    """The draft that carries the promise's unfinished commitments into the next period."""
    return _take("start_next", promise, user)


def archive(*, promise, user):
    return _take("archive", promise, user)


def return_to_draft(*, promise, user, comment):
    return PROMISE_WORKFLOW.run("return_to_draft", copy.copy(promise), user, comment=comment)
