"""Copies, in this process's memory, of what the shared cache holds under a key, so that a
request asks the shared cache only whether a copy is still current (a generation or a few
stamps, some bytes) instead of fetching a page or a fragment of up to a few hundred kilobytes
again. Whether a copy may be served is always decided by the shared cache: the copies only
save the transfer, never the check, so every gunicorn instance still sees every write at once.
"""

import threading
from collections import OrderedDict

from django.conf import settings


class LocalCopies:
    """Values by key, the least recently used dropped first beyond `settings.LOCAL_COPIES_BYTES`
    in all (each value's size is given when it is put)."""

    def __init__(self):
        self._values = OrderedDict()  # key → (size, value)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[1]

    def put(self, key, value, size):
        limit = settings.LOCAL_COPIES_BYTES
        if size > limit:
            return
        with self._lock:
            if key in self._values:
                self._bytes -= self._values.pop(key)[0]
            self._values[key] = (size, value)
            self._bytes += size
            while self._bytes > limit:
                self._bytes -= self._values.popitem(last=False)[1][0]

    def clear(self):
        with self._lock:
            self._values.clear()
            self._bytes = 0
