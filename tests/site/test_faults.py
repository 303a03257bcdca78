"""Faults and headers: a database outage is a 503, a cache outage spares pages, /healthz tells."""

import json
import logging
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from config import middleware
from followup.models import FollowUpRound
from reports.models import ErrorReport
from tests.factories import make_municipality, make_promise, make_round

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def database_down():
    """Every new database connection fails, as psycopg's does while PostgreSQL is stopped.

    For tests without the database: nothing of theirs holds a connection, and no transactional
    test empties the database for the tests that run after them."""
    middleware.DatabaseOutageMiddleware.last_logged = float("-inf")

    def refuse(self):
        raise OperationalError("connection refused")

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


@pytest.fixture
def cache_down():
    from django.core.cache.backends.locmem import LocMemCache

    def refuse(*args, **kwargs):
        raise ConnectionError("cache refused")

    with (
        mock.patch.object(LocMemCache, "get", refuse),
        mock.patch.object(LocMemCache, "add", refuse),
        mock.patch.object(LocMemCache, "set", refuse),
        mock.patch.object(LocMemCache, "incr", refuse),
    ):
        yield


def test_database_outage_is_a_friendly_503_logged_once(database_down, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        responses = [client.get("/"), client.get("/en/"), client.get("/sok/?q=x")]
    assert [response.status_code for response in responses] == [503, 503, 503]
    assert all(response["Retry-After"] for response in responses)
    assert "försök igen" in responses[0].content.decode().lower()
    assert '<html lang="en"' in responses[1].content.decode()
    assert responses[0]["X-Content-Type-Options"] == "nosniff"
    outage = [record for record in caplog.records if "unreachable" in record.getMessage()]
    assert len(outage) == 1
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_healthz_reports_an_unreachable_database(database_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "unavailable", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_both_ok_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_cache(client, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_with_the_cache_down_pages_serve_and_reports_ask_to_try_later(cache_down):
    client = Client(raise_request_exception=False)
    make_municipality(slug="norrby")
    assert client.get("/").status_code == 200
    assert client.get("/kommun/norrby/").status_code == 200
    response = client.post(
        reverse("reports:error_report"), {"page_url": "/kommun/norrby/", "message": "Fel."}
    )
    assert response.status_code == 503
    assert "försök igen senare" in response.content.decode().lower()
    assert ErrorReport.objects.count() == 0


@pytest.mark.django_db
def test_every_response_has_a_permissions_policy(client):
    for url in ("/", "/robots.txt", "/finns-inte/", reverse("admin:login")):
        assert "camera=()" in client.get(url)["Permissions-Policy"], url


@pytest.mark.django_db
def test_feed_summaries_are_plain_text(client):
    promise = make_promise()
    make_round(
        promise, state=FollowUpRound.State.PUBLISHED, summary="<script>alert(1)</script> & mer"
    )
    root = ET.fromstring(client.get(reverse("followup:feed")).content)
    summary = root.find(f"{ATOM}entry").find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "<script>alert(1)</script> & mer"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_forwarded_for_counts_only_from_a_trusted_proxy():
    from reports.ratelimit import client_ip

    direct = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.4", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert client_ip(direct) == "198.51.100.4"
    proxied = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert client_ip(proxied) == "203.0.113.9"


def test_env_example_trusts_no_proxy_by_default():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / ".env.example").read_text()
    assert "\nTRUSTED_PROXY_COUNT=0\n" in text
