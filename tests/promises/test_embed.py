from django.test import TestCase
from django.urls import reverse

from tests.factories import make_commitment, make_focus_area, make_promise


class PromiseCardTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.promise = make_promise(slug="kortet", title="Trygg skolväg")
        area = make_focus_area(cls.promise, title="Trafiksäkerhet")
        make_commitment(cls.promise, focus_area=area)
        make_commitment(cls.promise)
        cls.card_url = reverse("promises:promise_card", kwargs={"slug": "kortet"})

    def test_card_may_be_framed_by_any_site(self):
        response = self.client.get(self.card_url)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors *" in csp
        # Only framing is relaxed; the rest of the policy stays.
        assert "default-src 'self'" in csp

    def test_other_pages_may_not_be_framed(self):
        for url in [self.promise.get_absolute_url(), reverse("promises:home")]:
            response = self.client.get(url)
            assert response["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

    def test_card_shows_the_promise_and_links_out_of_the_frame(self):
        response = self.client.get("/en" + self.card_url)
        self.assertContains(response, "Trafiksäkerhet")
        self.assertContains(response, "2 commitments")
        self.assertContains(
            response,
            '<a href="http://testserver/en/lofte/kortet/" target="_top">Trygg skolväg</a>',
            html=True,
        )
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)

    def test_unpublished_promise_has_no_card(self):
        draft = make_promise(status="draft", published_at=None)
        url = reverse("promises:promise_card", kwargs={"slug": draft.slug})
        assert self.client.get(url).status_code == 404

    def test_promise_page_offers_the_iframe_snippet(self):
        response = self.client.get(self.promise.get_absolute_url())
        self.assertContains(response, '&lt;iframe src="http://testserver/lofte/kortet/kort/"')
