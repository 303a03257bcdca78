"""How many reports a client may send, and who the client is behind the TLS proxy."""

import ipaddress

from django.conf import settings
from django.core.cache import cache


class RateLimitUnavailable(Exception):
    """The cache that counts reports cannot be reached; no report can be counted, or taken."""


def _from_trusted_proxy(remote_addr):
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXIES
    )


def client_ip(request):
    """The client's address, as the nearest of settings.TRUSTED_PROXY_COUNT proxies saw it.

    Behind proxies REMOTE_ADDR is the nearest proxy's address, and each proxy appends the
    address it was connected from to X-Forwarded-For. Only the rightmost TRUSTED_PROXY_COUNT
    entries were written by our own proxies; anything left of them came from the client and
    may be forged, so the N-th entry from the right is the one to trust. And only on a
    connection from one of settings.TRUSTED_PROXIES: a client that reaches gunicorn directly
    would otherwise pick its own address, and a fresh allowance with it.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0 or not _from_trusted_proxy(remote_addr):
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < trusted:  # a request that did not pass all our proxies
        return remote_addr
    return forwarded[-trusted]


def over_limit(key, allowed, seconds):
    """Counts one more use of `key` in a fixed window of `seconds`; True once it is over
    `allowed`. RateLimitUnavailable when the cache is down: uncounted uses would be unlimited."""
    key = f"ratelimit:{key}"
    try:
        cache.add(key, 0, timeout=seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # the window ran out between add() and incr()
            cache.set(key, 1, timeout=seconds)
            used = 1
    except Exception as error:  # each backend raises its own (redis.ConnectionError, …)
        raise RateLimitUnavailable from error
    return used > allowed


def over_rate_limit(request):
    """Counts the client's reports; True once it has used up its share."""
    allowed, seconds = settings.REPORTS_RATE_LIMIT
    return over_limit(f"reports:{client_ip(request)}", allowed, seconds)
