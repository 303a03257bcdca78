import datetime as dt
from unittest import mock

import pytest
from django import forms
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from promises import search
from promises.models import Commitment, Party, Theme
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

LAST_YEAR = timezone.localdate().year - 1


class MunicipalityFinderTests(TestCase):
    def test_home_offers_every_municipality_grouped_by_county(self):
        response = self.client.get(reverse("promises:home"))
        content = response.content.decode()
        assert content.count('<optgroup label="') == 21
        self.assertContains(response, '<optgroup label="Blekinge län">')
        self.assertContains(response, '<option value="olofstrom">Olofström</option>', html=True)
        municipalities = Party.objects.municipalities().count()
        assert municipalities >= 290
        assert content.count("<option value=") == municipalities + 1  # and the blank choice

    def test_choosing_a_municipality_redirects_to_its_page(self):
        response = self.client.get(
            reverse("promises:municipality_find"), {"municipality": "olofstrom"}
        )
        self.assertRedirects(response, reverse("promises:municipality_detail", args=["olofstrom"]))

    def test_unknown_or_missing_municipality_shows_the_form_with_an_error(self):
        for params in ({"municipality": "atlantis"}, {"municipality": ""}):
            response = self.client.get(reverse("promises:municipality_find"), params)
            assert response.status_code == 200
            self.assertContains(response, "aria-invalid")
            self.assertContains(response, 'id="id_municipality_error"')


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.police = make_police_area(name="Lokalpolisområde Karlshamn-test", slug="lpo-k")
        cls.north = make_municipality(name="Norrby", slug="norrby", county_code="98")
        cls.south = make_municipality(name="Söderby", slug="soderby", county_code="97")
        cls.traffic = make_promise(
            parties=[cls.north, cls.police],
            title="Trygg trafik i Norrby",
            summary="Säkrare vägar till skolan.",
        )
        cls.area = make_focus_area(cls.traffic, title="Trafiksäkerhet", description="Hastighet")
        cls.commitment = make_commitment(
            cls.traffic, focus_area=cls.area, text="Polisen gör hastighetskontroller vid skolor."
        )
        cls.youth = make_promise(
            parties=[cls.south, make_police_area()],
            title="Unga i Söderby",
            summary="Fritid för unga.",
            valid_from=dt.date(LAST_YEAR, 1, 1),
            valid_until=dt.date(LAST_YEAR, 12, 31),
        )
        make_focus_area(
            cls.youth,
            title="Trygghet för barn och unga",
            themes=[Theme.objects.get(slug="barn-och-unga")],
        )
        make_commitment(cls.youth, text="Kommunen ordnar nattvandringar vid skolor.")
        cls.draft = make_promise(
            parties=[cls.north, cls.police],
            title="Hemlig skolplan",
            status="draft",
            published_at=None,
        )
        make_focus_area(cls.draft, title="Skolor i utkast")
        make_commitment(cls.draft, text="Utkastets skolor")

    def search(self, **params):
        return self.client.get(reverse("promises:search"), params)

    def test_empty_search_page_shows_the_form_only(self):
        response = self.search()
        self.assertContains(response, 'name="q"')
        assert response.context["page"] is None

    def test_finds_promises_focus_areas_and_commitments(self):
        response = self.search(q="hastighetskontroller")
        hits = response.context["page"].object_list
        assert [(hit.source.kind, hit.pk) for hit in hits] == [("commitment", self.commitment.pk)]
        self.assertContains(response, f"#commitment-{self.commitment.pk}")

        kinds = {hit.source.kind for hit in self.search(q="trafik").context["page"].object_list}
        assert kinds >= {"promise", "focus_area"}

    def test_drafts_are_never_found(self):
        for q in ("skolor", "Hemlig", "utkast"):
            response = self.search(q=q)
            promises = {hit.promise for hit in response.context["page"].object_list}
            assert self.draft not in promises, q
            self.assertNotContains(response, "Hemlig skolplan")
            self.assertNotContains(response, "Utkastets")

    def test_title_matches_rank_before_body_matches(self):
        make_promise(parties=[self.south, self.police], title="Annat", goal="Trafik nämns här.")
        hits = self.search(q="trafik").context["page"].object_list
        assert hits[0].promise == self.traffic
        assert hits[0].source.kind in {"promise", "focus_area"}

    def test_filters_by_municipality_county_police_area_theme_focus_area_and_period(self):
        def found(**params):
            response = self.search(q="skolor", **params)
            assert response.status_code == 200
            return {hit.promise for hit in response.context["page"].object_list}

        assert found() == {self.traffic, self.youth}
        assert found(municipality="norrby") == {self.traffic}
        assert found(county="97") == {self.youth}
        assert found(police_area="lpo-k") == {self.traffic}
        assert found(theme="barn-och-unga") == {self.youth}
        assert found(theme="trafiksakerhet") == set()
        assert found(focus_area="Trygghet för barn och unga") == {self.youth}
        assert found(period="current") == {self.traffic}
        assert found(period="earlier") == {self.youth}

    def test_filters_alone_list_the_promises(self):
        response = self.search(municipality="soderby")
        hits = response.context["page"].object_list
        assert [(hit.source.kind, hit.promise) for hit in hits] == [("promise", self.youth)]

    def test_invalid_filter_is_shown_next_to_its_field(self):
        response = self.search(q="skolor", municipality="atlantis")
        assert response.context["page"] is None
        self.assertContains(response, 'id="id_municipality_error"')
        self.assertContains(response, 'value="skolor"')

    def test_pagination_keeps_the_filters_in_the_url(self):
        for n in range(25):
            make_promise(parties=[self.north, self.police], title=f"Skolväg {n}", slug=f"s{n}")
        response = self.search(q="Skolväg", municipality="norrby")
        page = response.context["page"]
        assert page.paginator.count == 25
        assert len(page.object_list) == 20
        self.assertContains(response, "?q=Skolv%C3%A4g&amp;municipality=norrby&amp;page=2")
        second = self.search(q="Skolväg", municipality="norrby", page=2).context["page"]
        assert len(second.object_list) == 5
        first_titles = {hit.promise.title for hit in page.object_list}
        assert first_titles.isdisjoint(hit.promise.title for hit in second.object_list)


