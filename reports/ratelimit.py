"""How many reports a client may send, and who the client is behind the TLS proxy."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address, as the nearest of settings.TRUSTED_PROXY_COUNT proxies saw it.

    Behind proxies REMOTE_ADDR is the nearest proxy's address, and each proxy appends the
    address it was connected from to X-Forwarded-For. Only the rightmost TRUSTED_PROXY_COUNT
    entries were written by our own proxies; anything left of them came from the client and
    may be forged, so the N-th entry from the right is the one to trust.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < trusted:  # a request that did not pass all our proxies
        return remote_addr
    return forwarded[-trusted]


def over_rate_limit(request):
    """Counts the client's reports in a fixed window; True once it has used up its share."""
    allowed, seconds = settings.REPORTS_RATE_LIMIT
    key = f"reports:rate:{client_ip(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        sent = cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.set(key, 1, timeout=seconds)
        sent = 1
    return sent > allowed
