"""Whole-country downloads come from a stored file of the current data, rebuilt after a change."""

import io
import json

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import FileResponse
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opendata import exports
from opendata.registry import get_dataset
from tests.caching.test_pages import UNREACHABLE_REDIS
from tests.factories import make_commitment, make_promise

URL = reverse("opendata:download", kwargs={"dataset": "commitments", "fmt": "csv"})


def _content(response):
    return b"".join(response.streaming_content).decode("utf-8")


def _stored_files():
    return sorted(path.name for path in settings.OPENDATA_ROOT.glob("*"))


class StoredDownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise()
        make_commitment(cls.promise, text="Vi lyser upp gångtunneln")
        cls.draft = make_promise(status="draft", published_at=None)
        make_commitment(cls.draft, text="Vi startar nattvandringar")

    def test_the_second_download_is_the_stored_file_without_rebuilding(self):
        first = self.client.get(URL)
        content = _content(first)
        assert "Vi lyser upp gångtunneln" in content
        [stored] = _stored_files()
        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(URL)
        # At most the savepoint and its release of ATOMIC_REQUESTS: no data is read.
        assert len(queries) <= 2
        assert isinstance(second, FileResponse)
        assert _content(second) == content
        assert int(second["Content-Length"]) == len(content.encode())
        assert second["Content-Type"] == "text/csv; charset=utf-8"
        assert second["Content-Disposition"] == (
            'attachment; filename="loftesportalen-commitments.csv"'
        )
        assert _stored_files() == [stored]

    def test_a_publish_makes_the_next_download_fresh(self):
        _content(self.client.get(URL))
        [before] = _stored_files()
        self.draft.status = self.draft.Status.PUBLISHED
        self.draft.published_at = timezone.now()
        self.draft.save()
        assert "Vi startar nattvandringar" in _content(self.client.get(URL))
        # The earlier generation's file is gone, the new one stored.
        [after] = _stored_files()
        assert after != before

    def test_a_browser_that_has_the_file_gets_304_until_the_data_changes(self):
        response = self.client.get(URL)
        _content(response)
        assert response["ETag"] and response["Last-Modified"]
        by_etag = self.client.get(URL, headers={"if-none-match": response["ETag"]})
        assert by_etag.status_code == 304
        by_date = self.client.get(URL, headers={"if-modified-since": response["Last-Modified"]})
        assert by_date.status_code == 304
        make_commitment(self.promise, text="Vi rensar buskaget")
        again = self.client.get(URL, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 200
        assert "Vi rensar buskaget" in _content(again)
        assert again["ETag"] != response["ETag"]

    def test_each_language_has_its_file(self):
        url = reverse("opendata:download", kwargs={"dataset": "promises", "fmt": "json"})
        swedish = json.loads(_content(self.client.get(url)))
        english = json.loads(_content(self.client.get("/en" + url)))
        assert swedish["title"] == "Medborgarlöften"
        assert english["title"] == "Citizen promises"
        assert english["rows"][0]["url"].startswith("http://testserver/en/")
        assert len(_stored_files()) == 2

    def test_while_another_worker_builds_the_file_the_data_is_streamed(self):
        _content(self.client.get(URL))
        [old] = _stored_files()
        make_commitment(self.promise, text="Vi rensar buskaget")
        path = exports.stored_path(get_dataset("commitments"), "csv", "sv", exports.generation())
        cache.add(f"opendata:build:{path.name}", True)  # another worker's lock
        response = self.client.get(URL)
        assert not isinstance(response, FileResponse)
        assert "Vi rensar buskaget" in _content(response)  # never the old file
        assert _stored_files() == [old]

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_the_data_is_streamed_when_the_cache_is_down(self):
        response = self.client.get(URL)
        assert "Vi lyser upp gångtunneln" in _content(response)
        assert _stored_files() == []

    @override_settings(SITE_URL="https://loftesportalen.example.org")
    def test_the_export_command_builds_every_file_ahead(self):
        call_command("export_opendata", stdout=io.StringIO())
        datasets = [
            "promises",
            "focus-areas",
            "commitments",
            "statuses",
            "survey-results",
            "places",
            "overview-municipalities",
            "overview-counties",
            "overview-police-regions",
            "overview-years",
            "overview-themes-per-year",
        ]
        assert len(_stored_files()) == len(datasets) * 2 * len(settings.LANGUAGES)
        url = reverse("opendata:download", kwargs={"dataset": "promises", "fmt": "csv"})
        with CaptureQueriesContext(connection) as queries:
            content = _content(self.client.get(url))
        assert len(queries) <= 2
        assert f"https://loftesportalen.example.org{self.promise.get_absolute_url()}" in content
