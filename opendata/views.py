from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import condition, require_safe

from . import catalogue as catalogue_rdf
from . import exports, formats
from .exports import FORMATS, LICENCE
from .registry import ColumnType, areas, datasets, get_dataset


def _download_url(dataset, fmt, municipality=None):
    if municipality is None:
        return reverse("opendata:download", kwargs={"dataset": dataset.slug, "fmt": fmt})
    return reverse(
        "opendata:municipality_download",
        kwargs={"municipality": municipality.slug, "dataset": dataset.slug, "fmt": fmt},
    )


def index(request):
    municipalities = areas()
    municipality = None
    if slug := request.GET.get("kommun"):
        municipality = get_object_or_404(municipalities, slug=slug)
    downloads = [
        (dataset, [(fmt.upper(), _download_url(dataset, fmt, municipality)) for fmt in FORMATS])
        for dataset in datasets()
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "downloads": downloads,
            "municipalities": municipalities,
            "municipality": municipality,
            "licence": LICENCE,
        },
    )


def schema(request):
    return render(
        request,
        "opendata/schema.html",
        {
            "datasets": datasets(),
            "column_types": ColumnType,
            "list_separator": formats.LIST_SEPARATOR,
            "licence": LICENCE,
        },
    )


def _whole_country_generation(dataset, fmt, municipality=None):
    if municipality is not None or get_dataset(dataset) is None or fmt not in FORMATS:
        return None
    return exports.generation()


def _etag(request, dataset, fmt, municipality=None):
    if (generation := _whole_country_generation(dataset, fmt, municipality)) is None:
        return None
    # Weak: a file built later for the same generation differs in its "generated_at".
    return f'W/"{dataset}.{translation.get_language()}.{generation}.{fmt}"'


def _last_modified(request, dataset, fmt, municipality=None):
    if (generation := _whole_country_generation(dataset, fmt, municipality)) is None:
        return None
    return exports.last_modified(generation)


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request, dataset, fmt, municipality=None):
    dataset = get_dataset(dataset)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    filename = f"loftesportalen-{dataset.slug}"
    stored = None
    if municipality is not None:
        municipality = get_object_or_404(areas(), slug=municipality)
        filename += f"-{municipality.slug}"
    elif (generation := exports.generation()) is not None:
        language = translation.get_language()
        stored = exports.open_stored(request, dataset, fmt, language, generation)
    content_type = exports.CONTENT_TYPES[fmt]
    if stored is not None:
        response = FileResponse(stored, content_type=content_type)
    else:
        # One municipality's data is small, and the whole country's is streamed while
        # another worker builds its file.
        content = exports.content(request, dataset, fmt, municipality)
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    # Anyone may fetch the data, also from scripts on other sites.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def robots_txt(request):
    admin_paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            admin_paths.append(reverse("admin:index"))
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in dict.fromkeys(admin_paths)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def catalogue(request, fmt):
    """The DCAT-AP-SE catalogue, as RDF/XML (which dataportal.se harvests) or Turtle."""
    if fmt not in catalogue_rdf.CONTENT_TYPES:
        raise Http404
    response = HttpResponse(
        catalogue_rdf.serialize(request, fmt), content_type=catalogue_rdf.CONTENT_TYPES[fmt]
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
