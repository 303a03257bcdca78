"""Who may do what: the one place that answers it for every app's admin, views and commands.

A user acts for the parties they are a member of (`Membership`), in one role per party.
Superusers act for every party.

Objects that belong to parties describe themselves with two hooks:

- ``get_parties()`` (required): the parties the object involves. Members of any of them may
  see it; the model's ``QuerySet.for_user()`` is the same rule for lists.
- ``get_editors()`` (optional): ``{role: parties}``; members holding that role in one of
  those parties may change and delete it. Without it, the coordinators of ``get_parties()``.

An object whose ``is_locked`` is true (a published or archived promise and its parts) is
changed by nobody; it is archived instead. An object whose ``is_deletable`` is false (a promise
that was ever submitted, a commitment that was published or followed up, an agreement with
promises) is deleted by nobody but a superuser: it is on record.
"""

from collections import defaultdict
from functools import cache, partial

from django.core.exceptions import ImproperlyConfigured

from .models import Membership, Party

COORDINATOR, POLICE = Membership.Role.COORDINATOR, Membership.Role.POLICE


def remember_roles(user):
    """Answer the user's role questions from their memberships, read at most once, for the
    rest of the request: an admin page asks them dozens of times. Only for the user of one
    request (config.admin_site turns it on), whose memberships do not change while it is
    served."""
    if user.is_authenticated and not user.is_superuser:
        user.remembered_roles = cache(partial(_roles_by_party, user))


def _roles_by_party(user):
    roles_by_party = defaultdict(set)
    for party_id, role in user.memberships.values_list("party_id", "role"):
        roles_by_party[party_id].add(role)
    return roles_by_party


def roles_for(user, parties):
    """The roles the user holds in any of the given parties."""
    if not user.is_authenticated:
        return set()
    remembered = getattr(user, "remembered_roles", None)
    if remembered is None:
        # One query: a queryset of parties becomes a subquery, a list its ids.
        return set(
            Membership.objects.filter(user=user, party__in=parties).values_list("role", flat=True)
        )
    roles_by_party = remembered()
    if not roles_by_party:
        return set()
    # Parties prefetched with their object cost nothing more here.
    return {
        role for party in parties if party is not None for role in roles_by_party.get(party.pk, ())
    }


def has_role(user, parties, *roles):
    """True if the user is a superuser or holds one of the roles in one of the parties."""
    if user.is_superuser:
        return True
    return bool(roles_for(user, parties) & set(roles))


def parties_of(obj):
    if not hasattr(obj, "get_parties"):
        raise ImproperlyConfigured(
            f"{type(obj).__name__} needs a get_parties() method returning the parties it "
            "belongs to, for promises.permissions."
        )
    return obj.get_parties()


def can_view(user, obj):
    if user.is_superuser:
        return True
    return bool(roles_for(user, parties_of(obj)))


def editors_of(obj):
    if hasattr(obj, "get_editors"):
        return obj.get_editors()
    return {Membership.Role.COORDINATOR: parties_of(obj)}


def can_change(user, obj):
    """Change or delete: not while locked, and only for the object's editors."""
    if getattr(obj, "is_locked", False):
        return False
    return any(has_role(user, parties, role) for role, parties in editors_of(obj).items())


def can_delete(user, obj):
    """Delete: those who may change it, if it was never on record (``is_deletable``); a
    superuser whatever its record, as long as it is not locked (public record is archived)."""
    if not can_change(user, obj):
        return False
    return user.is_superuser or getattr(obj, "is_deletable", True)


# Steps of a workflow (promises.services, followup.services) ---------------------------------
#
# Who may take them, by role; from which states is the workflow's declaration.


def approval_parties(user, promise):
    """The parties on whose behalf the user signs the promise: a coordinator signs for each
    municipality of the promise they coordinate, police for its police area. Every one of
    them signs before the promise is published (promises.services)."""
    if not user.is_authenticated:
        return []
    sides = {
        Party.Kind.MUNICIPALITY: Membership.Role.COORDINATOR,
        Party.Kind.POLICE_AREA: Membership.Role.POLICE,
    }
    memberships = Membership.objects.filter(
        user=user, party__in=promise.parties.all()
    ).select_related("party")
    return [m.party for m in memberships if sides.get(m.party.kind) == m.role]


def can_submit(user, promise):
    """Submit a promise for review: its coordinators."""
    return has_role(user, promise.parties.all(), COORDINATOR)


def can_approve(user, promise):
    """Approve a promise: a coordinator of one of its municipalities or its police."""
    return bool(approval_parties(user, promise))


def can_publish(user, promise):
    """Publish, archive or return to draft a promise, or publish a follow-up round of it:
    its coordinators and police, either side."""
    return has_role(user, promise.parties.all(), COORDINATOR, POLICE)


# Follow-up rounds -------------------------------------------------------------------------
#
# Coordinators of a promise's parties write and submit its rounds and publish them once
# approved; the police of its police area review (approve or return) them. Who may change a
# round or a commitment's status is can_change()'s answer, from the models' get_editors() and
# is_locked.


def can_write_rounds(user, promise):
    return has_role(user, promise.parties.all(), COORDINATOR)


def can_review(user, promise):
    return has_role(user, promise.parties.police_areas(), POLICE)


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
