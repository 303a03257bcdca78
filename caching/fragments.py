"""Precomputed fragments: the expensive part of a public page, rendered once per version of what
it shows and kept in the shared cache.

The page cache (caching.pages) starts afresh after every write, so the first reader after a
publish would pay for the whole page. A page's body (a promise with its commitments and their
follow-up, a timeline of eight rounds, a survey's charts) changes only when the objects it shows
change, so it is kept apart, under a key made of the page's address, language and host and
today, together with the *stamps* of the *scopes* it shows, at which it was rendered:
"promise:12" for everything shown about promise 12 (its focus areas, commitments, follow-up
rounds and their statuses, the situation picture behind them), "municipality:7" for a
municipality's pages, GENERATION for the lists any write may change (the home page, the
archive), and ALL, which every fragment shows (party names, indicators, and whatever has no
narrower scope). A stored fragment whose stamps are no longer the current ones is rendered
afresh and overwritten.

A stamp is a timestamp in the shared cache. A write moves on the stamps of exactly the scopes
it touches (each app names the scopes of its models with `register_scopes()` in its
fragments.py), so only the fragments that show it are rendered afresh, on every instance; after
the commit the pages of those scopes (`register_pages()`) are rendered again at once (`warm()`),
so the first reader after a publish gets a page whose body is ready. A view asks for its
fragment with `Fragment(request, name, *scopes)` (or, when the scopes are those of the object
the address names, with `Fragment(request, name)` and, on a miss, `shows(*scopes)` once it has
found the object) and computes the body's context only when `fragment.missing`; the template
wraps the body in `{% precomputed fragment %}…{% endprecomputed %}`
(caching/templatetags/precomputed.py). Each process keeps copies of the fragments it used last
(caching.local), so that a stored fragment costs the transfer of its stamps alone.

As with the page cache, only anonymous GET requests use fragments (an editor always sees a page
rendered for them), a fragment that used a CSRF token is never stored, and when the cache is
unreachable pages are simply rendered.
"""

import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone, translation

from . import pages
from .local import COPY_SECONDS, LocalCopies

logger = logging.getLogger(__name__)

STAMP_PREFIX = "fragments:stamp:"
ALL = "all"
# The REMOTE_ADDR of warm()'s requests: no address a connection can have, so that the API's
# rate limit can let the site's own warm-up through and nobody else (api.rest).
WARM_UP_ADDRESS = "warm-up"
# Lists that any write to what residents read may change (the home page, the archive, the
# feeds): every write with scopes of its own touches this one too.
GENERATION = "generation"

# model class → function(instance) → the scopes a write to the instance touches.
_scopes: dict[type, Callable[[models.Model], Iterable[str]]] = {}
# scope kind ("promise") → functions(pk) → the addresses of the pages to render after a write.
_pages: dict[str, list[Callable[[int], Iterable[str]]]] = {}


def scope(kind, pk):
    return f"{kind}:{pk}"


def register_scopes(model, function):
    """Name the scopes a write to an instance of `model` touches: `function(instance)` returns
    them. A model of a watched app with no function touches ALL."""
    _scopes[model] = function
    return function


def register_pages(kind, function):
    """Name pages to render again after a write to a scope of `kind`: `function(pk)` returns
    their addresses (in the active language; they are rendered in every language). Pages
    registered for GENERATION are rendered again after every write."""
    _pages.setdefault(kind, []).append(function)
    return function


def scopes_of(instance):
    function = _scopes.get(type(instance)) or _scopes.get(instance._meta.concrete_model)
    if function is None:
        return {ALL}
    return set(function(instance))


def _stamp_keys(scopes):
    return [STAMP_PREFIX + name for name in scopes]


def _fetch(cache, scopes, keys=()):
    """The stamps of `scopes` and what is stored under `keys` ({key: value}, the keys found),
    in one round trip. A missing stamp (never set, or evicted) is started now, which makes the
    fragments that show it new."""
    stamp_keys = _stamp_keys(scopes)
    found = cache.get_many([*stamp_keys, *keys])
    for stamp_key in stamp_keys:
        if stamp_key not in found:
            cache.add(stamp_key, time.time_ns(), timeout=None)
            found[stamp_key] = cache.get(stamp_key, 0)
    return [found[stamp_key] for stamp_key in stamp_keys], found


