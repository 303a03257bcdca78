"""What residents may be told of when it is published: a promise, a follow-up round of it, a
revision, a closing assessment.

The publish paths call `announce()`; apps that tell residents (subscriptions) `listen()` from
their AppConfig.ready(), since they build on this app and it may not import them. Listeners
are called after the commit, and only if it happens: nothing rolled back is ever announced.
"""

from collections.abc import Callable

from django.db import transaction

PROMISE_PUBLISHED = "promise_published"
ROUND_PUBLISHED = "round_published"
PROMISE_REVISED = "promise_revised"
PROMISE_CLOSED = "promise_closed"
KINDS = (PROMISE_PUBLISHED, ROUND_PUBLISHED, PROMISE_REVISED, PROMISE_CLOSED)

_listeners: list[Callable] = []


def listen(listener):
    """listener(promise, kind, round=None), called after the commit of each announcement."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def announce(promise, kind, round=None):
    if kind not in KINDS:
        raise ValueError(f"Unknown announcement {kind!r}: choose from {KINDS}.")
    for listener in _listeners:
        transaction.on_commit(
            lambda listener=listener: listener(promise, kind, round=round), robust=True
        )
