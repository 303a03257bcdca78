"""Issue 12's hostile requests: each is a 400, a 404 or a redirect, never a 500."""

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from tests.factories import (
    make_agreement,
    make_municipality,
    make_police_area,
    make_promise,
    make_user,
)

LATIN_1_FORM = "application/x-www-form-urlencoded; charset=latin-1"


class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("root", is_staff=True, is_superuser=True)
        cls.municipality = make_municipality()
        cls.police = make_police_area()
        cls.promise = make_promise(parties=[cls.municipality, cls.police])
        make_agreement(parties=[cls.municipality, cls.police])

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def get_as_admin(self, url):
        self.client.force_login(self.admin)
        return self.client.get(url)

    def test_nul_byte_in_a_public_parameter_is_a_bad_request(self):
        response = self.client.get("/oppna-data/", {"kommun": "\x00"})
        assert response.status_code == 400
        self.assertContains(response, "Felaktig begäran", status_code=400)
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_nul_byte_in_the_path_is_a_bad_request(self):
        assert self.client.get("/kommun/a%00b/").status_code == 400

    def test_nul_byte_in_a_form_field_is_a_bad_request(self):
        response = self.client.post(
            reverse("reports:error_report"), {"page_url": "/", "message": "a\x00b"}
        )
        assert response.status_code == 400

    def test_project_list_filters_ignore_a_value_that_is_no_id(self):
        for model in ("promise", "agreement"):
            for query in (
                "municipality=abc",
                "police_area=abc",
            ):
                response = self.get_as_admin(f"/admin/promises/{model}/?{query}")
                assert response.status_code == 302, (model, query)
                assert response["Location"].endswith("?e=1")

    def test_nul_byte_in_an_admin_filter_is_a_bad_request(self):
        for query in ("municipality=%00", "status__exact=%00"):
            assert self.get_as_admin(f"/admin/promises/promise/?{query}").status_code == 400

    def test_out_of_range_year_in_the_date_hierarchy_is_a_bad_request(self):
        response = self.get_as_admin(
            "/admin/promises/promise/?valid_from__year=99999999999999999999"
        )
        assert response.status_code == 400

    def test_history_version_that_is_no_number_is_not_found(self):
        response = self.get_as_admin(f"/admin/promises/promise/{self.promise.pk}/history/abc/")
        assert response.status_code == 404

    def test_nul_byte_in_the_autocomplete_term_is_a_bad_request(self):
        response = self.get_as_admin(
            "/admin/autocomplete/?app_label=promises&model_name=promise&field_name=parties&term=%00"
        )
        assert response.status_code == 400

    def test_form_in_another_charset_with_a_csrf_cookie_gets_a_complete_400(self):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.cookies["csrftoken"] = "a" * 32
        response = client.post(
            reverse("reports:error_report"), "message=x", content_type=LATIN_1_FORM
        )
        assert response.status_code == 400
        self.assertContains(response, "Felaktig begäran", status_code=400)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Content-Security-Policy" in response

    def test_error_pages_speak_the_visitors_language(self):
        response = self.client.get("/en/oppna-data/", {"kommun": "\x00"})
        self.assertContains(response, "Bad request", status_code=400)
        self.assertContains(response, '<html lang="en"', status_code=400)

    def test_failed_csrf_check_is_a_plain_403_page(self):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        response = client.post(reverse("reports:error_report"), {"message": "x"})
        self.assertContains(response, "Förbjuden", status_code=403)

    @override_settings(REPORTS_MAX_BODY_BYTES=1024)
    def test_report_larger_than_the_limit_is_refused_with_a_message(self):
        response = self.client.post(
            reverse("reports:error_report"), {"page_url": "/", "message": "x" * 2000}
        )
        self.assertContains(response, "för lång", status_code=413)
