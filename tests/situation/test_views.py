from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from situation.models import Indicator
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_indicator,
    make_municipality,
    make_place,
    make_police_area,
    make_problem,
    make_promise,
    make_safety_survey,
    make_situation_picture,
    make_survey_result,
)


def survey_url(municipality):
    return reverse("situation:survey_detail", args=[municipality.slug])


class SurveyPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(name="Trygghetsby")
        cls.indicator = Indicator.objects.get(code="oro-brott")

    def test_many_years_render_chart_table_summary_and_marker(self):
        for year, value in [(2021, "31"), (2022, "28"), (2023, "24")]:
            survey = make_safety_survey(area=self.municipality, year=year)
            make_survey_result(survey, self.indicator, value=Decimal(value))
        response = self.client.get(survey_url(self.municipality))
        self.assertContains(response, 'id="indicator-oro-brott"')
        self.assertContains(response, "<svg", count=1)
        self.assertContains(response, 'role="img"')
        self.assertContains(response, "<polyline", count=1)
        # Swedish is the default language; the summary and the marker are in words.
        self.assertContains(response, "2021")
        self.assertContains(response, "31\u00a0%")
        self.assertContains(response, "24\u00a0%")
        self.assertContains(response, "trend-marker--better")
        self.assertContains(response, '<th scope="row">2022</th>', html=True)
        self.assertNotContains(response, "notice--example")

    def test_one_year_renders_a_point(self):
        survey = make_safety_survey(area=self.municipality, year=2024)
        make_survey_result(survey, self.indicator, value=20)
        response = self.client.get(survey_url(self.municipality))
        self.assertContains(response, "<circle", count=2)  # the point and its legend
        self.assertNotContains(response, "<polyline")
        self.assertNotContains(response, "trend-marker")

    def test_missing_years_leave_gaps(self):
        women = make_indicator()
        for year in (2019, 2020, 2022):
            survey = make_safety_survey(area=self.municipality, year=year)
            make_survey_result(survey, women, value=20)
            if year != 2020:
                make_survey_result(survey, women, group="women", value=30)
        response = self.client.get(survey_url(self.municipality))
        assert response.status_code == 200
        self.assertContains(response, '<span class="visually-hidden">', count=1)
        self.assertContains(response, "<polyline", count=1)

    def test_example_data_is_marked(self):
        survey = make_safety_survey(area=self.municipality, is_example=True)
        make_survey_result(survey, self.indicator)
        response = self.client.get(survey_url(self.municipality))
        self.assertContains(response, "notice--example")

    def test_unpublished_survey_never_reaches_residents(self):
        survey = make_safety_survey(area=self.municipality, is_published=False, year=2020)
        make_survey_result(survey, self.indicator, value=Decimal("77.7"))
        response = self.client.get(survey_url(self.municipality))
        assert response.status_code == 200
        self.assertNotContains(response, "77,7")
        self.assertNotContains(response, "<svg")

    def test_unknown_municipality_is_404(self):
        assert self.client.get("/kommun/finns-inte/trygghet/").status_code == 404
        police = make_police_area()
        assert self.client.get(f"/kommun/{police.slug}/trygghet/").status_code == 404


class SituationPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.picture = make_situation_picture([cls.municipality], title="Lägesbild i år")
        cls.square = make_place(cls.municipality, name="Stortorget")
        cls.public = make_problem(cls.picture, title="Offentligt problem")
        cls.public.places.add(cls.square)
        cls.internal = make_problem(cls.picture, title="Hemligt problem", visibility="internal")
        cls.internal.places.add(make_place(cls.municipality, name="Hemlig plats"))
        cls.internal_picture = make_situation_picture(
            [cls.municipality],
            title="Intern lägesbild",
            visibility="internal",
            public_summary="",
        )
        cls.in_internal_picture = make_problem(cls.internal_picture, title="Dolt problem")

    def test_shows_summary_public_problems_and_hotspots(self):
        response = self.client.get(
            reverse("situation:municipality_situation", args=[self.municipality.slug])
        )
        self.assertContains(response, "Lägesbild i år")
        self.assertContains(response, "Sammanfattning för invånare.")
        self.assertContains(response, "Stortorget")
        self.assertContains(response, self.public.get_absolute_url())

    def test_internal_content_never_reaches_residents(self):
        response = self.client.get(
            reverse("situation:municipality_situation", args=[self.municipality.slug])
        )
        for secret in ("Hemligt problem", "Hemlig plats", "Intern lägesbild", "Dolt problem"):
            self.assertNotContains(response, secret)

    def test_internal_problem_and_pictures_are_404(self):
        assert self.client.get(self.public.get_absolute_url()).status_code == 200
        assert self.client.get(self.internal.get_absolute_url()).status_code == 404
        assert self.client.get(self.in_internal_picture.get_absolute_url()).status_code == 404
        url = reverse("situation:picture_detail", args=[self.internal_picture.pk])
        assert self.client.get(url).status_code == 404
        url = reverse("situation:picture_detail", args=[self.picture.pk])
        assert self.client.get(url).status_code == 200

    def test_municipality_without_public_picture_says_so(self):
        other = make_municipality()
        make_situation_picture(
            [other], title="INTERN lägesbild", visibility="internal", public_summary=""
        )
        response = self.client.get(reverse("situation:municipality_situation", args=[other.slug]))
        assert response.status_code == 200
        self.assertNotContains(response, "INTERN")

    def test_problem_page_links_only_published_promises(self):
        promise = make_promise(parties=[self.municipality, make_police_area()])
        area = make_focus_area(promise, title="Synligt fokus")
        draft = make_promise(status="draft", published_at=None)
        self.public.focus_areas.add(area, make_focus_area(draft, title="Utkastets fokus"))
        self.public.commitments.add(make_commitment(draft, text="Utkastets åtagande"))
        response = self.client.get(self.public.get_absolute_url())
        self.assertContains(response, "Synligt fokus")
        self.assertNotContains(response, "Utkastets fokus")
        self.assertNotContains(response, "Utkastets åtagande")

    def test_municipality_page_links_to_survey_and_situation(self):
        response = self.client.get(self.municipality.get_absolute_url())
        self.assertContains(response, survey_url(self.municipality))
        self.assertContains(
            response, reverse("situation:municipality_situation", args=[self.municipality.slug])
        )


class PromisePageEvidenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.promise = make_promise(parties=[cls.municipality, make_police_area()])
        cls.area = make_focus_area(cls.promise, title="Trygg kväll")
        cls.other_area = make_focus_area(cls.promise, title="Trafik")
        picture = make_situation_picture([cls.municipality])
        cls.public = make_problem(picture, title="Otrygg kväll i centrum")
        cls.public.focus_areas.add(cls.area)
        cls.public.indicators.add(Indicator.objects.get(code="otrygg-kvall"))
        internal = make_problem(picture, title="Internt spaningsärende", visibility="internal")
        internal.focus_areas.add(cls.area)
        internal.indicators.add(Indicator.objects.get(code="problem-narkotikahandel"))
        hidden_picture = make_situation_picture(
            [cls.municipality], visibility="internal", public_summary=""
        )
        in_hidden = make_problem(hidden_picture, title="Problem i intern bild")
        in_hidden.focus_areas.add(cls.other_area)

    def test_public_problems_and_indicators_under_their_focus_area(self):
        response = self.client.get(self.promise.get_absolute_url())
        content = response.content.decode()
        assert content.index("Trygg kväll") < content.index("Otrygg kväll i centrum")
        assert content.index("Otrygg kväll i centrum") < content.index("Trafik")
        self.assertContains(response, self.public.get_absolute_url())
        self.assertContains(response, f"{survey_url(self.municipality)}#indicator-otrygg-kvall")

    def test_the_survey_box_shows_the_latest_value_its_year_and_direction(self):
        indicator = Indicator.objects.get(code="otrygg-kvall")
        for year, value, published in [
            (2022, 40, True),
            (2023, 35, True),
            (2024, 20, False),
        ]:
            survey = make_safety_survey(area=self.municipality, year=year, is_published=published)
            make_survey_result(survey, indicator, value=value)
            make_survey_result(survey, indicator, group="women", value=50)
        response = self.client.get(self.promise.get_absolute_url())
        box = response.content.decode().split('class="evidence"')[1].split("</aside>")[0]
        # The unpublished 2024 survey does not count; the direction is in words, not colour.
        assert "35\u00a0% år 2023" in box
        assert "20\u00a0%" not in box and "50\u00a0%" not in box
        assert "Sjunker – bättre sedan 2022" in box
        english = self.client.get("/en" + self.promise.get_absolute_url()).content.decode()
        assert "Unsafe outdoors late in the evening" in english
        assert "35\u00a0% in 2023" in english
        assert "Falling – better since 2022" in english

    def test_the_survey_box_without_values_links_to_the_survey_page(self):
        response = self.client.get(self.promise.get_absolute_url())
        self.assertContains(response, "inget publicerat värde ännu")

    def test_internal_problems_do_not_leak_through_the_promise_page(self):
        response = self.client.get(self.promise.get_absolute_url())
        self.assertNotContains(response, "Internt spaningsärende")
        self.assertNotContains(response, "Problem i intern bild")
        self.assertNotContains(response, "problem-narkotikahandel")


@pytest.mark.django_db
@pytest.mark.parametrize("years,indicators", [(1, 1), (12, 9)])
def test_survey_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, years, indicators
):
    municipality = make_municipality()
    chosen = list(Indicator.objects.all()[:indicators])
    for year in range(2030 - years, 2030):
        survey = make_safety_survey(area=municipality, year=year)
        for indicator in chosen:
            make_survey_result(survey, indicator, value=20)
            make_survey_result(survey, indicator, group="women", value=30)
    with django_assert_max_num_queries(5):
        response = client.get(survey_url(municipality))
    assert response.content.decode().count("<svg") == indicators


@pytest.mark.django_db
@pytest.mark.parametrize("areas,problems_per_area", [(1, 1), (6, 5)])
def test_promise_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, areas, problems_per_area
):
    municipality = make_municipality()
    promise = make_promise(parties=[municipality, make_police_area()])
    picture = make_situation_picture([municipality])
    indicators = list(Indicator.objects.all())
    for _ in range(areas):
        area = make_focus_area(promise)
        make_commitment(promise, focus_area=area)
        for i in range(problems_per_area):
            problem = make_problem(picture)
            problem.focus_areas.add(area)
            problem.indicators.add(*indicators[: i + 1])
    for year in range(2030 - areas * 2, 2030):
        survey = make_safety_survey(area=municipality, year=year)
        for indicator in indicators:
            make_survey_result(survey, indicator, value=year - 2000)
    # The promise page's own queries (with one for the focus areas' themes) plus three for the
    # evidence and its survey values, however many focus areas and survey years.
    with django_assert_max_num_queries(12):
        response = client.get(promise.get_absolute_url())
    assert response.content.decode().count('href="/lagesbild/problem/') == areas * problems_per_area


@pytest.mark.django_db
@pytest.mark.parametrize("problems", [1, 15])
def test_situation_page_query_count_does_not_grow(client, django_assert_max_num_queries, problems):
    municipality = make_municipality()
    picture = make_situation_picture([municipality])
    promise = make_promise(parties=[municipality, make_police_area()])
    area = make_focus_area(promise)
    for _ in range(problems):
        problem = make_problem(picture)
        problem.places.add(make_place(municipality))
        problem.focus_areas.add(area)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("situation:municipality_situation", args=[municipality.slug]))
    assert response.status_code == 200
