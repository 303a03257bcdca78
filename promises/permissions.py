"""Who may do what: the one place that answers it for the admin, the views and the commands.

A user acts for the parties they are a member of (`Membership`), in one role per party.
Superusers act for every party.
"""

from .models import Membership


def roles_for(user, parties):
    """The roles the user holds in any of the given parties."""
    if not user.is_authenticated:
        return set()
    party_ids = [party.pk for party in parties]
    return set(
        Membership.objects.filter(user=user, party_id__in=party_ids).values_list("role", flat=True)
    )


def has_role(user, parties, *roles):
    """True if the user is a superuser or holds one of the roles in one of the parties."""
    if user.is_superuser:
        return True
    return bool(roles_for(user, parties) & set(roles))
