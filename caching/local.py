"""Copies, in this process's memory, of what the shared cache holds under a key, so that a
request asks the shared cache only whether a copy is still current (a generation or a few
stamps, some bytes) instead of fetching a page or a fragment of up to a few hundred kilobytes
again. Whether a copy may be served is always decided by the shared cache: the copies only
save the transfer, never the check, so every gunicorn instance still sees every write at once.
A copy is kept at most COPY_SECONDS (or the shared cache's own timeout, if shorter), so that
it outlives the shared cache's entry, which bounds what changes with no write (a promise
published for a later hour), by that at most.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings

COPY_SECONDS = 60
_every = []  # every LocalCopies of this process, for forget_copies()


def forget_copies():
    """Drop every copy this process keeps (for tests, whose cache and database start afresh)."""
    for copies in _every:
        copies.clear()


class LocalCopies:
    """Values by key, the least recently used dropped first beyond `settings.LOCAL_COPIES_BYTES`
    in all (each value's size is given when it is put)."""

    def __init__(self):
        self._values = OrderedDict()  # key → (size, value, until)
        self._bytes = 0
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key):
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            if found[2] <= time.time():
                self._bytes -= self._values.pop(key)[0]
                return None
            self._values.move_to_end(key)
            return found[1]

    def put(self, key, value, size, timeout):
        limit = settings.LOCAL_COPIES_BYTES
        if limit <= 0 or size > limit:
            return
        with self._lock:
            if key in self._values:
                self._bytes -= self._values.pop(key)[0]
            self._values[key] = (size, value, time.time() + min(timeout, COPY_SECONDS))
            self._bytes += size
            while self._bytes > limit:
                self._bytes -= self._values.popitem(last=False)[1][0]

    def clear(self):
        with self._lock:
            self._values.clear()
            self._bytes = 0
