"""What the permission matrices (tests/promises/test_permissions.py and
tests/test_permissions_across_apps.py) share: roles, outcomes and the users who play them."""

import pytest

from promises.models import Membership
from tests.factories import make_member

OK, SHOWN, ABSENT, E403, E404, REFUSED, LOGIN = (
    "OK",
    "SHOWN",
    "ABSENT",
    "403",
    "404",
    "REFUSED",
    "LOGIN",
)
ROLES = ["coord", "c_other", "police", "p_other", "viewer", "anon"]


def cases(matrix):
    """One test case per cell: (object, action, role, expected outcome)."""
    return [
        pytest.param(obj, action, role, expected, id=f"{obj}-{action}-{role}")
        for obj, action, *outcomes in matrix
        for role, expected in zip(ROLES, outcomes, strict=True)
    ]


def role_users(m, n, p, q):
    """The users of ROLES: members of municipality m and police area p, and strangers of n and q."""
    return {
        "coord": make_member(m, Membership.Role.COORDINATOR),
        "c_other": make_member(n, Membership.Role.COORDINATOR),
        "police": make_member(p, Membership.Role.POLICE),
        "p_other": make_member(q, Membership.Role.POLICE),
        "viewer": make_member(m, Membership.Role.VIEWER),
        "anon": None,
    }


def response_outcome(response):
    """LOGIN, E403 or E404 when the admin turned the request away, else None."""
    if response.status_code == 302 and "/login/" in response.url:
        return LOGIN
    if response.status_code == 403:
        return E403
    if response.status_code == 404:
        return E404
    return None