def _stamps(cache, scopes):
    return _fetch(cache, scopes)[0]


def bump(scopes):
    """Move the stamps of `scopes` on: the fragments that show them are rendered afresh."""
    now = time.time_ns()
    try:
        pages._cache().set_many({STAMP_PREFIX + name: now for name in scopes}, timeout=None)
    except Exception:
        pages._Outage.warn("Cache unreachable; fragment stamps were not moved on")


def usable(request):
    return (
        settings.FRAGMENT_CACHE_SECONDS > 0
        and pages._cacheable_request(request)
        and request.method in ("GET", "HEAD")
    )


class Fragment:
    """One precomputed fragment of the page `request` asks for: its HTML when stored (`html`,
    and `extra`, the values the view kept with it), else `missing`; then the view computes the
    fragment's context and `{% precomputed %}` renders and stores it.

    The scopes the fragment shows are given here when the address names them (GENERATION for
    a list), else learnt from the object the address names: then the stored fragment names its
    scopes itself, so that a page whose fragment is stored costs no query at all, and on a
    miss the view finds the object's scope and calls `shows()` before it reads what the
    fragment shows."""

    def __init__(self, request, name, *scopes):
        self.key = None
        self.html = None
        self.extra = {}
        self._kept = {}
        self.scopes = [ALL, *scopes]
        self.stamps = None
        if not usable(request):
            return
        # One key per page and fragment, whatever the version: the stored value names the
        # scopes and the stamps it was rendered at, and a new version overwrites it.
        parts = [
            name,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            translation.get_language(),
            timezone.localdate().isoformat(),
        ]
        key = "fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
        try:
            stored = self._find(pages._cache(), key, scopes)
        except Exception:
            pages._Outage.warn("Cache unreachable; rendering fragments without it")
            return
        self.key = key
        if stored is not None:
            self.scopes, self.stamps, self.html, kept = stored
            self.extra = {name: pickle.loads(value) for name, value in kept.items()}

    def _find(self, cache, key, scopes):
        """The stored fragment if it is current, this process's copy if that is; else None,
        with `self.stamps` read (before the view reads what the fragment shows)."""
        copy = _copies.get(key)
        wanted = copy is not None and (not scopes or copy[0] == self.scopes)
        if wanted and _stamps(cache, copy[0]) == copy[1]:
            return copy
        if scopes:  # the stamps and the fragment in one round trip
            self.stamps, found = _fetch(cache, self.scopes, [key])
            stored = found.get(key)
            current = stored is not None and stored[:2] == (self.scopes, self.stamps)
        else:
            stored = cache.get(key)
            current = stored is not None and _stamps(cache, stored[0]) == stored[1]
            if not current:
                self.stamps = _stamps(cache, self.scopes)
        if not current:
            return None
        _copies.put(key, stored, len(stored[2]), settings.FRAGMENT_CACHE_SECONDS)
        return stored

    def shows(self, *scopes):
        """The fragment shows `scopes` too: their stamps are read now, so call this before
        reading what the fragment shows, which a write in between then makes stale."""
        self.scopes = list(dict.fromkeys([*self.scopes, *scopes]))
        if self.key is None:
            return
        try:
            self.stamps = _stamps(pages._cache(), self.scopes)
        except Exception:
            pages._Outage.warn("Cache unreachable; the fragment will not be stored")
            self.key = None

    @property
    def missing(self):
        return self.html is None

    def keep(self, **values):
        """Keep `values` with the fragment, as they are now (objects the view goes on to add
        to are not kept with those additions): a stored fragment gives them back in `extra`,
        so that what the page shows outside the fragment costs no queries either."""
        self.extra.update(values)
        self._kept.update({name: pickle.dumps(value) for name, value in values.items()})

    def store(self, html):
        if self.key is None:
            return
        stored = (self.scopes, self.stamps, html, self._kept)
        _copies.put(self.key, stored, len(html), settings.FRAGMENT_CACHE_SECONDS)
        try:
            pages._cache().set(self.key, stored, settings.FRAGMENT_CACHE_SECONDS)
        except Exception:
            pages._Outage.warn("Cache unreachable; the fragment was not stored")


