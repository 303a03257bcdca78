"""The admin's history in the editor's words: reasons, status names, local time without
seconds, and the focus areas' and commitments' changes on their promise's history."""

from django.test import TestCase
from django.urls import reverse

from promises import services
from promises.models import Membership, Promise
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)


class HistoryInWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        make_focus_area(cls.promise, title="Skolvägar")
        cls.commitment = make_commitment(cls.promise, text="Tända lamporna")

    def test_the_promise_history_in_words(self):
        services.submit_for_review(promise=self.promise, user=self.coordinator)
        self.client.force_login(self.coordinator)
        url = reverse("admin:promises_promise_history", args=[self.promise.pk])
        html = self.client.get(url).content.decode()
        assert "Skickad för granskning" in html
        assert "utkast" in html and "under granskning" in html
        assert "in_review" not in html
        assert "None" not in html
        # Local time, to the minute.
        history = self.promise.history.first()
        assert history.history_date.astimezone().strftime("%H:%M:%S.%f") not in html
        # The parts' changes appear on the promise's history.
        assert "Skolvägar" in html and "Tända lamporna" in html

    def test_an_admin_edit_says_why(self):
        self.client.force_login(self.coordinator)
        url = reverse("admin:promises_focusarea_change", args=[self.promise.focus_areas.get().pk])
        self.client.post(url, {"promise": self.promise.pk, "title": "Skolvägen", "order": 1})
        row = self.promise.focus_areas.get().history.first()
        assert row.history_change_reason == "Ändrat i administrationen"

    def test_a_new_promise_says_when_focus_areas_can_be_chosen(self):
        self.client.force_login(self.coordinator)
        page = self.client.get(reverse("admin:promises_promise_add"))
        self.assertContains(page, "välj varje åtagandes fokusområde bland de sparade")
