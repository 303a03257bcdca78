"""Security events, as structured lines on the "security" logger.

Each event has a name (`event`), the request's user and client address, and fields of its
own; never a password or a one-time code. The JSON formatter (security.logging) adds the
request id.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("security")


def log_event(event, request=None, *, level=logging.INFO, **fields):
    if request is not None:
        fields.setdefault("ip", get_client_ip_address(request))
        fields.setdefault("path", request.path)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields.setdefault("user", user.get_username())
            fields.setdefault("user_id", user.pk)
    logger.log(level, event, extra={"event": event, **fields})


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        log_event("login_succeeded", request, user=user.get_username(), user_id=user.pk)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the username is logged.
    if request is not None:
        log_event(
            "login_failed",
            request,
            level=logging.WARNING,
            user=credentials.get("username", ""),
            locked_out=getattr(request, "axes_locked_out", False),
        )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("lockout", request, level=logging.WARNING, user=username or "", ip=ip_address)
