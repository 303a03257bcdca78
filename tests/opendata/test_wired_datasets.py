"""The follow-up and survey datasets that followup and situation register with open data."""

import csv
import io
import json

import pytest
from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus, FollowUpRound
from tests.factories import (
    make_commitment,
    make_indicator,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_safety_survey,
    make_survey_result,
)

PUBLISHED = FollowUpRound.State.PUBLISHED


def _get(client, dataset, fmt, municipality=None):
    if municipality is None:
        url = reverse("opendata:download", kwargs={"dataset": dataset, "fmt": fmt})
    else:
        url = reverse(
            "opendata:municipality_download",
            kwargs={"municipality": municipality.slug, "dataset": dataset, "fmt": fmt},
        )
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _rows(client, dataset, fmt="json", municipality=None):
    content = _get(client, dataset, fmt, municipality)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content)))
    return json.loads(content)["rows"]


def _set_status(round_, commitment, status, progress=None):
    CommitmentStatus.objects.filter(round=round_, commitment=commitment).update(
        status=status, progress=progress
    )


class StatusesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom = make_municipality(slug="olofstrom-test")
        cls.orust = make_municipality(slug="orust-test")
        police = make_police_area()
        cls.promise = make_promise(parties=[cls.olofstrom, police], slug="olofstrom-lofte")
        cls.commitment = make_commitment(cls.promise)
        cls.first = make_round(cls.promise, 2025, 1, state=PUBLISHED)
        cls.second = make_round(cls.promise, 2025, 2, state=PUBLISHED)
        _set_status(cls.first, cls.commitment, "ongoing", 20)
        _set_status(cls.second, cls.commitment, "on_track", 60)
        draft_round = make_round(cls.promise, 2025, 3, state=FollowUpRound.State.APPROVED)
        _set_status(draft_round, cls.commitment, "cancelled")
        cls.orust_promise = make_promise(parties=[cls.orust, police], slug="orust-lofte")
        make_commitment(cls.orust_promise)
        make_round(cls.orust_promise, 2025, 1, state=PUBLISHED)
        draft_promise = make_promise(
            parties=[cls.olofstrom, police], status="draft", published_at=None
        )
        make_commitment(draft_promise)
        make_round(draft_promise, 2025, 1, state=PUBLISHED)

    def test_one_row_per_commitment_and_published_round_with_a_swedish_label(self):
        rows = _rows(self.client, "statuses", municipality=self.olofstrom)
        assert [(r["year"], r["quarter"], r["status"], r["progress"]) for r in rows] == [
            (2025, 1, "ongoing", 20),
            (2025, 2, "on_track", 60),
        ]
        row = rows[1]
        assert row["promise_slug"] == "olofstrom-lofte"
        assert row["promise_id"] == self.promise.pk
        assert row["commitment_id"] == self.commitment.pk
        assert row["status_label"] == "enligt plan"
        assert row["status_label_en"] == "on track"
        assert row["published_at"].startswith(str(self.second.published_at.year))

    def test_labels_are_in_both_languages_whichever_site_links_to_them(self):
        for prefix in ("", "/en"):
            url = prefix + reverse(
                "opendata:download", kwargs={"dataset": "statuses", "fmt": "csv"}
            )
            content = b"".join(self.client.get(url).streaming_content).decode()
            assert ",status_label,status_label_en," in content.splitlines()[0] + ","
            assert ",enligt plan,on track," in content

    def test_unpublished_rounds_and_promises_are_never_exported(self):
        for fmt in ("csv", "json"):
            rows = _rows(self.client, "statuses", fmt)
            assert {r["promise_slug"] for r in rows} == {"olofstrom-lofte", "orust-lofte"}
            assert all(r["status"] != "cancelled" for r in rows)
            assert len(rows) == 3

    def test_the_schema_documents_the_dataset(self):
        response = self.client.get(reverse("opendata:schema"))
        self.assertContains(response, 'id="statuses"')
        self.assertContains(response, '<th scope="row"><code>status_label</code></th>', html=True)


class SurveyResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom = make_municipality(slug="olofstrom-test")
        cls.orust = make_municipality(slug="orust-test")
        police = make_police_area(slug="lpo-test")
        for municipality in (cls.olofstrom, cls.orust):
            make_promise(parties=[municipality, police])
        worry = make_indicator(code="oro-for-brott", unit="percent")
        survey = make_safety_survey(cls.olofstrom, year=2024, is_example=True)
        make_survey_result(survey, worry, group="women", value="23.5")
        make_survey_result(survey, worry, group="all", value=18)
        make_survey_result(make_safety_survey(cls.orust, year=2024), worry)
        make_survey_result(make_safety_survey(police, year=2024), worry, value=30)
        hidden = make_safety_survey(cls.olofstrom, year=2025, is_published=False)
        make_survey_result(hidden, worry, value=99)

    def test_rows_of_one_municipality_with_typed_values(self):
        rows = _rows(self.client, "survey-results", municipality=self.olofstrom)
        assert rows == [
            {
                "area_code": self.olofstrom.municipality_code,
                "area_slug": "olofstrom-test",
                "area": self.olofstrom.name,
                "year": 2024,
                "indicator_code": "oro-for-brott",
                "indicator": rows[0]["indicator"],
                "indicator_en": rows[0]["indicator"],  # the test indicator has no English
                "group": group,
                "value": value,
                "unit": "percent",
                "is_example": True,
            }
            for group, value in (("all", 18.0), ("women", 23.5))
        ]
        csv_rows = _rows(self.client, "survey-results", "csv", self.olofstrom)
        assert [(r["group"], r["value"], r["is_example"]) for r in csv_rows] == [
            ("all", "18.0", "true"),
            ("women", "23.5", "true"),
        ]

    def test_unpublished_surveys_are_never_exported(self):
        rows = _rows(self.client, "survey-results")
        assert len(rows) == 4
        assert 99.0 not in {r["value"] for r in rows}
        assert {r["area_code"] for r in rows if r["area_slug"] == "lpo-test"} == {""}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize("dataset", ["statuses", "survey-results"])
def test_download_query_count_does_not_grow(client, django_assert_num_queries, size, dataset):
    municipality, police = make_municipality(), make_police_area()
    for n in range(size):
        promise = make_promise(parties=[municipality, police])
        make_commitment(promise)
        make_commitment(promise)
        make_round(promise, state=PUBLISHED)
        make_survey_result(make_safety_survey(municipality, year=2000 + n))
    # Two savepoints (ATOMIC_REQUESTS), the municipality and the rows.
    with django_assert_num_queries(4):
        rows = _rows(client, dataset, "csv", municipality)
    assert len(rows) == size * (2 if dataset == "statuses" else 1)
