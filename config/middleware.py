"""Middleware that keeps hostile input and a database outage from ever becoming a 500."""

import logging
import re
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError

from .views import service_unavailable

logger = logging.getLogger(__name__)

# Text no form, address or database column of ours holds: the NUL byte (PostgreSQL refuses it in
# text) and lone UTF-16 surrogates (no UTF-8 encoder accepts them).
UNSPEAKABLE = re.compile("[\x00\ud800-\udfff]")
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_unspeakable(querydict):
    return any(
        UNSPEAKABLE.search(key) or any(UNSPEAKABLE.search(value) for value in values)
        for key, values in querydict.lists()
    )


class HostileInputMiddleware:
    """A 400 for a NUL byte or a lone surrogate in the path, the query string or a form field,
    and for a number too large for Python's C types (OverflowError) anywhere in a view.

    Refused here once for every view, the admin's and third parties' included, instead of in
    each view that passes a parameter on to the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            UNSPEAKABLE.search(request.path_info)
            or _has_unspeakable(request.GET)
            or (request.content_type in FORM_CONTENT_TYPES and _has_unspeakable(request.POST))
        ):
            raise BadRequest("A NUL byte or a lone surrogate in the request.")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            raise BadRequest("A number out of range in the request.") from exception
        return None


class DatabaseOutageMiddleware:
    """A friendly 503 with Retry-After while the database is unreachable, logged as an outage.

    One warning per OUTAGE_LOG_SECONDS, however many requests fail meanwhile, so that an outage
    does not bury the log under a traceback per request. Nothing is kept between requests:
    CONN_HEALTH_CHECKS reconnects as soon as the database is back.
    """

    last_logged = float("-inf")
    failed_since_logged = 0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        cls = type(self)
        cls.failed_since_logged += 1
        now = time.monotonic()
        if now - cls.last_logged >= settings.OUTAGE_LOG_SECONDS:
            logger.warning(
                "Database unreachable (%s); answering 503, %d requests since the last warning",
                exception,
                cls.failed_since_logged,
            )
            cls.last_logged, cls.failed_since_logged = now, 0
        return service_unavailable(request)


class PermissionsPolicyMiddleware:
    """Every response refuses the browser features the portal never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
