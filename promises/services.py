"""Publishing a promise with joint sign-off: the only way a promise's status changes.

The steps are declared once in PROMISE_WORKFLOW (promises.workflow): from which status, to
which, who may take them (promises.permissions), and what else each checks. Taking a step
raises ValidationError with a message for the user if the status or the promise does not
allow it, PermissionDenied if the user may not, and leaves a history row naming the step.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Promise, PromiseApproval
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
    promise.published_at = timezone.now()


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
            "publish",
            gettext_lazy("Publish"),
            sources=[Status.IN_REVIEW],
            target=Status.PUBLISHED,
            allowed=permissions.can_publish,
            perform=_check_approved,
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


def archive(*, promise, user):
    return _take("archive", promise, user)


def return_to_draft(*, promise, user, comment):
    return PROMISE_WORKFLOW.run("return_to_draft", copy.copy(promise), user, comment=comment)
