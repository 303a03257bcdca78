"""A search's page body is a fragment per address, kept until the next write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_commitment, make_promise

pytestmark = pytest.mark.django_db


def _search(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("promises:search"), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_a_search_asked_again_costs_no_query_and_reads_the_same(client):
    make_commitment(make_promise(), text="Vi ökar trafiksäkerheten vid skolorna.")
    first, first_queries = _search(client, q="trafik")
    again, again_queries = _search(client, q="trafik")
    assert again == first
    assert "<mark>" in again or "trafiksäkerheten" in again
    assert "<title>Sök: trafik" in again
    assert first_queries > 0
    assert again_queries == 0


def test_a_write_shows_in_the_next_search(client):
    make_commitment(make_promise(), text="Vi ökar trafiksäkerheten vid skolorna.")
    before, _queries = _search(client, q="trafik")
    make_commitment(make_promise(), text="Trafikvärdar vid busstorget varje fredag.")
    after, queries = _search(client, q="trafik")
    assert "busstorget" not in before
    assert "busstorget" in after
    assert queries > 0


def test_other_words_filters_or_pages_are_searched_for_themselves(client):
    promise = make_promise()
    make_commitment(promise, text="Vi ökar trafiksäkerheten vid skolorna.")
    make_commitment(promise, text="Belysningen i parken byts ut.")
    _search(client, q="trafik")
    html, queries = _search(client, q="belysning")
    assert queries > 0
    assert "parken" in html
    assert "skolorna" not in html
    _html, queries = _search(client, q="trafik", period="earlier")
    assert queries > 0


def test_an_editor_gets_a_search_rendered_for_them(client):
    make_commitment(make_promise(), text="Vi ökar trafiksäkerheten vid skolorna.")
    _search(client, q="trafik")
    client.cookies["sessionid"] = "an-editor"
    _html, queries = _search(client, q="trafik")
    assert queries > 0
