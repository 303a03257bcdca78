"""The steps of a follow-up round, in terms of promises.permissions' roles.

Coordinators of a promise's parties write and submit its rounds and publish them once approved;
the police of its police area review (approve or return) them. Who may change a round or a
commitment's status is promises.permissions.can_change()'s answer, from the models'
get_editors() and is_locked.
"""

from promises.models import Membership, Party
from promises.permissions import has_role

COORDINATOR, POLICE = Membership.Role.COORDINATOR, Membership.Role.POLICE


def can_write_rounds(user, promise):
    return has_role(user, promise.parties.all(), COORDINATOR)


def can_review(user, promise):
    return has_role(user, promise.parties.police_areas(), POLICE)


def can_publish(user, promise):
    return has_role(user, promise.parties.all(), COORDINATOR, POLICE)


def reviews_any(user):
    return reviewed_police_areas(user).exists()


def reviewed_police_areas(user):
    """The police areas whose rounds the user reviews (every one for a superuser)."""
    areas = Party.objects.police_areas()
    if not user.is_authenticated:
        return areas.none()
    if user.is_superuser:
        return areas.filter(promises__isnull=False).distinct()
    return areas.filter(memberships__user=user, memberships__role=POLICE)


def lands_on_overview(user):
    """Police and nothing else: their admin starts at the follow-up overview, not the index."""
    if user.is_superuser:
        return False
    roles = set(user.memberships.values_list("role", flat=True))
    return roles == {POLICE} and reviews_any(user)
