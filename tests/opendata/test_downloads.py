import csv
import io
import json

import pytest
from django.test import TestCase
from django.urls import reverse

from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_partner,
    make_police_area,
    make_promise,
)


def _content(response):
    return b"".join(response.streaming_content).decode("utf-8")


def _csv_rows_from(content):
    return list(csv.DictReader(io.StringIO(content)))


def _csv_rows(response):
    return _csv_rows_from(_content(response))


def _download(dataset, fmt, municipality=None):
    if municipality is None:
        return reverse("opendata:download", kwargs={"dataset": dataset, "fmt": fmt})
    return reverse(
        "opendata:municipality_download",
        kwargs={"municipality": municipality.slug, "dataset": dataset, "fmt": fmt},
    )


class DownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.olofstrom = make_municipality(name="Olofström", slug="olofstrom-test")
        cls.orust = make_municipality(name="Orust", slug="orust-test")
        cls.police = make_police_area(name="LPO Karlshamn")
        cls.partner = make_partner(name="Bostadsbolaget")
        cls.promise = make_promise(
            parties=[cls.olofstrom, cls.police, cls.partner],
            slug="olofstrom-lofte",
            title="Trygg, säker och välkomnande",
            goal='Färre brott; "tryggare" kvällar.\nÖverallt.',
        )
        cls.area = make_focus_area(cls.promise, title="Trafiksäkerhet", order=1)
        cls.commitment = make_commitment(
            cls.promise, [cls.police], focus_area=cls.area, text="Polisen kontrollerar hastighet"
        )
        make_commitment(cls.promise, [cls.olofstrom, cls.police], text="Vi går trygghetsvandringar")
        cls.orust_promise = make_promise(parties=[cls.orust, cls.police], slug="orust-lofte")
        cls.draft = make_promise(
            parties=[cls.olofstrom, cls.police],
            slug="hemligt-utkast",
            status="draft",
            published_at=None,
        )
        make_focus_area(cls.draft, title="Hemligt fokus")
        make_commitment(cls.draft, text="Hemligt åtagande")

    def test_promises_csv_is_utf8_with_a_header_row_and_a_filename(self):
        response = self.client.get(_download("promises", "csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            response["Content-Disposition"] == 'attachment; filename="loftesportalen-promises.csv"'
        )
        assert response["Access-Control-Allow-Origin"] == "*"
        rows = {row["promise_slug"]: row for row in _csv_rows(response)}
        assert set(rows) == {"olofstrom-lofte", "orust-lofte"}
        row = rows["olofstrom-lofte"]
        assert row["title"] == "Trygg, säker och välkomnande"
        assert row["goal"] == 'Färre brott; "tryggare" kvällar.\nÖverallt.'
        assert row["municipalities"] == "Olofström"
        assert row["municipality_codes"] == self.olofstrom.municipality_code
        assert row["police_areas"] == "LPO Karlshamn"
        assert row["partners"] == "Bostadsbolaget"
        assert row["url"] == "http://testserver/lofte/olofstrom-lofte/"
        assert row["valid_from"] == self.promise.valid_from.isoformat()
        assert row["published_at"].startswith(self.promise.published_at.date().isoformat()[:4])

    def test_csv_texts_never_run_as_spreadsheet_formulas(self):
        make_commitment(self.promise, text='=HYPERLINK("http://evil.example","x")')
        make_commitment(self.promise, text="-1+2")
        texts = {row["text"] for row in _csv_rows(self.client.get(_download("commitments", "csv")))}
        assert '\'=HYPERLINK("http://evil.example","x")' in texts
        assert "'-1+2" in texts
        assert "Vi går trygghetsvandringar" in texts  # ordinary texts as they are
        data = json.loads(_content(self.client.get(_download("commitments", "json"))))
        assert "-1+2" in {row["text"] for row in data["rows"]}

    def test_json_has_metadata_and_typed_rows(self):
        response = self.client.get(_download("commitments", "json"))
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(_content(response))
        assert data["dataset"] == "commitments"
        assert data["municipality"] is None
        assert data["licence"]["name"] == "CC0 1.0"
        assert data["schema"] == "http://testserver/oppna-data/schema/#commitments"
        by_text = {row["text"]: row for row in data["rows"]}
        assert set(by_text) == {"Polisen kontrollerar hastighet", "Vi går trygghetsvandringar"}
        police_row = by_text["Polisen kontrollerar hastighet"]
        assert police_row["commitment_id"] == self.commitment.pk
        assert police_row["focus_area_id"] == self.area.pk
        assert police_row["focus_area"] == "Trafiksäkerhet"
        assert police_row["owner_group"] == "police"
        assert police_row["owners"] == ["LPO Karlshamn"]
        joint_row = by_text["Vi går trygghetsvandringar"]
        assert joint_row["focus_area_id"] is None
        assert joint_row["owner_group"] == "joint"
        assert joint_row["owners"] == ["Olofström", "LPO Karlshamn"]

    def test_per_municipality_download_holds_only_that_municipality(self):
        response = self.client.get(_download("focus-areas", "csv", self.olofstrom))
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="loftesportalen-focus-areas-olofstrom-test.csv"'
        )
        rows = _csv_rows(response)
        assert [row["title"] for row in rows] == ["Trafiksäkerhet"]
        data = json.loads(_content(self.client.get(_download("promises", "json", self.orust))))
        assert data["municipality"] == {"name": "Orust", "code": self.orust.municipality_code}
        assert [row["promise_slug"] for row in data["rows"]] == ["orust-lofte"]

    def test_drafts_are_never_exported(self):
        for dataset in ["promises", "focus-areas", "commitments"]:
            for fmt in ["csv", "json"]:
                content = _content(self.client.get(_download(dataset, fmt)))
                assert "hemligt" not in content.lower(), (dataset, fmt)

    def test_unknown_dataset_format_or_municipality_is_not_found(self):
        without_promise = make_municipality(slug="utan-lofte")
        for url in [
            "/oppna-data/promises.xlsx",
            "/oppna-data/nothing.csv",
            _download("promises", "csv", without_promise),
        ]:
            assert self.client.get(url).status_code == 404, url

    def test_index_offers_every_dataset_for_all_and_for_one_municipality(self):
        response = self.client.get(reverse("opendata:index"))
        self.assertContains(response, 'href="/oppna-data/commitments.json"')
        self.assertContains(
            response, '<option value="olofstrom-test">Olofström</option>', html=True
        )
        self.assertContains(response, "CC0 1.0")
        response = self.client.get(reverse("opendata:index"), {"kommun": "orust-test"})
        self.assertContains(response, 'href="/oppna-data/kommun/orust-test/promises.csv"')
        self.assertNotContains(response, 'href="/oppna-data/promises.csv"')

    def test_schema_documents_every_column(self):
        response = self.client.get(reverse("opendata:schema"))
        for name in ["promise_id", "municipality_codes", "focus_area_id", "owner_group"]:
            self.assertContains(response, f'<th scope="row"><code>{name}</code></th>', html=True)
        self.assertContains(response, 'id="focus-areas"')


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 25])
@pytest.mark.parametrize("dataset", ["promises", "focus-areas", "commitments"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_download_query_count_does_not_grow(client, django_assert_num_queries, size, dataset, fmt):
    municipality, police = make_municipality(), make_police_area()
    for _ in range(size):
        promise = make_promise(parties=[municipality, police])
        area = make_focus_area(promise)
        make_commitment(promise, [police], focus_area=area)
        make_commitment(promise)
    # A savepoint and its release (ATOMIC_REQUESTS), the municipality, the rows, and for
    # datasets with party lists one query for the parties of all rows: never more.
    # focus-areas: one more for their themes.
    queries = {"promises": 5, "focus-areas": 5, "commitments": 5}[dataset]
    with django_assert_num_queries(queries):
        response = client.get(_download(dataset, fmt, municipality))
        content = _content(response)
    rows = _csv_rows_from(content) if fmt == "csv" else json.loads(content)["rows"]
    assert len(rows) == size * (2 if dataset == "commitments" else 1)
