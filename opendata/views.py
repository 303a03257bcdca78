from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from . import formats
from .registry import ColumnType, areas, datasets, get_dataset

FORMATS = ("csv", "json")
LICENCE = {
    "name": "CC0 1.0",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
}


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


@require_safe
def download(request, dataset, fmt, municipality=None):
    dataset = get_dataset(dataset)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    filename = f"loftesportalen-{dataset.slug}"
    if municipality is not None:
        municipality = get_object_or_404(areas(), slug=municipality)
        filename += f"-{municipality.slug}"
    rows = dataset.rows(request, municipality)
    if fmt == "csv":
        response = StreamingHttpResponse(
            formats.csv_chunks(dataset, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        metadata = {
            "dataset": dataset.slug,
            "title": str(dataset.title),
            "municipality": (
                {"name": municipality.name, "code": municipality.municipality_code}
                if municipality
                else None
            ),
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "licence": LICENCE,
            "schema": request.build_absolute_uri(reverse("opendata:schema")) + f"#{dataset.slug}",
        }
        response = StreamingHttpResponse(
            formats.json_chunks(metadata, dataset, rows),
            content_type="application/json; charset=utf-8",
        )
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
