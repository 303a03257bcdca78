"""The search form's lists (every municipality, police area, theme and focus area) are read
once per version of the data, not on every search."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises import forms
from tests.factories import make_focus_area, make_police_area, make_promise

pytestmark = pytest.mark.django_db


def _search(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("promises:search"), {"q": "trygghet"})
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_lists_are_read_once_until_a_write(client):
    promise = make_promise()
    make_focus_area(promise, title="Trygga skolvägar")
    first, first_queries = _search(client)
    second, second_queries = _search(client)
    assert second == first
    assert "Trygga skolvägar" in second
    assert any("promises_theme" in sql for sql in first_queries)
    assert not any("promises_theme" in sql for sql in second_queries)
    assert len(second_queries) < len(first_queries)


def test_a_write_shows_in_the_lists_at_once(client):
    make_focus_area(make_promise(), title="Trygga skolvägar")
    _search(client)
    police = make_police_area(name="Lokalpolisområde Nyskapat")
    make_focus_area(make_promise(), title="Belysta gångtunnlar")
    html, _queries = _search(client)
    assert "Belysta gångtunnlar" in html
    assert f'value="{police.slug}"' in html
    assert "Lokalpolisområde Nyskapat" in html


def test_a_chosen_police_area_is_still_checked_against_the_database(client):
    promise = make_promise()
    make_focus_area(promise, title="Trygga skolvägar")
    _search(client)
    response = client.get(reverse("promises:search"), {"police_area": "no-such-area"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert response.context["form"].errors["police_area"]


def test_the_choices_are_not_listed_for_a_search_whose_filters_are_precomputed(client):
    make_focus_area(make_promise(), title="Trygga skolvägar")
    _search(client)
    with (
        mock.patch.object(forms, "with_blank", wraps=forms.with_blank) as with_blank,
        mock.patch.object(
            forms, "grouped_municipality_choices", wraps=forms.grouped_municipality_choices
        ) as municipalities,
    ):
        html, _queries = _search(client)
        assert "Trygga skolvägar" in html
        assert not with_blank.called and not municipalities.called
        # A chosen county is still checked against the choices, which are then listed.
        response = client.get(reverse("promises:search"), {"q": "trygghet", "county": "98"})
        assert response.context["form"].errors["county"]
        assert with_blank.called
