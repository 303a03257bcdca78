"""The Sölvesborg draft in review, signed off by the municipality and awaiting the police of
Karlshamn: the joint sign-off half done. It takes the demo accounts, since every step is the
workflow's own (promises/services.py) acting as a user; without them the draft stays a draft."""

from promises import services
from promises.models import Party, Promise

from . import users

SLUG = "solvesborg-2026-2027"
COORDINATOR = "samordnare-solvesborg"


def load():
    promise = Promise.objects.filter(slug=SLUG).first()
    coordinator = users.existing(COORDINATOR)
    if promise is None or coordinator is None:
        return
    if promise.status == Promise.Status.DRAFT:
        promise = services.submit_for_review(promise=promise, user=coordinator)
    if promise.status != Promise.Status.IN_REVIEW:
        return  # someone took it further in the admin; leave it there
    if any(p.kind == Party.Kind.MUNICIPALITY for p in promise.missing_signatures()):
        services.approve(promise=promise, user=coordinator)
