"""The API's pagination and rate limit (settings.REST_FRAMEWORK names them)."""

import logging
import time

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle

from reports.ratelimit import client_ip

logger = logging.getLogger(__name__)
_last_warned = float("-inf")


class Pagination(PageNumberPagination):
    """Pages of 100 rows; a client may ask for up to 500 (`page_size`), never more, so that no
    request reads the whole country at once (the open-data files are for that)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ClientRateThrottle(SimpleRateThrottle):
    """Requests per client address (the one reports and logins count, honouring
    TRUSTED_PROXY_COUNT), counted in the shared cache so that every worker and instance adds
    to one count. Answers served from the page cache never reach it: they cost nothing."""

    scope = "api"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # each cache backend raises its own (redis.ConnectionError, …)
            # Like the pages, the API is served without its cache rather than not at all;
            # one warning per OUTAGE_LOG_SECONDS, not one a request.
            global _last_warned
            if time.monotonic() - _last_warned >= settings.OUTAGE_LOG_SECONDS:
                logger.warning("Cache unreachable; the API is not rate-limited", exc_info=True)
                _last_warned = time.monotonic()
            return True