class ArchiveTests(TestCase):
    def test_lists_only_earlier_published_promises(self):
        earlier = make_promise(
            title="Förra årets löfte",
            valid_from=dt.date(LAST_YEAR, 1, 1),
            valid_until=dt.date(LAST_YEAR, 12, 31),
        )
        make_promise(title="Årets löfte")
        make_promise(
            title="Gammalt utkast",
            status="draft",
            published_at=None,
            valid_from=dt.date(LAST_YEAR, 1, 1),
            valid_until=dt.date(LAST_YEAR, 12, 31),
        )
        response = self.client.get(reverse("promises:archive"))
        self.assertContains(response, earlier.get_absolute_url())
        self.assertNotContains(response, "Årets löfte")
        self.assertNotContains(response, "Gammalt utkast")


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [2, 30])
def test_search_query_count_does_not_grow(client, django_assert_max_num_queries, promises):
    municipality, police = make_municipality(), make_police_area()
    for n in range(promises):
        promise = make_promise(parties=[municipality, police], summary="Trygga skolor")
        make_focus_area(promise, title=f"Skolor {n}")
        make_commitment(promise, text="Vi besöker skolor.")
    # Ten, and one for the themes' filter.
    with django_assert_max_num_queries(11):
        response = client.get(
            reverse("promises:search"), {"q": "skolor", "municipality": municipality.slug}
        )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3 * promises


@pytest.mark.django_db
@pytest.mark.parametrize("promises", [2, 30])
def test_home_and_archive_query_counts_do_not_grow(client, django_assert_max_num_queries, promises):
    for _ in range(promises):
        make_round(make_commitment().promise, state="published")
        earlier = make_promise(
            valid_from=dt.date(LAST_YEAR, 1, 1), valid_until=dt.date(LAST_YEAR, 12, 31)
        )
        make_commitment(earlier)
        make_round(earlier, quarter=4, state="published")
    # Both include the two savepoints of ATOMIC_REQUESTS; the home page one query for the latest
    # follow-up rounds, the archive one for the outcome of all its promises.
    for url, queries in ((reverse("promises:home"), 8), (reverse("promises:archive"), 6)):
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


class SearchExtensionTests(TestCase):
    """Another app adds a kind of hit and a filter of its own with a few lines."""

    def test_registered_source_and_filter_take_part(self):
        promise = make_promise()
        make_commitment(promise, text="Nattvandring i centrum", order=1)
        make_commitment(promise, text="Nattvandring vid skolan", order=2)
        extra = search.SearchSource(
            kind="extra",
            label="extra",
            queryset=Commitment.objects.all,
            promise="promise",
            fields={"text": "A"},
            body="text",
            url=lambda hit: f"/extra/{hit.pk}/",
        )
        order = search.SearchFilter(
            "order",
            lambda: forms.IntegerField(label="Ordning", required=False),
            narrow=lambda source, rows, value: (
                rows.filter(order=value) if source is extra else rows
            ),
        )
        with (
            mock.patch.dict(search.SOURCES, {"extra": extra}),
            mock.patch.dict(search.FILTERS, {"order": order}),
        ):
            response = self.client.get(reverse("promises:search"), {"q": "nattvandring"})
            hits = response.context["page"].object_list
            assert sorted(hit.source.kind for hit in hits) == ["commitment"] * 2 + ["extra"] * 2
            self.assertContains(response, 'name="order"')
            response = self.client.get(
                reverse("promises:search"), {"q": "nattvandring", "order": 2}
            )
            extra_hits = [h for h in response.context["page"].object_list if h.source is extra]
            assert [hit.body for hit in extra_hits] == ["Nattvandring vid skolan"]
            assert extra_hits[0].get_absolute_url() == f"/extra/{extra_hits[0].pk}/"
