"""Who may do what with follow-up, in terms of promises.permissions' roles.

Coordinators of a promise's parties write and submit its rounds and publish them once approved;
the police of its police area review (approve or return) them and write the status of the
commitments their police area owns.
"""

from promises.models import Membership, Party
from promises.permissions import has_role

from .models import FollowUpRound

COORDINATOR, POLICE = Membership.Role.COORDINATOR, Membership.Role.POLICE


def can_write_rounds(user, promise):
    return has_role(user, promise.parties.all(), COORDINATOR)


def can_review(user, promise):
    return has_role(user, promise.parties.all(), POLICE)


def can_publish(user, promise):
    return has_role(user, promise.parties.all(), COORDINATOR, POLICE)


def can_edit_status(user, status):
    """Coordinators edit every status of a round being written; the police edit the statuses of
    their own commitments while the round is written or awaits their review."""
    state = status.round.state
    if state in (FollowUpRound.State.DRAFT, FollowUpRound.State.RETURNED) and can_write_rounds(
        user, status.round.promise
    ):
        return True
    return state in (
        FollowUpRound.State.DRAFT,
        FollowUpRound.State.RETURNED,
        FollowUpRound.State.SUBMITTED,
    ) and has_role(user, status.commitment.owners.all(), POLICE)


def works_with_followup(user):
    """Whether the user has any follow-up to do: the admin shows them the follow-up pages."""
    if user.is_superuser:
        return True
    return (
        user.is_active
        and user.is_staff
        and Party.objects.for_user(user)
        .filter(memberships__user=user, memberships__role__in=[COORDINATOR, POLICE])
        .exists()
    )


def coordinates_any(user):
    return (
        user.is_superuser
        or Party.objects.filter(memberships__user=user, memberships__role=COORDINATOR).exists()
    )


def reviews_any(user):
    return reviewed_police_areas(user).exists()


def reviewed_police_areas(user):
    """The police areas whose rounds the user reviews (every one for a superuser)."""
    areas = Party.objects.police_areas()
    if user.is_superuser:
        return areas.filter(promises__isnull=False).distinct()
    return areas.filter(memberships__user=user, memberships__role=POLICE)
