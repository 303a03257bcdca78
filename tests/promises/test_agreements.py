"""An agreement's fields residents read on a published promise change only through sign-off:
while it has a published promise it is locked; the public agreement page."""

from django.test import TestCase
from django.urls import reverse

from promises.models import Agreement, Membership, Promise
from tests.factories import (
    make_agreement,
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
)


class AgreementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality, cls.police_area = make_municipality(), make_police_area()
        cls.coordinator = make_member(cls.municipality, Membership.Role.COORDINATOR)
        cls.agreement = make_agreement(
            parties=[cls.municipality, cls.police_area],
            title="Samverkan 2024–2027",
            summary="Så samverkar vi.",
        )
        cls.promise = make_promise(
            parties=[cls.municipality, cls.police_area], agreement=cls.agreement
        )
        make_commitment(cls.promise)

    def _post_change(self):
        url = reverse("admin:promises_agreement_change", args=[self.agreement.pk])
        return self.client.post(
            url,
            {
                "title": "Omdöpt",
                "slug": self.agreement.slug,
                "parties": [self.municipality.pk, self.police_area.pk],
                "valid_from": "2030-01-01",
                "valid_until": "2030-12-31",
                "summary": "Nytt",
            },
        )

    def test_an_agreement_change_cannot_reach_a_published_promise(self):
        self.client.force_login(self.coordinator)
        assert self._post_change().status_code == 403
        self.agreement.refresh_from_db()
        assert self.agreement.title == "Samverkan 2024–2027"
        self.client.logout()
        page = self.client.get(self.promise.get_absolute_url())
        self.assertContains(page, "Samverkan 2024–2027")
        self.assertNotContains(page, "Omdöpt")

    def test_an_agreement_without_published_promises_is_edited(self):
        Promise.objects.filter(pk=self.promise.pk).update(status=Promise.Status.ARCHIVED)
        self.client.force_login(self.coordinator)
        assert self._post_change().status_code == 302
        assert Agreement.objects.get(pk=self.agreement.pk).title == "Omdöpt"

    def test_the_public_agreement_page(self):
        page = self.client.get(self.agreement.get_absolute_url())
        self.assertContains(page, "Samverkan 2024–2027")
        self.assertContains(page, "Så samverkar vi.")
        self.assertContains(page, self.municipality.name)
        self.assertContains(page, self.promise.get_absolute_url())
        self.assertContains(
            self.client.get(self.promise.get_absolute_url()), self.agreement.get_absolute_url()
        )

    def test_an_agreement_without_a_published_promise_is_not_public(self):
        hidden = make_agreement(parties=[self.municipality, self.police_area])
        make_promise(
            parties=[self.municipality, self.police_area],
            agreement=hidden,
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        assert self.client.get(hidden.get_absolute_url()).status_code == 404
