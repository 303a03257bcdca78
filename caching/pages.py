"""The shared cache of public pages for anonymous readers.

A page is cached under its address with the *generation* it was rendered in, a timestamp in
the shared cache that every write to the data residents read moves on (caching.apps); it is
served only while that is still the generation. A new generation makes every page cached
before it stale, on every gunicorn instance at once: pages are rendered afresh after a publish,
never served stale. The generation is also the pages'
Last-Modified, and each stored page gets an ETag, so browsers and proxies get 304s.

Only anonymous GET and HEAD requests are served from and stored in the cache, and only complete
200 responses that neither set nor vary on cookies: a page holding a CSRF token or anything of a
session never reaches the cache. A request with a session cookie (a signed-in editor) always
gets a fresh page. When the cache is unreachable, pages are simply rendered.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date, split_header_value

from .local import LocalCopies

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
# The language is part of the address (i18n_patterns), so the Accept-Language that
# LocaleMiddleware names in Vary does not change a page; any other Vary header keeps a page out.
IGNORED_VARY = {"accept-language"}
# Where django.contrib.messages' cookie storage keeps messages for the next page.
MESSAGES_COOKIE = CookieStorage.cookie_name


# The pages this process served last (caching.local).
_copies = LocalCopies()


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


class _Outage:
    """One warning per OUTAGE_LOG_SECONDS while the cache is unreachable, not one a request."""

    last_logged = float("-inf")

    @classmethod
    def warn(cls, message):
        now = time.monotonic()
        if now - cls.last_logged >= settings.OUTAGE_LOG_SECONDS:
            logger.warning(message, exc_info=True)
            cls.last_logged = now


def _bump():
    try:
        _cache().set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # tried again after the commit (content_changed); else stale for a while
        _Outage.warn("Page cache unreachable; the generation was not moved on")


def content_changed():
    """Data residents read changed: later requests get fresh pages.

    Moved on now, so that this request and the tests see it, and again after the commit: a
    request that read the old data before the commit may have cached it under the new one.
    """
    _bump()
    transaction.on_commit(_bump)


def _generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def current_generation():
    """The generation of the public data now: it moves on with every write to it."""
    return _generation(_cache())


def _key(request):
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    # Today is part of the key: what is current, upcoming or earlier changes at midnight,
    # with no write to move the generation on.
    return f"pages:{timezone.localdate().isoformat()}:{address}"


def _cacheable_request(request):
    # The admin needs no rule of its own: its pages are never_cache, and editors have sessions.
    # A message waiting in its cookie (a report's "thank you") is shown on the next page.
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def _cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Cache-Control"):
        return False  # the view decided itself (never_cache, private, …)
    vary = {header.lower() for header in split_header_value(response.get("Vary", ""))}
    return not (vary - IGNORED_VARY)


class PublicPageCacheMiddleware:
    """Serves anonymous readers from the shared cache and stores what they are served.

    It stands near the top of MIDDLEWARE, so that a hit skips sessions, CSRF, the language
    and the database, and a stored page carries the headers every middleware below added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or not _cacheable_request(request):
            return self._private(request, self.get_response(request))
        cache = _cache()
        key = _key(request)
        copy = _copies.get(key)
        try:
            if copy is None:
                # The generation and the page in one round trip: a page is kept under its
                # address with the generation it was rendered in, and served only in that
                # generation.
                found = cache.get_many([GENERATION_KEY, key])
                generation = found.get(GENERATION_KEY) or _generation(cache)
                stored = found.get(key)
            else:  # only whether this process's copy is still current
                generation = cache.get(GENERATION_KEY) or _generation(cache)
                stored = copy if copy[0] == generation else cache.get(key)
        except Exception:
            _Outage.warn("Page cache unreachable; rendering pages without it")
            return self.get_response(request)
        if stored is not None and stored[0] == generation:
            if stored is not copy:
                _copies.put(key, stored, len(stored[1]), settings.PAGE_CACHE_SECONDS)
            return self._rebuild(stored[1:])
        response = self.get_response(request)
        if _cacheable_response(response):
            response["Last-Modified"] = http_date(generation / 1e9)
            set_response_etag(response)
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
            stored = (generation, *self._freeze(response))
            _copies.put(key, stored, len(response.content), settings.PAGE_CACHE_SECONDS)
            try:
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            except Exception:
                _Outage.warn("Page cache unreachable; the page was not stored")
        return response

    @staticmethod
    def _private(request, response):
        # A signed-in editor's pages are theirs alone: no proxy keeps them.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _freeze(response):
        return response.content, list(response.headers.items())

    @staticmethod
    def _rebuild(stored):
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response