def precomputed(name, compute, *scopes, until=None):
    """The value `compute()` gives from what `scopes` show (ALL always), kept in the shared
    cache for each language and day until a stamp moves on: for data that many requests read
    whole and only a write changes, such as the search form's lists. Any request may use it
    (the value is public data, as `compute` must make sure); without the cache it is computed.

    What changes with no write (a promise published for a later hour) names the time from
    which the value is stale: `until()`, called before `compute()` so that what becomes public
    meanwhile is never missed, gives that time or None. Each process keeps copies of the values
    it used last (caching.local), so that a current one costs the transfer of its stamps alone."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return compute()
    parts = [name, translation.get_language(), timezone.localdate().isoformat(), *scopes]
    key = "value:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    scopes = [ALL, *scopes]
    cache = pages._cache()
    try:
        copy = _copies.get(key)
        if copy is not None and _is_current(copy, _stamps(cache, scopes)):
            return copy[1]
        stamps, found = _fetch(cache, scopes, [key])
    except Exception:
        pages._Outage.warn("Cache unreachable; computing the value without it")
        return compute()
    stored = found.get(key)
    if stored is None or not _is_current(stored, stamps):
        stale_from = until() if until else None
        stored = (stamps, compute(), stale_from)
        try:
            cache.set(key, stored, settings.FRAGMENT_CACHE_SECONDS)
        except Exception:
            pages._Outage.warn("Cache unreachable; the value was not stored")
    _copies.put(key, stored, len(pickle.dumps(stored[1])), settings.FRAGMENT_CACHE_SECONDS)
    return stored[1]


def _is_current(stored, stamps):
    """A value stored by precomputed() (stamps, value, stale from) is current at `stamps`."""
    return stored[0] == stamps and (stored[2] is None or timezone.now() < stored[2])


def precomputed_each(name, scopes_by_id, compute, timeout=None):
    """precomputed() for many values at once, each showing its own scope (and ALL): for the
    rows of a list, each kept until what it shows changes. `scopes_by_id` maps each value's id
    to its scope (None for ALL only); `compute(ids)` returns {id: value} for the ids whose
    value is not stored or older than a stamp. The stored values and every stamp they need
    are read in one round trip to the cache and the computed ones written in another, so a
    list whose rows are all stored costs the cache two round trips at most, whatever its
    length. Values are kept `timeout` seconds, never longer than FRAGMENT_CACHE_SECONDS.
    Returns {id: value}; without the cache every value is computed."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or not scopes_by_id:
        return compute(list(scopes_by_id))
    parts = [name, translation.get_language(), timezone.localdate().isoformat()]
    prefix = "values:" + hashlib.sha256("\n".join(parts).encode()).hexdigest() + ":"
    keys = {item: f"{prefix}{item}" for item in scopes_by_id}
    scopes = [ALL, *{each for each in scopes_by_id.values() if each is not None}]
    # This process's copies need only their stamps from the shared cache (caching.local).
    copies = {item: _copies.get(key) for item, key in keys.items()}
    cache = pages._cache()
    try:
        stamps, stored = _fetch(cache, scopes, [keys[i] for i, c in copies.items() if c is None])
        stamps = dict(zip(scopes, stamps, strict=True))
    except Exception:
        pages._Outage.warn("Cache unreachable; computing the values without it")
        return compute(list(scopes_by_id))
    current = {
        item: (stamps[ALL], stamps[scope_name] if scope_name else None)
        for item, scope_name in scopes_by_id.items()
    }
    stale = [item for item, copy in copies.items() if copy and copy[0] != current[item]]
    if stale:  # another process (the warm-up after a write) may have stored the new ones
        for item in stale:
            copies[item] = None
        try:
            stored |= cache.get_many([keys[item] for item in stale])
        except Exception:
            pages._Outage.warn("Cache unreachable; computing the values without it")
    values = {}
    for item in scopes_by_id:
        found = copies[item] or stored.get(keys[item])
        if found is not None and found[0] == current[item]:
            values[item] = found[1]
            if found is not copies[item]:
                _copies.put(keys[item], found, _size(found[1]), timeout or COPY_SECONDS)
    missing = [item for item in scopes_by_id if item not in values]
    if missing:
        computed = compute(missing)
        values.update(computed)
        for item, value in computed.items():
            _copies.put(keys[item], (current[item], value), _size(value), timeout or COPY_SECONDS)
        try:
            cache.set_many(
                {keys[item]: (current[item], value) for item, value in computed.items()},
                min(timeout or settings.FRAGMENT_CACHE_SECONDS, settings.FRAGMENT_CACHE_SECONDS),
            )
        except Exception:
            pages._Outage.warn("Cache unreachable; the values were not stored")
    return values


