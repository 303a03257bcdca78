"""The DCAT-AP-SE catalogue of the open data, for Sweden's data portal (dataportal.se) to harvest.

Built from the registry, so every registered dataset is in it with one distribution per download
format. Every resource has an absolute IRI on this site (no blank nodes, which harvesters cannot
tell apart between harvests): the catalogue is its RDF/XML address, a dataset is its section of
the schema page, and a distribution that section with its format. Titles and descriptions are
given in Swedish and English. The vocabularies are the ones DCAT-AP-SE names: the EU's data
themes, file types, languages, countries and frequencies, and ADMS publisher types.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from . import exports
from .exports import FORMATS
from .registry import datasets

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
COUNTRY = Namespace(EU + "country/")
FREQUENCY = Namespace(EU + "frequency/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
# DCAT-AP-SE's licence for open public data with no conditions.
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
MEDIA_TYPES = {
    "csv": URIRef("https://www.iana.org/assignments/media-types/text/csv"),
    "json": URIRef("https://www.iana.org/assignments/media-types/application/json"),
}
CONTENT_TYPES = {"rdf": "application/rdf+xml; charset=utf-8", "ttl": "text/turtle; charset=utf-8"}
SERIALIZATIONS = {"rdf": "pretty-xml", "ttl": "turtle"}
KEYWORDS = {
    "sv": ["medborgarlöften", "brottsförebyggande arbete", "trygghet", "polisen", "kommuner"],
    "en": ["citizen promises", "crime prevention", "safety", "police", "municipalities"],
}


def _texts(value):
    """A lazily translated text as one literal per language, Swedish first."""
    literals = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            literals.append(Literal(str(value), lang=code))
    return literals


def _url(request, name, **kwargs):
    # The Swedish addresses, the site's default language, whatever the client's.
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def _add_texts(graph, subject, predicate, value):
    for literal in _texts(value):
        graph.add((subject, predicate, literal))


def build(request):
    """The catalogue as an rdflib Graph, its addresses on the host the request came to."""
    graph = Graph()
    for prefix, namespace in {
        "dcat": DCAT,
        "dcterms": DCTERMS,
        "foaf": FOAF,
        "vcard": VCARD,
    }.items():
        graph.bind(prefix, namespace)

    catalog = URIRef(request.build_absolute_uri(reverse("opendata_catalogue", args=["rdf"])))
    index = URIRef(_url(request, "opendata:index"))
    schema = _url(request, "opendata:schema")
    publisher = URIRef(settings.OPENDATA_PUBLISHER_URL or f"{catalog}#publisher")
    contact = URIRef(f"{catalog}#contact")

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPENDATA_PUBLISHER_NAME, lang="sv")))
    graph.add((publisher, DCTERMS.type, PUBLISHER_TYPE[settings.OPENDATA_PUBLISHER_TYPE]))

    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPENDATA_PUBLISHER_NAME, lang="sv")))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.SITE_CONTACT_EMAIL}")))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _add_texts(graph, catalog, DCTERMS.title, _("Löftesportalen: open data"))
    _add_texts(
        graph,
        catalog,
        DCTERMS.description,
        _(
            "Citizen promises (medborgarlöften) of Swedish municipalities and local police "
            "areas, their focus areas and commitments, their quarterly follow-up and the "
            "results of safety surveys, as published on Löftesportalen."
        ),
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, index))
    graph.add((catalog, DCTERMS.license, CC0))
    graph.add((catalog, DCTERMS.spatial, COUNTRY.SWE))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    for code in ("SWE", "ENG"):
        graph.add((catalog, DCTERMS.language, LANGUAGE[code]))
    generation = exports.generation()
    if generation is not None:
        modified = exports.last_modified(generation)
        graph.add((catalog, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))

    for dataset in datasets():
        subject = URIRef(f"{schema}#{dataset.slug}")
        graph.add((catalog, DCAT.dataset, subject))
        graph.add((subject, RDF.type, DCAT.Dataset))
        graph.add((subject, DCTERMS.identifier, Literal(dataset.slug)))
        _add_texts(graph, subject, DCTERMS.title, dataset.title)
        _add_texts(graph, subject, DCTERMS.description, dataset.description)
        graph.add((subject, DCTERMS.publisher, publisher))
        graph.add((subject, DCAT.contactPoint, contact))
        graph.add((subject, DCAT.landingPage, index))
        graph.add((subject, DCTERMS.spatial, COUNTRY.SWE))
        graph.add((subject, DCTERMS.language, LANGUAGE.SWE))
        graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCY.CONT))
        for theme in dataset.themes:
            graph.add((subject, DCAT.theme, DATA_THEME[theme]))
        for code, words in KEYWORDS.items():
            for word in words:
                graph.add((subject, DCAT.keyword, Literal(word, lang=code)))
        if dataset.period is not None and (period := dataset.period()) is not None:
            temporal = URIRef(f"{subject}-period")
            graph.add((subject, DCTERMS.temporal, temporal))
            graph.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((temporal, DCAT.startDate, Literal(period[0], datatype=XSD.date)))
            graph.add((temporal, DCAT.endDate, Literal(period[1], datatype=XSD.date)))
        for fmt in FORMATS:
            distribution = URIRef(f"{subject}-{fmt}")
            download = URIRef(_url(request, "opendata:download", dataset=dataset.slug, fmt=fmt))
            graph.add((subject, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            for literal in _texts(dataset.title):
                graph.add(
                    (
                        distribution,
                        DCTERMS.title,
                        Literal(f"{literal} ({fmt.upper()})", lang=literal.language),
                    )
                )
            graph.add((distribution, DCAT.accessURL, index))
            graph.add((distribution, DCAT.downloadURL, download))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[fmt.upper()]))
            graph.add((distribution, DCAT.mediaType, MEDIA_TYPES[fmt]))
            graph.add((distribution, DCTERMS.license, CC0))
    return graph


def serialize(request, fmt):
    return build(request).serialize(format=SERIALIZATIONS[fmt], encoding="utf-8")
