from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from promises.models import Membership
from reports.models import ErrorReport, TriageStatus, UnsafePlaceReport
from tests.factories import (
    make_error_report,
    make_membership,
    make_municipality,
    make_police_area,
    make_promise,
    make_unsafe_place_report,
    make_user,
)


def make_staff(party, role=Membership.Role.COORDINATOR):
    user = make_user(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="reports",
            codename__in=[
                "view_errorreport",
                "change_errorreport",
                "view_unsafeplacereport",
                "change_unsafeplacereport",
            ],
        )
    )
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
            assert self.client.get(url).status_code == 302  # to the admin index: no such object

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
