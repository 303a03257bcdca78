"""The admin's widgets give every field a name and valid HTML (promises/admin_widgets.py); the
browser tests (tests/browser/test_admin.py) run axe on every page a member can open, these
check the pieces without a browser."""

import re

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    make_error_report,
    make_municipality,
    make_police_area,
    make_problem,
    make_promise,
    make_situation_picture,
    make_user,
)
from tests.html_validity import html_errors


def _described_by_nothing(html):
    """The ids an aria-describedby names that no element of the page has."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    named = {
        name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()
    }
    return named - ids


class AdminWidgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("root", is_staff=True, is_superuser=True)
        municipality = make_municipality()
        cls.promise = make_promise(parties=[municipality, make_police_area()])
        cls.picture = make_situation_picture(municipalities=[municipality])
        make_problem(picture=cls.picture)
        make_error_report(municipality=municipality)

    def setUp(self):
        self.client.force_login(self.admin)

    def _page(self, name, *args):
        response = self.client.get(reverse(f"admin:{name}", args=args))
        assert response.status_code == 200, name
        return response.content.decode()

    def test_a_single_autocomplete_starts_with_an_empty_placeholder_that_has_text(self):
        html = self._page("promises_focusarea_add")
        assert re.search(r'<select name="promise"[^>]* required[^>]*>\s*<option value="">-', html)
        html = self._page("promises_promise_add")
        assert re.search(r'<select name="agreement"[^>]*>\s*<option value="">-', html)
        assert '<option value=""></option>' not in html

    def test_date_fields_are_described_only_by_what_is_on_the_page(self):
        for page in [
            self._page("promises_promise_add"),
            self._page("promises_agreement_add"),
            self._page("situation_situationpicture_change", self.picture.pk),
        ]:
            assert _described_by_nothing(page) == set()

    def test_a_file_field_is_labelled_by_its_own_label(self):
        html = self._page("promises_agreement_add")
        assert '<label for="id_document">' in html

    def test_fields_in_table_rows_have_names(self):
        html = self._page("situation_situationpicture_change", self.picture.pk)
        assert re.search(r'<input type="text" name="problems-0-title"[^>]*aria-label="', html)
        assert re.search(r'<select name="problems-0-category"[^>]*aria-label="', html)
        html = self._page("reports_errorreport_changelist")
        assert re.search(r'<select name="form-0-status"[^>]*aria-label="', html)

    def test_the_county_filter_has_no_empty_link(self):
        make_police_area()  # a party without a county
        html = self._page("promises_party_changelist")
        assert 'href="?county="' not in html

    def test_the_date_shortcuts_are_named_in_swedish(self):
        with translation.override("sv"):
            catalogue = self.client.get(reverse("admin:jsi18n")).content.decode()
        assert "I dag (%(date)s)" in catalogue

    def test_the_pages_are_valid_html(self):
        pages = {
            name: self._page(name, *args)
            for name, args in [
                ("promises_promise_add", ()),
                ("promises_promise_change", (self.promise.pk,)),
                ("promises_agreement_add", ()),
                ("promises_focusarea_add", ()),
                ("situation_situationpicture_change", (self.picture.pk,)),
                ("situation_problem_add", ()),
                ("reports_errorreport_changelist", ()),
                ("promises_party_changelist", ()),
            ]
        }
        assert html_errors(pages) == []