def _size(value):
    """About how much memory a copy takes: exact for the rendered rows (bytes), a guess else."""
    return len(value) if isinstance(value, (bytes, str)) else 1024


# The fragments and values this process used last (caching.local).
_copies = LocalCopies()

# The scopes of this thread's transaction to render again after its commit (scopes_changed).
_pending = threading.local()


def changed(instance):
    """A write to `instance` (a model of a watched app): move the stamps of its scopes on, now
    and again after the commit (as content_changed() does: a reader may have rendered the old
    data in between), then render their pages again. A write that shows nowhere does nothing."""
    scopes_changed(scopes_of(instance))


def scopes_changed(scopes):
    """Move the stamps of `scopes` on, now and after the commit, and render their pages again
    (for writes that are not a watched model's, such as a report's outcome counted on its
    municipality's page)."""
    if not scopes:
        return
    scopes = {*scopes, GENERATION}
    bump(scopes)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # committed already
        _after_commit(scopes)
        return
    # One batch of scopes per transaction, which the first of its writes' commit hooks to run
    # takes whole (any of them may have gone with a savepoint rolled back). Django starts a new
    # list of commit hooks after each commit or rollback, and a filtered one after a
    # savepoint's rollback, so a transaction rolled back leaves no scopes for the next one.
    batch = getattr(_pending, "batch", None)
    if batch is None or batch[0] is not connection.run_on_commit:
        batch = (connection.run_on_commit, set())
        _pending.batch = batch
    batch[1].update(scopes)
    transaction.on_commit(partial(_after_commit, batch[1]))


def _after_commit(scopes):
    scopes, taken = set(scopes), scopes
    taken.clear()
    if not scopes:
        return
    bump(scopes)
    if settings.FRAGMENT_WARM_AFTER_COMMIT:
        try:
            warm_pages.enqueue(sorted(scopes))
        except Exception:  # the write is committed; only its pages' warm-up is lost
            logger.exception("Queueing the warm-up of %s failed", sorted(scopes))


def paths_of(scopes):
    """The addresses to render again for `scopes`, in the active language: the lists any write
    may change (the pages registered for GENERATION, called with None) and the pages each
    scope names."""
    paths = []
    for function in _pages.get(GENERATION, []):
        paths.extend(function(None))
    for name in sorted(scopes):
        kind, _, pk = name.partition(":")
        for function in _pages.get(kind, []) if pk else []:
            paths.extend(function(int(pk)))
    return list(dict.fromkeys(paths))


def warm(scopes, base_url=None):
    """Render the pages of `scopes` in every language as an anonymous reader asks for them, so
    that their fragments are stored; return how many pages were rendered."""
    from urllib.parse import urlsplit

    from django.http.request import split_domain_port, validate_host
    from django.test import Client

    address = urlsplit(base_url or settings.SITE_URL)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:  # as HttpRequest.get_host() allows then
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if not validate_host(split_domain_port(address.netloc)[0], allowed):
        # Not an address this site answers to (SITE_URL unset in a test or a development
        # set-up): readers' fragments would be keyed by another host anyway.
        return 0
    client = Client(HTTP_HOST=address.netloc, REMOTE_ADDR=WARM_UP_ADDRESS)
    count = 0
    # The client's requests activate their languages; the caller's stays as it was.
    with translation.override(translation.get_language()):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                paths = paths_of(scopes)
            for path in paths:
                try:
                    client.get(path, secure=address.scheme == "https")
                    count += 1
                except Exception:
                    logger.exception("Rendering %s to store its fragments failed", path)
    return count


@task()
def warm_pages(scopes):
    """warm(), in the task worker: a write's request does not wait for its pages."""
    return warm(set(scopes))


def read_only(view):
    """For public pages that only read: no transaction around the view (ATOMIC_REQUESTS), which
    costs two round trips to the database (BEGIN, COMMIT) a request; a fragment rendered from
    reads around a concurrent commit is stored under the stamps before it, which that commit
    moves on (changed())."""
    return transaction.non_atomic_requests(view)
