"""The error pages and /healthz: views that must answer whatever state the request is in.

An error page may be rendered for a request whose body cannot be read (a form in another
charset), before LocaleMiddleware ran, or while the database is down. So the pages read
nothing of the request but its path, touch neither the database nor the session, and fall back
to plain text should their template fail: Django's default handlers run the CSRF check again
(requires_csrf_token), which reads the body, and fail on the very request they answer.
"""

import logging
import sys

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from security.events import log_event

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _language(request):
    # As LocaleMiddleware decides with i18n_patterns(prefix_default_language=False).
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def error_page(request, status, title, message, template_name="error.html"):
    """A page of its own for an error, in the language of the address, that cannot fail."""
    language = _language(request)
    with translation.override(language):
        try:
            content = render_to_string(
                template_name, {"title": title, "message": message, "language": language}
            )
            return HttpResponse(content, status=status)
        except Exception:
            logger.exception("The %d page could not be rendered", status)
            return HttpResponse(
                f"{title}\n\n{message}\n",
                status=status,
                content_type="text/plain; charset=utf-8",
            )


def bad_request(request, exception=None):
    return error_page(
        request,
        400,
        _("Bad request"),
        _("The address or the form held something the portal cannot read. Go back and try again."),
    )


def permission_denied(request, exception=None):
    try:
        log_event("permission_denied", request, level=logging.WARNING)
    except Exception:  # the page must go out even if the user cannot be read (an outage)
        logger.warning("A permission denial could not be recorded", exc_info=True)
    return error_page(
        request,
        403,
        _("Forbidden"),
        _("You may not do this. If you sent a form, reload its page and send it again."),
    )


def csrf_failure(request, reason=""):
    return permission_denied(request)


def page_not_found(request, exception=None):
    with translation.override(_language(request)):
        try:
            return render(request, "404.html", status=404)
        except Exception:
            logger.exception("The 404 page could not be rendered")
    return error_page(
        request, 404, _("Page not found"), _("The page does not exist, or it is not published.")
    )


def server_error(request):
    # A database outage outside any view (a session saved on the way out) is still a 503.
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        return service_unavailable(request)
    return error_page(request, 500, _("Something went wrong"), _("Please try again in a while."))


def service_unavailable(request, message=None):
    response = error_page(
        request,
        503,
        _("The portal is temporarily unavailable"),
        message or _("Please try again in a minute."),
    )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    # Logged by the caller, once per outage rather than by django.request as an error each time.
    response._has_been_logged = True
    return response


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unavailable"
    return "ok"


def _cache_state():
    try:
        cache = caches[settings.PAGE_CACHE_ALIAS]
        cache.set("healthz", "ok", timeout=10)
        reachable = cache.get("healthz") == "ok"
    except Exception:  # every backend raises errors of its own (redis.ConnectionError, …)
        reachable = False
    return "ok" if reachable else "unavailable"


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """Whether the database and the cache answer; for a load balancer or a monitor."""
    state = {"database": _database_state(), "cache": _cache_state()}
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse(state, status=200 if healthy else 503)
