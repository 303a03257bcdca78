"""Who may do what: the one place that answers it for the admin, the views and the commands.

A user acts for the parties they are a member of (`Membership`), in one role per party.
Superusers act for every party.

Objects that belong to parties describe themselves with two hooks:

- ``get_parties()`` (required): the parties the object involves. Members of any of them may
  see it; the model's ``QuerySet.for_user()`` is the same rule for lists.
- ``get_editors()`` (optional): ``{role: parties}``; members holding that role in one of
  those parties may change and delete it. Without it, the coordinators of ``get_parties()``.

An object whose ``is_locked`` is true (a published or archived promise and its parts) is
changed by nobody; it is archived instead.
"""

from django.core.exceptions import ImproperlyConfigured

from .models import Membership, Party, Promise


def roles_for(user, parties):
    """The roles the user holds in any of the given parties."""
    if not user.is_authenticated:
        return set()
    # One query: a queryset of parties becomes a subquery, a list its ids.
    return set(
        Membership.objects.filter(user=user, party__in=parties).values_list("role", flat=True)
    )


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


# Publishing a promise (draft → in review → published → archived) ----------------------------
#
# Coordinators submit; one member of each side approves (a coordinator of one of the
# municipalities, the police of the police area); then either side publishes, archives or
# sends the promise back to draft.


def approval_party(user, promise):
    """The party on whose behalf the user approves the promise, or None if they may not.

    A coordinator approves for a municipality of the promise, police for its police area.
    """
    if not user.is_authenticated:
        return None
    sides = {
        Party.Kind.MUNICIPALITY: Membership.Role.COORDINATOR,
        Party.Kind.POLICE_AREA: Membership.Role.POLICE,
    }
    memberships = Membership.objects.filter(
        user=user, party__in=promise.parties.all()
    ).select_related("party")
    for membership in memberships:
        if sides.get(membership.party.kind) == membership.role:
            return membership.party
    return None


def _member(user, promise, *roles):
    return has_role(user, promise.parties.all(), *roles)


def can_submit(user, promise):
    return promise.status == Promise.Status.DRAFT and _member(
        user, promise, Membership.Role.COORDINATOR
    )


def can_approve(user, promise):
    return promise.status == Promise.Status.IN_REVIEW and approval_party(user, promise) is not None


def can_publish(user, promise):
    return promise.status == Promise.Status.IN_REVIEW and _member(
        user, promise, Membership.Role.COORDINATOR, Membership.Role.POLICE
    )


def can_archive(user, promise):
    return promise.status == Promise.Status.PUBLISHED and _member(
        user, promise, Membership.Role.COORDINATOR, Membership.Role.POLICE
    )


def can_return_to_draft(user, promise):
    return promise.status in {Promise.Status.IN_REVIEW, Promise.Status.ARCHIVED} and _member(
        user, promise, Membership.Role.COORDINATOR, Membership.Role.POLICE
    )
