"""Demo accounts (password "demo"), for trying the admin on a development machine."""

from django.contrib.auth.models import User

from promises.models import Membership

from .promises import party

PASSWORD = "demo"

# (username, party: municipality code or slug, role)
ACCOUNTS = [
    ("samordnare-olofstrom", "1060", Membership.Role.COORDINATOR),
    ("samordnare-solvesborg", "1083", Membership.Role.COORDINATOR),
    ("polis-karlshamn", "lpo-karlshamn", Membership.Role.POLICE),
    ("lasare-olofstrom", "1060", Membership.Role.VIEWER),
]


def _user(username, **flags):
    user, created = User.objects.get_or_create(username=username, defaults=flags)
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def load():
    _user("admin", is_staff=True, is_superuser=True, email="admin@example.org")
    for username, party_key, role in ACCOUNTS:
        user = _user(username, is_staff=True, email=f"{username}@example.org")
        Membership.objects.update_or_create(
            user=user, party=party(party_key), defaults={"role": role}
        )


def existing(username):
    """The demo account of that name, or None when the demo was loaded without accounts."""
    return User.objects.filter(username=username).first()


def describe():
    lines = ["admin (superuser)"]
    lines += [f"{username} ({role.label})" for username, _, role in ACCOUNTS]
    return lines
