from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from promises.models import Party
from reports.models import ErrorReport, TriageStatus, UnsafePlaceReport
from tests.factories import make_municipality, make_police_area, make_promise


class ReportFormTestCase(TestCase):
    def setUp(self):
        cache.clear()


class ErrorReportTests(ReportFormTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality(slug="norrby")
        cls.other = make_municipality()
        cls.promise = make_promise(parties=[cls.municipality, cls.other, make_police_area()])

    def post(self, **overrides):
        data = {"page_url": "/kommun/norrby/", "message": "Fel telefonnummer."}
        data.update(overrides)
        return self.client.post(reverse("reports:error_report"), data)

    def test_every_page_links_to_the_form_with_its_address(self):
        response = self.client.get(self.promise.get_absolute_url())
        url = reverse("reports:error_report")
        self.assertContains(response, f"{url}?page=/lofte/{self.promise.slug}/")
        form = self.client.get(url, {"page": f"/lofte/{self.promise.slug}/"})
        self.assertContains(form, f'value="/lofte/{self.promise.slug}/"')

    def test_valid_report_is_stored_with_the_municipality_of_the_page(self):
        response = self.post()
        self.assertRedirects(response, "/kommun/norrby/", fetch_redirect_response=False)
        report = ErrorReport.objects.get()
        assert report.message == "Fel telefonnummer."
        assert report.municipality == self.municipality
        assert report.status == TriageStatus.NEW
        follow = self.client.get("/kommun/norrby/")
        self.assertContains(follow, "message--success")

    def test_report_about_a_promise_page_in_english_is_linked_to_the_promise(self):
        self.post(page_url=f"http://testserver/en/lofte/{self.promise.slug}/")
        report = ErrorReport.objects.get()
        assert report.page_url == f"/en/lofte/{self.promise.slug}/"
        assert report.promise == self.promise
        assert report.municipality is None

    def test_page_of_another_site_is_refused(self):
        for url in (
            "https://example.com/",
            "//example.com/x",
            "kommun/norrby",
            "javascript:x",
            # On our host, but its path names another site: the redirect after sending
            # would take the resident there.
            "http://testserver//example.com/x",
            "http://testserver/\\example.com/x",
        ):
            response = self.post(page_url=url)
            assert response.status_code == 200, url
            self.assertContains(response, 'id="id_page_url_error"')
        assert not ErrorReport.objects.exists()

    def test_email_without_consent_keeps_the_input_and_shows_the_error_at_the_field(self):
        response = self.post(email="ada@example.org", message="Stavfel i rubriken")
        assert response.status_code == 200
        self.assertContains(response, 'id="id_consent_error"')
        self.assertContains(response, 'aria-invalid="true"')
        self.assertContains(response, 'value="ada@example.org"')
        self.assertContains(response, "Stavfel i rubriken")
        assert not ErrorReport.objects.exists()

    def test_email_with_consent_is_stored(self):
        self.post(email="ada@example.org", consent="on")
        assert ErrorReport.objects.get().email == "ada@example.org"

    def test_too_long_message_is_refused(self):
        response = self.post(message="x" * 2001)
        self.assertContains(response, 'id="id_message_error"')
        assert not ErrorReport.objects.exists()

    def test_honeypot_is_thanked_but_nothing_is_stored(self):
        response = self.post(website="http://spam.example")
        self.assertRedirects(response, "/kommun/norrby/")
        assert not ErrorReport.objects.exists()

    @override_settings(REPORTS_RATE_LIMIT=(2, 600))
    def test_rate_limit_per_client(self):
        self.post()
        self.post()
        response = self.post(message="En tredje")
        assert response.status_code == 429
        self.assertContains(response, "En tredje", status_code=429)
        assert ErrorReport.objects.count() == 2
        other_client = self.client.post(
            reverse("reports:error_report"),
            {"page_url": "/", "message": "Annan klient"},
            REMOTE_ADDR="10.0.0.2",
        )
        assert other_client.status_code == 302
        assert ErrorReport.objects.count() == 3

    def test_csrf_is_required(self):
        self.client.handler.enforce_csrf_checks = True
        response = self.post()
        assert response.status_code == 403
        assert not ErrorReport.objects.exists()


class UnsafePlaceReportTests(ReportFormTestCase):
    def post(self, **overrides):
        data = {
            "municipality": "olofstrom",
            "place": "Gångtunneln vid stationen",
            "description": "Trasig belysning.",
            "when": "Kvällar",
        }
        data.update(overrides)
        return self.client.post(reverse("reports:unsafe_place_report"), data)

    def test_form_offers_municipalities_grouped_by_county(self):
        municipality_page = self.client.get(
            reverse("promises:municipality_detail", args=["olofstrom"])
        )
        link = reverse("reports:unsafe_place_report") + "?municipality=olofstrom"
        self.assertContains(municipality_page, f'href="{link}"')
        response = self.client.get(
            reverse("reports:unsafe_place_report"), {"municipality": "olofstrom"}
        )
        self.assertContains(response, '<optgroup label="Blekinge län">')
        self.assertContains(
            response, '<option value="olofstrom" selected>Olofström</option>', html=True
        )

    def test_valid_report_without_personal_data_is_stored(self):
        olofstrom = Party.objects.get(slug="olofstrom")
        response = self.post()
        self.assertRedirects(response, olofstrom.get_absolute_url())
        report = UnsafePlaceReport.objects.get()
        assert (report.municipality, report.place, report.email) == (
            olofstrom,
            "Gångtunneln vid stationen",
            "",
        )

    def test_missing_fields_keep_the_input_and_write_nothing(self):
        response = self.post(municipality="", description="")
        assert response.status_code == 200
        self.assertContains(response, 'id="id_municipality_error"')
        self.assertContains(response, 'id="id_description_error"')
        self.assertContains(response, 'value="Gångtunneln vid stationen"')
        self.assertContains(response, 'role="alert"')
        assert not UnsafePlaceReport.objects.exists()

    def test_email_needs_consent(self):
        self.post(email="ada@example.org")
        assert not UnsafePlaceReport.objects.exists()
        self.post(email="ada@example.org", consent="on")
        assert UnsafePlaceReport.objects.get().email == "ada@example.org"

    def test_handled_report_forgets_the_email(self):
        self.post(email="ada@example.org", consent="on")
        report = UnsafePlaceReport.objects.get()
        report.status = TriageStatus.DONE
        report.save()
        report.refresh_from_db()
        assert report.email == ""
        # and the history never held it
        assert "email" not in {field.name for field in report.history.model._meta.fields}

    def test_honeypot_is_thanked_but_nothing_is_stored(self):
        response = self.post(website="x")
        assert response.status_code == 302
        assert not UnsafePlaceReport.objects.exists()
