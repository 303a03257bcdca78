"""The DCAT-AP-SE catalogue: RDF that parses, with DCAT-AP-SE's mandatory properties."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from opendata.catalogue import CC0
from opendata.exports import FORMATS
from opendata.registry import datasets
from promises.models import Promise
from tests.factories import make_promise, make_round, make_safety_survey, make_survey_result

# Open namespaces: pytest's collection trips over rdflib's closed ones at module level.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
RDF_XML = "/oppna-data/katalog.rdf"
TURTLE = "/oppna-data/katalog.ttl"


@pytest.fixture
def graph(client, db):
    promise = make_promise(valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31))
    make_round(promise, year=2024, quarter=2, state="published")
    make_round(promise, year=2025, quarter=1, state="draft")
    make_promise(
        slug="hemligt-utkast",
        title="Hemligt utkast",
        status=Promise.Status.DRAFT,
        published_at=None,
        valid_from=dt.date(2001, 1, 1),
        valid_until=dt.date(2040, 12, 31),
    )
    make_survey_result(make_safety_survey(year=2022))
    make_survey_result(make_safety_survey(year=1999, is_published=False))
    response = client.get(RDF_XML)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    return Graph().parse(data=response.content, format="xml")


def _one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def _texts(graph, subject, predicate):
    return {literal.language: str(literal) for literal in graph.objects(subject, predicate)}


def test_the_turtle_says_the_same(client, graph):
    turtle = client.get(TURTLE)
    assert turtle["Content-Type"] == "text/turtle; charset=utf-8"
    assert isomorphic(Graph().parse(data=turtle.content, format="turtle"), graph)


def test_no_blank_nodes_and_only_absolute_iris(graph):
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode), triple
            if isinstance(term, URIRef):
                assert str(term).startswith(("http://", "https://", "mailto:")), term


def test_the_catalogue_has_its_mandatory_properties(graph):
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(catalog) == "http://testserver" + RDF_XML
    assert _texts(graph, catalog, DCTERMS["title"]).keys() == {"sv", "en"}
    assert _texts(graph, catalog, DCTERMS.description)["sv"]
    publisher = _one(graph, catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(_one(graph, publisher, FOAF.name)) == "Löftesportalen"
    assert _one(graph, publisher, DCTERMS.type).startswith("http://purl.org/adms/publishertype/")
    assert _one(graph, catalog, FOAF.homepage) == URIRef("http://testserver/oppna-data/")
    assert _one(graph, catalog, DCTERMS.license) == CC0
    listed = set(graph.objects(catalog, DCAT.dataset))
    assert len(listed) == len(datasets()) >= 5


def test_every_dataset_and_distribution_has_its_mandatory_properties(graph):
    for dataset in datasets():
        subject = URIRef(f"http://testserver/oppna-data/schema/#{dataset.slug}")
        assert (subject, RDF.type, DCAT.Dataset) in graph
        titles = _texts(graph, subject, DCTERMS["title"])
        for language in ("sv", "en"):
            with translation.override(language):
                assert titles[language] == str(dataset.title)
        assert _texts(graph, subject, DCTERMS.description)["sv"]
        assert (_one(graph, subject, DCTERMS.publisher), RDF.type, FOAF.Agent) in graph
        contact = _one(graph, subject, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert _one(graph, contact, VCARD.fn)
        assert _one(graph, contact, VCARD.hasEmail) == URIRef("mailto:kontakt@example.org")
        themes = set(graph.objects(subject, DCAT.theme))
        assert themes and all(theme.startswith(EU + "data-theme/") for theme in themes)
        assert _one(graph, subject, DCTERMS.spatial) == URIRef(EU + "country/SWE")
        if dataset.period is not None:  # recommended, not mandatory: where a dataset says it
            temporal = _one(graph, subject, DCTERMS.temporal)
            assert (temporal, RDF.type, DCTERMS.PeriodOfTime) in graph
            assert _one(graph, temporal, DCAT.startDate) <= _one(graph, temporal, DCAT.endDate)
        distributions = set(graph.objects(subject, DCAT.distribution))
        assert len(distributions) == len(FORMATS)
        formats = set()
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert _one(graph, distribution, DCAT.accessURL)
            assert _one(graph, distribution, DCTERMS.license) == CC0
            assert _one(graph, distribution, DCAT.mediaType)
            file_type = _one(graph, distribution, DCTERMS["format"])
            fmt = file_type.removeprefix(EU + "file-type/").lower()
            formats.add(fmt)
            download = _one(graph, distribution, DCAT.downloadURL)
            assert download == URIRef(f"http://testserver/oppna-data/{dataset.slug}.{fmt}")
        assert formats == set(FORMATS)


def test_the_downloads_it_names_exist(client, graph):
    for download in graph.objects(None, DCAT.downloadURL):
        response = client.get(str(download).removeprefix("http://testserver"))
        assert response.status_code == 200, download


def test_nothing_unpublished_shapes_it(graph):
    text = graph.serialize(format="turtle")
    assert "Hemligt" not in text
    assert "hemligt-utkast" not in text
    promises = URIRef("http://testserver/oppna-data/schema/#promises")
    temporal = _one(graph, promises, DCTERMS.temporal)
    assert _one(graph, temporal, DCAT.startDate) == Literal(dt.date(2024, 1, 1))
    assert _one(graph, temporal, DCAT.endDate) == Literal(dt.date(2026, 12, 31))
    statuses = URIRef("http://testserver/oppna-data/schema/#statuses")
    temporal = _one(graph, statuses, DCTERMS.temporal)
    assert _one(graph, temporal, DCAT.startDate) == Literal(dt.date(2024, 4, 1))
    assert _one(graph, temporal, DCAT.endDate) == Literal(dt.date(2024, 6, 30))
    surveys = URIRef("http://testserver/oppna-data/schema/#survey-results")
    temporal = _one(graph, surveys, DCTERMS.temporal)
    assert _one(graph, temporal, DCAT.startDate) == Literal(dt.date(2022, 1, 1))


def test_an_empty_portal_has_a_catalogue_without_periods(client, db):
    graph = Graph().parse(data=client.get(TURTLE).content, format="turtle")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == len(datasets())
    assert not list(graph.objects(None, DCTERMS.temporal))


def test_its_address_is_stable_and_it_costs_few_queries(client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get(RDF_XML).status_code == 200
    assert len(queries) <= len(datasets()) + 2
    assert client.get("/oppna-data/katalog.xml").status_code == 404
    assert client.post(RDF_XML).status_code == 405
