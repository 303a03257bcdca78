import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .events import log_event
from .logging import request_id

# What a proxy's own request id may look like (nginx's $request_id, a UUID, …); anything else
# is replaced, so that a client cannot write into the log.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

LOGGED_IN_AT = "security_logged_in_at"
LAST_ACTIVITY = "security_last_activity"
# The last activity is written at most this often, not on every request.
ACTIVITY_RESOLUTION = 60


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID if valid, else a new one) for the
    log lines written while it is handled, and echoes it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class SessionTimeoutMiddleware:
    """Logs a user out after settings.SESSION_IDLE_TIMEOUT seconds without a request, and
    settings.SESSION_COOKIE_AGE seconds after logging in.

    Requests without a session cookie (residents) are not looked at: reading their session
    would make public pages vary on cookies and keep them out of the page cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = int(time.time())
        session = request.session
        idle = now - session.get(LAST_ACTIVITY, now)
        age = now - session.get(LOGGED_IN_AT, now)
        if idle > settings.SESSION_IDLE_TIMEOUT or age > settings.SESSION_COOKIE_AGE:
            log_event(
                "session_expired",
                request,
                reason="idle" if idle > settings.SESSION_IDLE_TIMEOUT else "max_age",
            )
            logout(request)
        elif LOGGED_IN_AT not in session or idle >= ACTIVITY_RESOLUTION:
            session.setdefault(LOGGED_IN_AT, now)
            session[LAST_ACTIVITY] = now


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_ACTIVITY] = now
