"""Publishing a promise with joint sign-off: the only way a promise's status changes.

Each step checks the rules in promises.permissions (PermissionDenied if the user may not),
the state of the promise (ValidationError with a message for the user), and leaves a
history row naming the step.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import Party, Promise, PromiseApproval


def _locked(promise):
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _check(allowed, user, promise):
    if not allowed(user, promise):
        raise PermissionDenied


def _save(promise, *, user, reason, status):
    # The step is stored in the language of the admin page that took it, for the history view.
    promise.status = status
    promise._history_user = user
    promise._change_reason = reason
    promise.full_clean()
    promise.save()
    return promise


@transaction.atomic
def submit_for_review(*, promise, user):
    promise = _locked(promise)
    if promise.status != Promise.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    _check(permissions.can_submit, user, promise)
    Promise.validate_parties(promise.parties.all())
    if not promise.commitments.exists():
        raise ValidationError(_("Add at least one commitment before submitting for review."))
    promise.submitted_at = timezone.now()
    return _save(
        promise, user=user, reason=_("Submitted for review"), status=Promise.Status.IN_REVIEW
    )


@transaction.atomic
def approve(*, promise, user):
    """Sign off the promise as it is now, on behalf of the user's municipality or police area."""
    promise = _locked(promise)
    if promise.status != Promise.Status.IN_REVIEW:
        raise ValidationError(_("Only a promise in review can be approved."))
    party = permissions.approval_party(user, promise)
    if party is None:
        raise PermissionDenied
    content_hash = promise.content_hash()
    approvals = promise.valid_approvals(content_hash)
    if any(approval.party.kind == party.kind for approval in approvals):
        raise ValidationError(
            _("The %(side)s side has already approved this version.")
            % {"side": Party.Kind(party.kind).label}
        )
    return PromiseApproval.objects.create(
        promise=promise, user=user, party=party, content_hash=content_hash
    )


@transaction.atomic
def publish(*, promise, user):
    promise = _locked(promise)
    if promise.status != Promise.Status.IN_REVIEW:
        raise ValidationError(_("Only a promise in review can be published."))
    _check(permissions.can_publish, user, promise)
    missing = promise.missing_approval_kinds()
    if missing:
        raise ValidationError(
            _(
                "Publishing needs an approval of the current version from each side; "
                "missing: %(missing)s."
            )
            % {"missing": ", ".join(str(Party.Kind(kind).label) for kind in missing)}
        )
    promise.published_at = timezone.now()
    return _save(promise, user=user, reason=_("Published"), status=Promise.Status.PUBLISHED)


@transaction.atomic
def archive(*, promise, user):
    """Take a published promise off the public site; it stays on record."""
    promise = _locked(promise)
    if promise.status != Promise.Status.PUBLISHED:
        raise ValidationError(_("Only a published promise can be archived."))
    _check(permissions.can_archive, user, promise)
    return _save(promise, user=user, reason=_("Archived"), status=Promise.Status.ARCHIVED)


@transaction.atomic
def return_to_draft(*, promise, user):
    """Reopen a promise in review or an archived one for editing; approvals start over."""
    promise = _locked(promise)
    if promise.status not in {Promise.Status.IN_REVIEW, Promise.Status.ARCHIVED}:
        raise ValidationError(_("Only a promise in review or an archived one can become a draft."))
    _check(permissions.can_return_to_draft, user, promise)
    promise.submitted_at = None
    return _save(promise, user=user, reason=_("Returned to draft"), status=Promise.Status.DRAFT)
