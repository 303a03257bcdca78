"""The API's pagination and rate limit (settings.REST_FRAMEWORK names them)."""

import logging
import time
from functools import partial

from django.conf import settings
from django.core.paginator import PageNotAnInteger, Paginator
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.throttling import SimpleRateThrottle

from caching import fragments
from reports.ratelimit import client_ip

logger = logging.getLogger(__name__)
_last_warned = float("-inf")


class IdsOfRows:
    """What a list's paginator reads of its rows (views.KeptRowsMixin): the ids and scopes
    (`fields`) of one page's, and the count of them all, in one query.

    A list named `kept_as` (one asked for without filters, the same for every client) keeps
    each page's ids and count until a write (caching.fragments.precomputed, GENERATION) or a
    publication set for a later time (`until`): then a page costs no query at all."""

    ordered = True

    def __init__(self, queryset, fields, kept_as=None, until=None):
        self.queryset = queryset.select_related(None).prefetch_related(None)
        self.fields = fields
        self.kept_as = kept_as
        self.until = until
        self.total = None

    def page(self, start, stop):
        if self.kept_as is None:
            rows, self.total = self._read(start, stop)
        else:
            rows, self.total = fragments.precomputed(
                f"{self.kept_as}:{start}:{stop}",
                partial(self._read, start, stop),
                fragments.GENERATION,
                until=self.until,
            )
        return rows

    def _read(self, start, stop):
        """The rows from `start` to `stop` and the count of them all. Each row counts them all:
        a subquery that the database computes once, without the join a scope may need."""
        counted, params = self.queryset.order_by().values("pk").query.sql_with_params()
        total = RawSQL(f"SELECT COUNT(*) FROM ({counted}) counted", params, IntegerField())
        rows = self.queryset.annotate(total=total).values_list(*self.fields, "total")
        rows = list(rows[start:stop])
        if not rows:
            return [], self.queryset.count()
        return [row[:-1] for row in rows], rows[0][-1]

    def count(self):
        """Known from the page, unless it had no rows."""
        if self.total is None:
            self.total = self.queryset.count()
        return self.total


class PageFirstPaginator(Paginator):
    """Django's paginator, which reads the page of IdsOfRows before their count: a list costs
    one query, and a count of its own only when the page asked for has no rows."""

    def page(self, number):
        if not isinstance(self.object_list, IdsOfRows):
            return super().page(number)
        try:
            start = (int(number) - 1) * self.per_page
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        rows = self.object_list.page(start, start + self.per_page) if start >= 0 else []
        return self._get_page(rows, self.validate_number(number), self)


class Pagination(PageNumberPagination):
    """Pages of 20 rows, about a screenful: a promise is some 2 KB of JSON, so a page of 100
    was some 200 KB that every client got and most did not read, and each answer cost that much
    to render, send and keep in the page cache. A client may ask for up to 500 (`page_size`),
    never more, so that no request reads the whole country at once (the open-data files are
    for that)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = PageFirstPaginator


class RenderedRows(list):
    """A page's rows, each already rendered as JSON (bytes): views.KeptRowsMixin."""


class JSONRenderer(DRFJSONRenderer):
    """DRF's JSON, with a page of RenderedRows put in as they are, not decoded and encoded
    again."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not (isinstance(data, dict) and isinstance(data.get("results"), RenderedRows)):
            return super().render(data, accepted_media_type, renderer_context)
        # "results" comes last (PageNumberPagination), so its [] is the envelope's last one.
        envelope = super().render({**data, "results": []}, accepted_media_type, renderer_context)
        head, _brackets, tail = envelope.rpartition(b"[]")
        return b"".join([head, b"[", b",".join(data["results"]), b"]", tail])


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (the one reports and logins count, honouring
    TRUSTED_PROXY_COUNT), counted in the shared cache so that every worker and instance adds
    to one count. Answers served from the page cache never reach it: they cost nothing.

    Counted in windows of the rate's period on the clock (a minute): one number per client and
    window. DRF's own throttle keeps a list of the times of a client's requests in the last
    period, which every request reads and writes whole: at a few hundred requests a second
    (a busy client, or a benchmark) that list cost more than the answer. A client may make up
    to twice its rate across the turn of a window, which is fine for a limit against abuse."""

    scope = "api"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def _count(self, request):
        """Counts the request in the client's current window; True while within the rate."""
        now = self.timer()
        window = int(now // self.duration)
        self.until_next_window = (window + 1) * self.duration - now
        key = f"{self.get_cache_key(request, None)}:{window}"
        try:
            used = self.cache.incr(key)
        except ValueError:  # the client's first request in this window
            used = 1 if self.cache.add(key, 1, timeout=self.duration) else self.cache.incr(key)
        return used <= self.num_requests

    def wait(self):
        return self.until_next_window

    def allow_request(self, request, view):
        if request.META.get("REMOTE_ADDR") == fragments.WARM_UP_ADDRESS:
            return True  # the site's own warm-up after a write, however many writes there are
        try:
            return self._count(request)
        except Exception:  # each cache backend raises its own (redis.ConnectionError, …)
            # Like the pages, the API is served without its cache rather than not at all;
            # one warning per OUTAGE_LOG_SECONDS, not one a request.
            global _last_warned
            if time.monotonic() - _last_warned >= settings.OUTAGE_LOG_SECONDS:
                logger.warning("Cache unreachable; the API is not rate-limited", exc_info=True)
                _last_warned = time.monotonic()
            return True
