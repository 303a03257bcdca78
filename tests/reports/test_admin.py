import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from promises.models import Membership
from reports.models import ErrorReport, TriageStatus, UnsafePlaceReport
from situation.models import Problem
from tests.factories import (
    make_error_report,
    make_membership,
    make_municipality,
    make_place,
    make_police_area,
    make_promise,
    make_situation_picture,
    make_unsafe_place_report,
    make_user,
)


def make_staff(party, role=Membership.Role.COORDINATOR):
    """A staff member with the rights of the role's group, which the membership gives."""
    user = make_user(is_staff=True)
    make_membership(user=user, party=party, role=role)
    return user


class ReportAdminScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.north, cls.south, cls.west = (make_municipality() for _ in range(3))
        cls.coordinator = make_staff(cls.north)
        cls.viewer = make_staff(cls.north, Membership.Role.VIEWER)
        cls.root = make_user(is_staff=True, is_superuser=True)
        cls.own_place = make_unsafe_place_report(cls.north, place="Norra torget")
        cls.other_place = make_unsafe_place_report(cls.south, place="Södra parken")
        shared = make_promise(parties=[cls.north, cls.west, make_police_area()])
        cls.own_page = make_error_report(municipality=cls.north, message="Norrs sida")
        cls.promise_page = make_error_report(promise=shared, message="Gemensamt löfte")
        cls.other_page = make_error_report(municipality=cls.south, message="Söders sida")
        cls.no_page = make_error_report(message="Startsidan")

    def changelist(self, user, model):
        self.client.force_login(user)
        return self.client.get(reverse(f"admin:reports_{model}_changelist"))

    def test_coordinator_sees_only_reports_of_their_municipalities(self):
        places = self.changelist(self.coordinator, "unsafeplacereport")
        self.assertContains(places, "Norra torget")
        self.assertNotContains(places, "Södra parken")
        pages = self.changelist(self.coordinator, "errorreport")
        self.assertContains(pages, "Norrs sida")
        self.assertContains(pages, "Gemensamt löfte")
        self.assertNotContains(pages, "Söders sida")
        self.assertNotContains(pages, "Startsidan")

    def test_other_parties_reports_are_not_found(self):
        self.client.force_login(self.coordinator)
        hidden = [("unsafeplacereport", self.other_place), ("errorreport", self.no_page)]
        for model, report in hidden:
            url = reverse(f"admin:reports_{model}_change", args=[report.pk])
            assert self.client.get(url).status_code == 404  # not even told that it exists

    def test_viewer_sees_no_reports(self):
        assert list(UnsafePlaceReport.objects.for_user(self.viewer)) == []
        assert list(ErrorReport.objects.for_user(self.viewer)) == []

    def test_superuser_sees_every_report(self):
        self.assertContains(self.changelist(self.root, "errorreport"), "Startsidan")
        assert ErrorReport.objects.for_user(self.root).count() == 4
        for model, report in (("errorreport", self.no_page), ("unsafeplacereport", self.own_place)):
            url = reverse(f"admin:reports_{model}_change", args=[report.pk])
            assert self.client.get(url).status_code == 200

    def test_coordinator_triages_but_cannot_change_what_the_resident_wrote(self):
        self.client.force_login(self.coordinator)
        url = reverse("admin:reports_unsafeplacereport_change", args=[self.own_place.pk])
        response = self.client.post(
            url,
            {"status": TriageStatus.IN_PROGRESS, "note": "Belysningen beställd", "place": "Ändrat"},
        )
        assert response.status_code == 302
        self.own_place.refresh_from_db()
        assert self.own_place.status == TriageStatus.IN_PROGRESS
        assert self.own_place.note == "Belysningen beställd"
        assert self.own_place.place == "Norra torget"

    def test_reports_cannot_be_added_in_the_admin(self):
        self.client.force_login(self.root)
        assert self.client.get(reverse("admin:reports_errorreport_add")).status_code == 403


class MakeProblemActionTests(TestCase):
    """ "Turn into a problem of the situation picture" on unsafe-place reports."""

    @classmethod
    def setUpTestData(cls):
        cls.north, cls.south = make_municipality(), make_municipality()
        cls.coordinator = make_staff(cls.north)
        today = timezone.localdate()
        make_situation_picture([cls.north], valid_from=dt.date(2020, 1, 1), valid_until=today)
        cls.picture = make_situation_picture(
            [cls.north], valid_from=today - dt.timedelta(days=30), visibility="internal"
        )
        make_situation_picture(  # not yet valid
            [cls.north],
            valid_from=today + dt.timedelta(days=1),
            valid_until=today + dt.timedelta(days=400),
        )
        cls.square = make_place(cls.north, name="Norra torget")

    def act(self, *reports):
        self.client.force_login(self.coordinator)
        return self.client.post(
            reverse("admin:reports_unsafeplacereport_changelist"),
            {"action": "make_problem", "_selected_action": [r.pk for r in reports]},
            follow=True,
        )

    def test_report_becomes_internal_problem_of_current_picture(self):
        report = make_unsafe_place_report(
            self.north,
            place="norra torget",
            description="Mörkt vid busshållplatsen.",
            when="Kvällar",
        )
        response = self.act(report)
        self.assertContains(response, "1 rapport blev ett internt problem")
        problem = Problem.objects.get()
        assert problem.picture == self.picture
        assert (problem.title, problem.visibility, problem.source, problem.category) == (
            "norra torget",
            "internal",
            Problem.Source.DIALOGUE,
            Problem.Category.OTHER,
        )
        assert problem.description.startswith("Mörkt vid busshållplatsen.")
        assert "Kvällar" in problem.description
        assert problem.observed_on == timezone.localdate(report.created_at)
        assert list(problem.places.all()) == [self.square]  # the known place of that name
        report.refresh_from_db()
        assert (report.status, report.problem) == (TriageStatus.IN_PROGRESS, problem)
        # Once is enough: a second try is refused and makes no second problem.
        response = self.act(report)
        self.assertContains(response, "redan ett problem i lägesbilden")
        assert Problem.objects.count() == 1

    def test_refused_without_a_current_situation_picture(self):
        # South's coordinator asks for a problem, but South's only picture has ended.
        make_membership(user=self.coordinator, party=self.south)
        make_situation_picture(
            [self.south], valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2020, 12, 31)
        )
        report = make_unsafe_place_report(self.south, place="Södra parken")
        response = self.act(report)
        self.assertContains(response, "har ingen lägesbild som gäller i dag")
        assert not Problem.objects.exists()
        report.refresh_from_db()
        assert (report.status, report.problem) == (TriageStatus.NEW, None)

    def test_only_coordinators_have_the_action(self):
        viewer = make_staff(self.north, Membership.Role.VIEWER)
        report = make_unsafe_place_report(self.north)
        self.client.force_login(viewer)
        response = self.client.post(
            reverse("admin:reports_unsafeplacereport_changelist"),
            {"action": "make_problem", "_selected_action": [report.pk]},
        )
        assert response.status_code == 403
        assert not Problem.objects.exists()
