"""The stored Swedish search vectors on PostgreSQL: kept up to date by the database, searched
through their GIN index, with the words found marked. SQLite has none (see promises.fulltext)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import FollowUpRound
from promises import search
from promises.models import Commitment, FocusArea, Promise, SearchEntry
from tests.factories import (
    make_commitment,
    make_focus_area,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
    ),
]


def found(client, q, **params):
    response = client.get(reverse("promises:search"), {"q": q, **params})
    assert response.status_code == 200
    return response, [(hit.source.kind, hit.pk) for hit in response.context["page"].object_list]


def test_a_saved_promise_is_found_by_another_form_of_its_words(client):
    promise = make_promise(title="Lugnare trafik i Norrby", summary="Färre bilar vid skolan.")
    assert found(client, "trafiken")[1] == [("promise", promise.pk)]
    assert found(client, "bilarna")[1] == [("promise", promise.pk)]


def test_the_vector_follows_every_change(client):
    promise = make_promise(title="Lugnare trafik")
    promise.title = "Tryggare parker"
    promise.save()
    assert found(client, "trafik")[1] == []
    assert found(client, "parkerna")[1] == [("promise", promise.pk)]
    # The database computes the vector on bulk writes too; the search's entries follow the
    # models' writes, and a bulk one (which sends no signal) once they are written afresh.
    Promise.objects.filter(pk=promise.pk).update(goal="Bättre belysning.")
    assert Promise.objects.get(search_vector=search.full_text_query("belysningen")) == promise
    call_command("rebuild_search_entries", stdout=io.StringIO())
    assert found(client, "belysningen")[1] == [("promise", promise.pk)]


def test_a_word_finds_the_compounds_it_begins(client):
    area = make_focus_area(make_promise(), title="Trafiksäkerhet")
    assert found(client, "trafik")[1] == [("focus_area", area.pk)]


def test_unpublished_promises_and_rounds_are_never_found(client):
    draft = make_promise(title="Hemlig trafikplan", status="draft", published_at=None)
    make_commitment(draft, text="Trafikkontroller i utkastet")
    make_round(make_promise(), state=FollowUpRound.State.APPROVED, summary="Trafiken mättes.")
    assert found(client, "trafik")[1] == []


def test_titles_rank_before_bodies(client):
    body = make_promise(title="Annat", background="Trafiken nämns här.")
    title = make_promise(title="Trafiken")
    assert found(client, "trafik")[1] == [("promise", title.pk), ("promise", body.pk)]


def test_the_words_found_are_marked_and_the_text_escaped(client):
    commitment = make_commitment(text="Polisen & kommunen övervakar trafiken <script>x</script>")
    response, hits = found(client, "trafik")
    assert hits == [("commitment", commitment.pk)]
    headline = response.context["page"].object_list[0].headline
    assert headline.startswith("Polisen &amp; kommunen övervakar <mark>trafiken</mark>")
    assert "<mark>trafiken</mark>" in response.content.decode()
    assert "<script>x" not in response.content.decode()


def test_the_vectors_are_searched_through_their_gin_indexes():
    query = search.full_text_query("trafik")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for model, index in (
            (Promise, "promise_search_vector"),
            (FocusArea, "focusarea_search_vector"),
            (Commitment, "commitment_search_vector"),
            (FollowUpRound, "followupround_search_vector"),
            (SearchEntry, "searchentry_search_vector"),
        ):
            # Without the models' ordering, whose joins would lead the plan elsewhere, nor
            # their managers' filters, which a partial index matches as cheaply in an empty table.
            rows = model._base_manager.filter(search_vector=query).order_by()
            assert index in rows.explain()


def test_query_count_is_flat_and_small(client):
    municipality, police = make_municipality(), make_police_area()

    def add_promises(n):
        for _ in range(n):
            promise = make_promise(parties=[municipality, police], summary="Trygg trafik")
            make_focus_area(promise, title="Trafiksäkerhet")
            make_commitment(promise, text="Vi övervakar trafiken.")
            make_round(promise, state=FollowUpRound.State.PUBLISHED, summary="Trafiken lugnare.")

    def queries():
        with CaptureQueriesContext(connection) as context:
            response, hits = found(client, "trafiken", municipality=municipality.slug)
        return len(context), response.context["page"].paginator.count

    add_promises(2)
    few = queries()
    add_promises(28)
    many = queries()
    assert few[1] == 8
    assert many[1] == 4 * 30
    assert few[0] == many[0] <= 12
    assert Commitment.objects.filter(search_vector__isnull=True).count() == 0


def test_the_count_comes_with_the_page_in_one_search(client):
    municipality, police = make_municipality(), make_police_area()
    for _ in range(25):
        promise = make_promise(parties=[municipality, police], summary="Trygg trafik")
        make_commitment(promise, text="Vi övervakar trafiken.")
    url = reverse("promises:search")
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"q": "trafik", "page": 2})
    searches = [q["sql"] for q in context.captured_queries if "@@" in q["sql"]]
    assert len(searches) == 1  # no separate count
    # Without filters of the promises, only the stored entries are read.
    assert "promises_searchentry" in searches[0]
    assert "promises_promise" not in searches[0] and "promises_commitment" not in searches[0]
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 50, 20)
    assert "<mark>" in str(page.object_list[0].headline)
    # A page past the end shows the last one, as the paginator does.
    last = client.get(url, {"q": "trafik", "page": 99}).context["page"]
    assert (last.number, len(last.object_list)) == (3, 10)


def test_a_search_that_finds_nothing_searches_once(client):
    make_promise(summary="Trygg trafik")
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("promises:search"), {"q": "cykelbana"})
    assert response.context["page"].paginator.count == 0
    assert len([q for q in context.captured_queries if "@@" in q["sql"]]) == 1
