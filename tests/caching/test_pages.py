"""The page cache: anonymous readers share cached pages until the data changes; editors never."""

import datetime as dt

import time_machine
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caching import pages
from promises.models import Membership
from tests.factories import make_commitment, make_member, make_promise

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1; fail fast instead of waiting for a time-out.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


class PublicPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise(title="Tryggare centrum")
        make_commitment(cls.promise, text="Vi lyser upp gångtunneln")
        cls.url = cls.promise.get_absolute_url()

    def test_a_second_reader_is_served_from_the_cache_without_queries(self):
        first = self.client.get(self.url)
        assert first.status_code == 200
        with self.assertNumQueries(0):
            second = self.client.get(self.url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]

    def test_cached_pages_tell_browsers_and_proxies_how_to_keep_them(self):
        response = self.client.get(self.url)
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert response["Last-Modified"]
        assert response["ETag"]

    def test_a_browser_that_has_the_page_gets_304(self):
        response = self.client.get(self.url)
        by_etag = self.client.get(self.url, headers={"if-none-match": response["ETag"]})
        assert by_etag.status_code == 304
        by_date = self.client.get(
            self.url, headers={"if-modified-since": response["Last-Modified"]}
        )
        assert by_date.status_code == 304

    def test_a_change_of_the_data_gives_a_fresh_page_and_a_new_etag(self):
        before = self.client.get(self.url)
        make_commitment(self.promise, text="Vi startar nattvandringar")
        after = self.client.get(self.url)
        self.assertContains(after, "Vi startar nattvandringar")
        assert after["ETag"] != before["ETag"]
        # The browser's copy is stale now: a full page, not a 304.
        again = self.client.get(self.url, headers={"if-none-match": before["ETag"]})
        assert again.status_code == 200

    def test_unpublishing_takes_the_page_off_at_once(self):
        assert self.client.get(self.url).status_code == 200
        self.promise.status = self.promise.Status.ARCHIVED
        self.promise.save()
        assert self.client.get(self.url).status_code == 404

    def test_signed_in_editors_get_fresh_private_pages(self):
        self.client.get(self.url)  # cached for anonymous readers
        editor = make_member(self.promise.parties.first(), Membership.Role.COORDINATOR)
        self.client.force_login(editor)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        assert len(queries) > 0  # rendered for them
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]

    def test_pages_with_a_csrf_token_are_never_cached(self):
        url = reverse("reports:unsafe_place_report")
        first = self.client.get(url)
        assert first.status_code == 200
        assert "csrftoken" in first.cookies
        second = self.client.get(url)
        assert "csrftoken" in second.cookies  # rendered for this reader, not taken from cache
        assert "public" not in second.get("Cache-Control", "")

    def test_errors_are_not_cached(self):
        missing = reverse("promises:promise_detail", kwargs={"slug": "finns-inte"})
        assert self.client.get(missing).status_code == 404
        make_promise(slug="finns-inte")
        assert self.client.get(missing).status_code == 200

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_pages_are_rendered_when_the_cache_is_down(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Tryggare centrum")

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_an_unreachable_cache_is_logged_once_not_per_request(self):
        pages._Outage.last_logged = float("-inf")
        with self.assertLogs("caching.pages", "WARNING") as logs:
            self.client.get(self.url)
            self.client.get(self.url)
        assert len(logs.records) == 1

    def test_a_reader_with_a_message_waiting_gets_a_fresh_page(self):
        self.client.get(self.url)  # cached
        self.client.cookies["messages"] = "waiting"
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        assert response.status_code == 200
        assert len(queries) > 0  # rendered, so the message can be shown and taken

    def test_what_is_current_is_judged_afresh_each_day(self):
        first = self.client.get(self.url)
        with (
            time_machine.travel(dt.timedelta(days=1)),
            CaptureQueriesContext(connection) as queries,
        ):
            self.client.get(self.url)
        assert len(queries) > 0
        assert first.status_code == 200
