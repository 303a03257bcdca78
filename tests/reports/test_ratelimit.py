import os
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from reports.models import ErrorReport
from reports.ratelimit import client_ip

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, away from production's 0


@pytest.fixture(autouse=True)
def _proxy_network(settings):
    """The TLS proxy of these tests connects from 10.0.0.1."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def request(remote_addr="10.0.0.1", forwarded=None):
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        # Without proxies of our own the header is the client's word and is ignored.
        (0, "203.0.113.9", "10.0.0.1"),
        (1, None, "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, " 203.0.113.9 ", "203.0.113.9"),
        (1, "2001:db8::7", "2001:db8::7"),
        # A CDN in front of the TLS proxy: the CDN's address is rightmost.
        (2, "203.0.113.9, 198.51.100.1", "203.0.113.9"),
        # Shorter than the proxies we trust: the request did not come through all of them.
        (2, "203.0.113.9", "10.0.0.1"),
    ],
)
def test_client_ip(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_ip(request(forwarded=forwarded)) == expected


def test_client_ip_ignores_addresses_the_client_put_in_front(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = request(forwarded="1.2.3.4, 5.6.7.8, 203.0.113.9")
    assert client_ip(spoofed) == "203.0.113.9"


def post_report(client, forwarded):
    return client.post(
        reverse("reports:error_report"),
        {"page_url": "/", "message": "Fel adress."},
        REMOTE_ADDR="10.0.0.1",  # always the TLS proxy
        headers={"X-Forwarded-For": forwarded},
    )


@pytest.mark.django_db
@override_settings(REPORTS_RATE_LIMIT=(2, 600), TRUSTED_PROXY_COUNT=1)
def test_rate_limit_counts_the_client_behind_the_proxy_however_it_spoofs(client):
    cache.clear()
    # A forged leftmost address does not buy a fresh allowance.
    statuses = [post_report(client, f"192.0.2.{n}, 203.0.113.9").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    # Another client behind the same proxy has an allowance of its own.
    assert post_report(client, "198.51.100.7").status_code == 302
    assert ErrorReport.objects.count() == 3


@pytest.fixture
def redis_cache():
    """The default cache on the real Redis of production's kind, under a prefix of its own."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable ({error}), and CI needs it.")
        pytest.skip(
            f"The Redis rate-limit test needs Redis at {REDIS_URL}; outside CI it is skipped "
            "without it."
        )
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield connection
    finally:
        stale = list(connection.scan_iter(match=f"{prefix}:*"))
        if stale:
            connection.delete(*stale)
        connection.close()


@pytest.mark.django_db
@override_settings(REPORTS_RATE_LIMIT=(2, 600), TRUSTED_PROXY_COUNT=1)
def test_rate_limit_is_shared_through_redis(client, redis_cache):
    from django.conf import settings

    assert settings.CACHES["default"]["LOCATION"] == REDIS_URL
    statuses = [post_report(client, "203.0.113.9").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    # The count lives in Redis, where every gunicorn worker reads it, with the window's expiry.
    (key,) = redis_cache.scan_iter(match="*ratelimit:reports:203.0.113.9")
    assert int(redis_cache.get(key)) == 3
    assert 0 < redis_cache.ttl(key) <= 600
    assert ErrorReport.objects.count() == 2


def test_the_shared_counter_adds_to_a_key_that_exists_only(redis_cache):
    from django.core.cache import cache as shared

    with pytest.raises(ValueError):
        shared.incr("counter")
    assert shared.get("counter") is None  # not made by the attempt
    shared.add("counter", 1, timeout=60)
    assert [shared.incr("counter"), shared.incr("counter", 5)] == [2, 7]
    assert 0 < redis_cache.ttl(shared.make_key("counter")) <= 60
