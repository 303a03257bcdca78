"""Every constraint breaks with a clear error: in full_clean() and in the database itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import translation

from situation.models import (
    Indicator,
    Place,
    Problem,
    SafetySurvey,
    SituationPicture,
    SurveyResult,
)
from tests.factories import (
    make_action_plan,
    make_commitment,
    make_indicator,
    make_membership,
    make_municipality,
    make_partner,
    make_place,
    make_police_area,
    make_problem,
    make_safety_survey,
    make_situation_picture,
    make_survey_result,
    make_user,
)


class ConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.indicator = make_indicator()
        cls.survey = make_safety_survey(area=cls.municipality, year=2023)

    def setUp(self):
        translation.activate("en")

    def tearDown(self):
        translation.deactivate()

    def assert_rejected(self, instance, message, constraint, field_message=None):
        """full_clean() names the problem, and the database refuses the row on its own.

        Fields with range validators report next to the field first (field_message); the
        constraint's own message is what validate_constraints() gives.
        """
        with pytest.raises(ValidationError) as error:
            instance.full_clean()
        assert (field_message or message) in str(error.value)
        with pytest.raises(ValidationError) as error:
            instance.validate_constraints()
        assert message in str(error.value)
        with transaction.atomic(), pytest.raises(IntegrityError) as db_error:
            instance.save()
        assert constraint in str(db_error.value) or "CHECK" in str(db_error.value).upper()

    def test_survey_result_value_above_100(self):
        result = SurveyResult(survey=self.survey, indicator=self.indicator, value=Decimal("100.1"))
        self.assert_rejected(
            result,
            "The value must lie between 0 and 100.",
            "surveyresult_value_0_to_100",
            "Ensure this value is less than or equal to 100.",
        )

    def test_survey_result_value_below_0(self):
        result = SurveyResult(survey=self.survey, indicator=self.indicator, value=Decimal("-1"))
        self.assert_rejected(
            result,
            "The value must lie between 0 and 100.",
            "surveyresult_value_0_to_100",
            "Ensure this value is greater than or equal to 0.",
        )

    def test_survey_result_unique_per_survey_indicator_group(self):
        make_survey_result(self.survey, self.indicator, group="women", value=10)
        duplicate = SurveyResult(
            survey=self.survey, indicator=self.indicator, group="women", value=12
        )
        with pytest.raises(ValidationError, match="already has a value for this indicator"):
            duplicate.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            duplicate.save()
        # Another group of the same indicator is fine.
        SurveyResult(survey=self.survey, indicator=self.indicator, group="men", value=12).save()

    def test_survey_result_unknown_group(self):
        result = SurveyResult(survey=self.survey, indicator=self.indicator, group="aliens", value=1)
        self.assert_rejected(
            result,
            "surveyresult_group_valid",
            "surveyresult_group_valid",
            "Value 'aliens' is not a valid choice.",
        )

    def test_survey_unique_per_area_and_year(self):
        duplicate = SafetySurvey(area=self.municipality, year=2023)
        with pytest.raises(ValidationError, match="already a survey for this area and year"):
            duplicate.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            duplicate.save()

    def test_survey_year_plausible(self):
        survey = SafetySurvey(area=self.municipality, year=1890)
        self.assert_rejected(
            survey,
            "The year must lie between 1990 and 2100.",
            "safetysurvey_year_plausible",
            "Ensure this value is greater than or equal to 1990.",
        )

    def test_survey_response_rate_is_a_percentage(self):
        survey = SafetySurvey(area=self.municipality, year=2020, response_rate=Decimal("101"))
        self.assert_rejected(
            survey,
            "The response rate is a percentage from 0 to 100.",
            "safetysurvey_response_rate_percent",
            "Ensure this value is less than or equal to 100.",
        )

    def test_survey_respondents_within_sample(self):
        survey = SafetySurvey(area=self.municipality, year=2020, sample_size=100, respondents=101)
        self.assert_rejected(
            survey,
            "There cannot be more respondents than the sample.",
            "safetysurvey_respondents_within_sample",
        )

    def test_survey_area_must_be_municipality_or_police_area(self):
        survey = SafetySurvey(area=make_partner(), year=2020)
        with pytest.raises(ValidationError, match="municipality or a local police area"):
            survey.full_clean()
        SafetySurvey(area=make_police_area(), year=2020).full_clean()

    def test_place_latitude_out_of_range(self):
        place = Place(
            municipality=self.municipality,
            name="Norr om polen",
            latitude=Decimal("91"),
            longitude=Decimal("14"),
        )
        self.assert_rejected(
            place,
            "The latitude must lie between -90 and 90.",
            "place_latitude_in_range",
            "Ensure this value is less than or equal to 90.",
        )

    def test_place_longitude_out_of_range(self):
        place = Place(
            municipality=self.municipality,
            name="Öster om allt",
            latitude=Decimal("56"),
            longitude=Decimal("181"),
        )
        self.assert_rejected(
            place,
            "The longitude must lie between -180 and 180.",
            "place_longitude_in_range",
            "Ensure this value is less than or equal to 180.",
        )

    def test_place_needs_both_coordinates_or_neither(self):
        place = Place(municipality=self.municipality, name="Halv", latitude=Decimal("56"))
        self.assert_rejected(
            place,
            "Give both latitude and longitude, or neither.",
            "place_coordinates_both_or_neither",
        )

    def test_place_name_unique_per_municipality(self):
        make_place(self.municipality, name="Torget")
        with transaction.atomic(), pytest.raises(IntegrityError):
            Place.objects.create(municipality=self.municipality, name="Torget")
        make_place(make_municipality(), name="Torget")

    def test_public_picture_needs_public_summary(self):
        picture = SituationPicture(
            title="Lägesbild",
            valid_from="2025-01-01",
            valid_until="2025-12-31",
            visibility="public",
            public_summary="",
        )
        self.assert_rejected(
            picture,
            "A public situation picture needs a public summary.",
            "situationpicture_public_has_summary",
        )

    def test_picture_period_ends_after_start(self):
        picture = SituationPicture(
            title="Baklänges", valid_from="2025-12-31", valid_until="2025-01-01"
        )
        self.assert_rejected(
            picture,
            "situationpicture_period_ends_after_start",
            "situationpicture_period_ends_after_start",
            "The period cannot end before it starts.",
        )

    def test_picture_revised_before_decided(self):
        picture = SituationPicture(
            title="Lägesbild",
            valid_from="2025-01-01",
            valid_until="2025-12-31",
            decided_on="2025-02-01",
            revised_on="2025-01-15",
        )
        with pytest.raises(ValidationError, match="cannot be revised before it was decided"):
            picture.full_clean()

    def test_problem_category_source_trend_and_visibility_are_checked(self):
        picture = make_situation_picture()
        for field, constraint in [
            ("category", "problem_category_valid"),
            ("source", "problem_source_valid"),
            ("trend", "problem_trend_valid"),
            ("visibility", "problem_visibility_valid"),
        ]:
            problem = Problem(picture=picture, title="Test", category="youth", source="police")
            setattr(problem, field, "nonsense")
            self.assert_rejected(
                problem, constraint, constraint, "Value 'nonsense' is not a valid choice."
            )

    def test_indicator_unit_is_checked(self):
        indicator = Indicator(code="x", name="X", unit="kilo")
        self.assert_rejected(
            indicator,
            "indicator_unit_valid",
            "indicator_unit_valid",
            "Value 'kilo' is not a valid choice.",
        )

    def test_action_plan_period_ends_after_start(self):
        plan = make_action_plan()
        plan.valid_until = plan.valid_from.replace(year=plan.valid_from.year - 1)
        self.assert_rejected(
            plan,
            "actionplan_period_ends_after_start",
            "actionplan_period_ends_after_start",
            "The period cannot end before it starts.",
        )


class CommonIndicatorTests(TestCase):
    def test_the_common_set_ships_as_data(self):
        codes = set(Indicator.objects.values_list("code", flat=True))
        assert {
            "oro-brott",
            "otrygg-kvall",
            "undvikit-platser",
            "utsatt-brott",
            "problem-ordningsstorningar",
            "problem-narkotikahandel",
            "problem-trafik",
            "problem-nedskrapning",
            "fortroende-polis",
        } <= codes
        assert Indicator.objects.get(code="fortroende-polis").lower_is_better is False
        assert Indicator.objects.get(code="oro-brott").lower_is_better is True


class VisibilityQuerySetTests(TestCase):
    def test_public_problems_need_public_problem_and_public_picture(self):
        public = make_problem()
        make_problem(public.picture, visibility="internal")
        internal_picture = make_situation_picture(visibility="internal", public_summary="")
        make_problem(internal_picture)
        assert list(Problem.objects.public()) == [public]
        assert list(SituationPicture.objects.public()) == [public.picture]

    def test_problem_without_commitment(self):
        answered = make_problem()
        answered.commitments.add(make_commitment())
        open_problem = make_problem()
        assert list(Problem.objects.without_commitment()) == [open_problem]
        assert list(Problem.objects.with_commitment()) == [answered]

    def test_for_user_scopes_by_membership(self):
        own, other = make_municipality(), make_municipality()
        user = make_membership(party=own).user
        own_problem = make_problem(make_situation_picture([own]))
        make_problem(make_situation_picture([other]))
        own_survey = make_safety_survey(area=own)
        make_safety_survey(area=other)
        own_place = make_place(own)
        make_place(other)
        own_plan = make_action_plan(own)
        make_action_plan(other)
        assert list(Problem.objects.for_user(user)) == [own_problem]
        assert list(SafetySurvey.objects.for_user(user)) == [own_survey]
        assert list(Place.objects.for_user(user)) == [own_place]
        assert list(own_plan.__class__.objects.for_user(user)) == [own_plan]
        assert list(SituationPicture.objects.for_user(make_user())) == []
        root = make_user(is_superuser=True)
        assert SituationPicture.objects.for_user(root).count() == 2


@pytest.mark.django_db
def test_indicators_speak_the_language_of_the_page():
    shipped = Indicator.objects.get(code="oro-brott")
    own = make_indicator(name="Egen indikator", description="Egen beskrivning")
    with translation.override("en"):
        assert shipped.display_name == "Worried about becoming a victim of crime"
        assert shipped.display_description.startswith("Share who worry")
        # An indicator an editor added without English shows its Swedish.
        assert (own.display_name, own.display_description) == ("Egen indikator", "Egen beskrivning")
    with translation.override("sv"):
        assert shipped.display_name == "Oro för att utsättas för brott"


def test_place_links_to_openstreetmap_only_with_coordinates():
    place = Place(name="Torget", latitude=Decimal("56.27680"), longitude=Decimal("14.53080"))
    assert place.map_url == (
        "https://www.openstreetmap.org/?mlat=56.27680&mlon=14.53080#map=16/56.27680/14.53080"
    )
    assert Place(name="Gränden").map_url == ""
