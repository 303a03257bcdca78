from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from situation.models import Indicator, SafetySurvey, SurveyResult
from tests.factories import (
    make_action_plan,
    make_commitment,
    make_focus_area,
    make_membership,
    make_municipality,
    make_place,
    make_police_area,
    make_problem,
    make_promise,
    make_safety_survey,
    make_situation_picture,
    make_survey_result,
    make_user,
)

IMPORT_URL = reverse("admin:situation_safetysurvey_import")


def _csv(text):
    return SimpleUploadedFile("survey.csv", text.encode(), content_type="text/csv")


class SituationAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = make_user("root", is_staff=True, is_superuser=True)
        cls.own = make_municipality(municipality_code="9601")
        cls.other = make_municipality(municipality_code="9602")
        cls.coordinator = make_membership(party=cls.own).user  # the coordinator group's rights
        cls.own_picture = make_situation_picture([cls.own])
        cls.answered = make_problem(cls.own_picture, title="Besvarat problem")
        cls.answered.commitments.add(make_commitment())
        cls.unanswered = make_problem(cls.own_picture, title="Obesvarat problem")
        cls.foreign = make_problem(make_situation_picture([cls.other]), title="Annans problem")
        cls.survey = make_safety_survey(area=cls.own, year=2023)
        make_survey_result(cls.survey, Indicator.objects.get(code="oro-brott"), value=24)
        make_place(cls.own)
        make_action_plan(cls.own)

    def setUp(self):
        translation.activate("en")

    def tearDown(self):
        translation.deactivate()

    def test_every_page_loads_for_a_superuser(self):
        self.client.force_login(self.root)
        for model in (
            "place",
            "situationpicture",
            "problem",
            "actionplan",
            "safetysurvey",
            "indicator",
            "surveyresult",
        ):
            for view in ("changelist", "add"):
                url = reverse(f"admin:situation_{model}_{view}")
                assert self.client.get(url).status_code == 200, url
        for url in (
            reverse("admin:situation_problem_change", args=[self.answered.pk]),
            reverse("admin:situation_situationpicture_change", args=[self.own_picture.pk]),
            reverse("admin:situation_safetysurvey_change", args=[self.survey.pk]),
            IMPORT_URL,
        ):
            assert self.client.get(url).status_code == 200, url

    def test_coordinator_sees_only_own_municipality(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:situation_problem_changelist"))
        self.assertContains(response, "Besvarat problem")
        self.assertNotContains(response, "Annans problem")
        url = reverse("admin:situation_problem_change", args=[self.foreign.pk])
        assert self.client.get(url).status_code == 404  # not even told that it exists

    def test_filter_shows_problems_without_commitment(self):
        self.client.force_login(self.root)
        url = reverse("admin:situation_problem_changelist")
        response = self.client.get(url, {"has_commitment": "no"})
        self.assertContains(response, "Obesvarat problem")
        self.assertNotContains(response, "Besvarat problem")
        response = self.client.get(url, {"observed_on__year": self.answered.observed_on.year})
        assert response.status_code == 200

    def _problem_data(self, **overrides):
        data = {
            "picture": self.own_picture.pk,
            "title": "Nytt problem",
            "observed_on": "2026-03-01",
            "visibility": "internal",
            "category": "traffic",
            "source": "dialogue",
            "trend": "unknown",
        }
        data.update(overrides)
        return data

    def test_problem_links_only_to_promises_and_places_of_its_municipalities(self):
        self.client.force_login(self.root)
        own_promise = make_promise(parties=[self.own, make_police_area()])
        own_area = make_focus_area(own_promise)
        other_area = make_focus_area(make_promise(parties=[self.other, make_police_area()]))
        other_place = make_place(self.other, name="Annans torg")
        url = reverse("admin:situation_problem_add")
        response = self.client.post(
            url, self._problem_data(focus_areas=[other_area.pk], places=[other_place.pk])
        )
        assert response.status_code == 200
        self.assertContains(response, "Not a promise of this picture")
        self.assertContains(response, "Not a place in this picture")
        assert not self.own_picture.problems.filter(title="Nytt problem").exists()

        response = self.client.post(url, self._problem_data(focus_areas=[own_area.pk]))
        assert response.status_code == 302
        problem = self.own_picture.problems.get(title="Nytt problem")
        assert list(problem.focus_areas.all()) == [own_area]

    def test_coordinator_cannot_link_another_municipalitys_picture(self):
        self.client.force_login(self.coordinator)
        foreign_picture = self.foreign.picture
        response = self.client.post(
            reverse("admin:situation_problem_add"), self._problem_data(picture=foreign_picture.pk)
        )
        assert response.status_code == 200
        assert not foreign_picture.problems.filter(title="Nytt problem").exists()

    def test_picture_choices_are_own_municipalities_and_any_police_area(self):
        police_area = make_police_area()
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:situation_situationpicture_add"))
        fields = response.context["adminform"].form.fields
        assert list(fields["municipalities"].queryset) == [self.own]
        # The picture is shared with the police area, which the coordinator is no member of.
        assert police_area in fields["police_area"].queryset
        assert self.other not in fields["police_area"].queryset

    def test_import_upload_writes_rows(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            IMPORT_URL,
            {"file": _csv("area,year,indicator,group,value\n9601,2024,oro-brott,all,22.5\n")},
        )
        self.assertRedirects(response, reverse("admin:situation_safetysurvey_changelist"))
        assert SurveyResult.objects.filter(survey__year=2024, survey__area=self.own).count() == 1

    def test_import_message_counts_in_the_singular_and_the_plural(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            IMPORT_URL,
            {"file": _csv("area,year,indicator,group,value\n9601,2024,oro-brott,all,22.5\n")},
            follow=True,
        )
        self.assertContains(
            response, "1 värde importerades. 1 ny trygghetsmätning skapades opublicerad."
        )
        response = self.client.post(
            IMPORT_URL,
            {
                "file": _csv(
                    "area,year,indicator,group,value\n"
                    "9601,2020,oro-brott,all,22.5\n9601,2021,oro-brott,all,21\n"
                )
            },
            follow=True,
        )
        self.assertContains(
            response, "2 värden importerades. 2 nya trygghetsmätningar skapades opublicerade."
        )

    def test_import_upload_rejects_bad_file_naming_rows_and_writes_nothing(self):
        self.client.force_login(self.coordinator)
        before = (SafetySurvey.objects.count(), SurveyResult.objects.count())
        response = self.client.post(
            IMPORT_URL,
            {
                "file": _csv(
                    "area,year,indicator,group,value\n"
                    "9601,2024,oro-brott,all,22.5\n"
                    "9601,2024,oro-brott,all,140\n"
                    "9602,2024,oro-brott,all,10\n"
                )
            },
        )
        assert response.status_code == 200
        self.assertContains(response, "inget sparades")
        self.assertContains(response, "Rad 3, kolumn ”value”")
        self.assertContains(response, "Rad 4, kolumn ”area”")
        assert (SafetySurvey.objects.count(), SurveyResult.objects.count()) == before

    @override_settings(SURVEY_CSV_MAX_BYTES=100)
    def test_import_upload_over_the_size_limit_is_refused_with_a_message(self):
        self.client.force_login(self.coordinator)
        before = (SafetySurvey.objects.count(), SurveyResult.objects.count())
        rows = "9601,2024,oro-brott,all,22.5\n" * 10
        response = self.client.post(
            IMPORT_URL, {"file": _csv("area,year,indicator,group,value\n" + rows)}
        )
        self.assertContains(response, "större än")
        assert (SafetySurvey.objects.count(), SurveyResult.objects.count()) == before

    def test_import_upload_with_macintosh_line_endings_writes_rows(self):
        self.client.force_login(self.coordinator)
        text = "area,year,indicator,group,value\r9601,2024,oro-brott,all,22.5\r"
        response = self.client.post(IMPORT_URL, {"file": _csv(text)})
        self.assertRedirects(response, reverse("admin:situation_safetysurvey_changelist"))

    def test_import_needs_add_permission(self):
        viewer = make_membership(party=self.own, role="viewer").user
        self.client.force_login(viewer)
        assert self.client.get(IMPORT_URL).status_code == 403

    def test_export_action_downloads_csv(self):
        self.client.force_login(self.root)
        response = self.client.post(
            reverse("admin:situation_safetysurvey_changelist"),
            {"action": "export_csv", "_selected_action": [self.survey.pk]},
        )
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode() == (
            "area,year,indicator,group,value\n9601,2023,oro-brott,all,24.0\n"
        )
