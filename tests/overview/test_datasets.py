"""The overview's tables as open data: the same figures as the page, in CSV and JSON, for the
whole country or narrowed to a municipality; drafts never counted."""

import datetime as dt

import time_machine
from django.test import TestCase

from followup.models import FollowUpRound
from promises.models import Party, Promise, Theme
from tests.factories import make_focus_area, make_police_area, make_promise, make_round
from tests.opendata.test_wired_datasets import _rows
from tests.shared_data import TEST_DAY


@time_machine.travel(TEST_DAY)
class OverviewDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom = Party.objects.get(slug="olofstrom")
        police = make_police_area()
        promise = make_promise(
            parties=[cls.olofstrom, police],
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
        make_focus_area(promise, themes=[Theme.objects.get(slug="trafiksakerhet")])
        make_round(
            promise,
            2026,
            2,
            state=FollowUpRound.State.PUBLISHED,
            published_at=dt.datetime(2026, 7, 10, tzinfo=dt.UTC),
        )
        draft = make_promise(
            parties=[Party.objects.get(slug="karlshamn"), police],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        make_focus_area(draft, themes=[Theme.objects.get(slug="bedragerier")])

    def test_counties_in_csv_and_json(self):
        for fmt in ("csv", "json"):
            rows = {row["code"]: row for row in _rows(self.client, "overview-counties", fmt)}
            assert len(rows) == 21
            blekinge = rows["10"]
            assert blekinge["name"] == "Blekinge län"
            assert str(blekinge["with_current_promise"]) == "1"
            assert str(blekinge["municipalities"]) == "5"
            assert str(blekinge["rounds_due"]) == "3"
            assert str(blekinge["rounds_on_time"]) == "1"
            assert str(blekinge["as_of"]) == "2026-12-01"
        json_rows = {row["code"]: row for row in _rows(self.client, "overview-counties")}
        assert json_rows["10"]["top_themes"] == ["trafiksakerhet"]
        assert json_rows["10"]["share"] == 0.2

    def test_municipalities_police_regions_and_years(self):
        municipalities = _rows(self.client, "overview-municipalities")
        assert len(municipalities) == 290
        assert [row["municipality"] for row in municipalities if row["has_current_promise"]] == [
            "Olofström"
        ]
        regions = {row["code"]: row for row in _rows(self.client, "overview-police-regions")}
        assert regions["Syd"]["with_current_promise"] == 1
        assert _rows(self.client, "overview-years") == [{"year": 2026, "promises": 1}]
        themes = _rows(self.client, "overview-themes-per-year", "csv")
        counts = {row["theme"]: row["promises"] for row in themes}
        assert counts["trafiksakerhet"] == "1"
        assert counts["bedragerier"] == "0"  # the draft's theme counts for nothing

    def test_narrowed_to_a_municipality(self):
        rows = _rows(self.client, "overview-municipalities", municipality=self.olofstrom)
        assert [row["municipality_code"] for row in rows] == ["1060"]
        counties = _rows(self.client, "overview-counties", municipality=self.olofstrom)
        assert [row["code"] for row in counties] == ["10"]
        regions = _rows(self.client, "overview-police-regions", municipality=self.olofstrom)
        assert [row["code"] for row in regions] == ["Syd"]
