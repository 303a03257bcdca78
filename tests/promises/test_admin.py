from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from promises.models import Promise
from tests.factories import (
    make_commitment,
    make_municipality,
    make_police_area,
    make_promise,
    make_user,
)


class PromiseAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("root", is_staff=True, is_superuser=True)
        cls.municipality = make_municipality()
        cls.police = make_police_area()

    def setUp(self):
        self.client.force_login(self.admin)

    def _post_data(self, **overrides):
        data = {
            "title": "Nytt löfte",
            "slug": "nytt-lofte",
            "status": "draft",
            "parties": [self.municipality.pk, self.police.pk],
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "goal": "Tryggare",
            "focus_areas-TOTAL_FORMS": "1",
            "focus_areas-INITIAL_FORMS": "0",
            "focus_areas-0-title": "Trafik",
            "focus_areas-0-order": "0",
            "commitments-TOTAL_FORMS": "1",
            "commitments-INITIAL_FORMS": "0",
            "commitments-0-text": "Polisen ska",
            "commitments-0-order": "0",
            "commitments-0-owners": [self.police.pk],
        }
        data.update(overrides)
        return data

    def test_add_and_change_pages_load(self):
        promise = make_promise()
        make_commitment(promise)
        for url in (
            reverse("admin:promises_promise_add"),
            reverse("admin:promises_promise_change", args=[promise.pk]),
            reverse("admin:promises_promise_changelist"),
            reverse("admin:promises_party_changelist"),
            reverse("admin:promises_agreement_add"),
        ):
            assert self.client.get(url).status_code == 200, url

    def test_add_saves_promise_with_inlines(self):
        response = self.client.post(reverse("admin:promises_promise_add"), self._post_data())
        assert response.status_code == 302, response.context["errors"] if response.context else ""
        promise = Promise.objects.get(slug="nytt-lofte")
        assert promise.focus_areas.get().title == "Trafik"
        assert list(promise.commitments.get().owners.all()) == [self.police]

    def test_a_new_promise_leads_on_to_choosing_its_commitments_focus_areas(self):
        """No surprise: the add page offers no focus-area list that would stay empty; it says
        the focus area is chosen after saving, and saving opens the page where it is."""
        html = self.client.get(reverse("admin:promises_promise_add")).content.decode()
        assert 'name="commitments-__prefix__-focus_area"' not in html
        assert 'id="new-promise-steps"' in html and "Steg 2" in html
        response = self.client.post(
            reverse("admin:promises_promise_add"), self._post_data(), follow=True
        )
        promise = Promise.objects.get(slug="nytt-lofte")
        assert response.redirect_chain[-1][0] == reverse(
            "admin:promises_promise_change", args=[promise.pk]
        )
        self.assertContains(response, "Välj nu varje åtagandes fokusområde")
        focus_area = promise.focus_areas.get()
        html = response.content.decode()
        assert 'name="commitments-0-focus_area"' in html
        assert f'<option value="{focus_area.pk}">' in html
        assert 'id="new-promise-steps"' not in html

    def test_promise_without_police_area_is_refused_and_nothing_is_written(self):
        response = self.client.post(
            reverse("admin:promises_promise_add"), self._post_data(parties=[self.municipality.pk])
        )
        assert response.status_code == 200
        self.assertContains(response, "ett lokalpolisområde")
        assert not Promise.objects.filter(slug="nytt-lofte").exists()

    def test_commitment_owner_outside_the_promise_is_refused(self):
        stranger = make_police_area(name="Främmande område")
        response = self.client.post(
            reverse("admin:promises_promise_add"),
            self._post_data(**{"commitments-0-owners": [stranger.pk]}),
        )
        assert response.status_code == 200
        self.assertContains(response, "Främmande område")
        assert not Promise.objects.filter(slug="nytt-lofte").exists()


class PromiseListTests(TestCase):
    def test_the_list_counts_each_promises_commitments_still_in_force(self):
        admin = make_user("root", is_staff=True, is_superuser=True)
        promise = make_promise(title="Tryggare torg")
        for n in range(3):
            make_commitment(promise, text=f"Åtagande {n}")
        withdrawn = make_commitment(promise, text="Borttaget")
        withdrawn.withdrawn_at = timezone.now()
        withdrawn.save()
        make_promise(title="Utan åtaganden")
        self.client.force_login(admin)
        response = self.client.get(reverse("admin:promises_promise_changelist"), {"o": "6"})
        rows = {str(row): row.commitment_total for row in response.context["cl"].result_list}
        assert rows == {"Tryggare torg": 3, "Utan åtaganden": 0}
