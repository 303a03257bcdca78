from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from caching.fragments import GENERATION, Fragment, precomputed, read_only, scope

from . import pages
from . import search as site_search
from .forms import MunicipalityFinderForm, SearchForm, municipality_rows
from .models import Agreement, Commitment, FocusArea, Party, PoliceRegion, Promise

SEARCH_PAGE_SIZE = 20
ARCHIVE_PAGE_SIZE = 20
# The newest current or upcoming promises on the home page; the finder leads to the rest.
NEWEST_ON_HOME = 8


def _promise_cards(promises):
    return promises.with_parties().order_by("title")


def _earlier_promise_cards():
    return _promise_cards(Promise.objects.earlier()).order_by("-valid_until", "title")


def _current_and_upcoming_cards():
    """Current and upcoming promises in one query, so listing both costs no more than one."""
    return _promise_cards(Promise.objects.current() | Promise.objects.upcoming())


def national_picture(rows):
    """Per police region: its municipalities and how many of them have a current promise,
    from the rows of municipality_rows(with_current_promise=True)."""
    regions = {}
    for _slug, _name, _county_code, _county, region, has_promise in rows:
        if region:
            counts = regions.setdefault(region, {"municipalities": 0, "with_promise": 0})
            counts["municipalities"] += 1
            counts["with_promise"] += has_promise
    region_rows = [
        {"label": PoliceRegion(region).label, **counts}
        for region, counts in sorted(regions.items())
    ]
    return {
        "regions": region_rows,
        "municipalities": len(rows),
        "with_promise": sum(row[-1] for row in rows),
    }


@read_only
def home(request):
    """The finder, the national picture and the latest news: each bounded, so the page stays
    the same size whether five promises are published or the whole country's. Any write may
    change it, so its body is kept for the page cache's generation (caching.fragments)."""
    body = Fragment(request, "home", GENERATION)
    context = {"body": body}
    if body.missing:
        # One query for the finder and the national picture alike.
        rows = municipality_rows(with_current_promise=True)
        context |= {
            "national_picture": national_picture(rows),
            "newest_promises": _current_and_upcoming_cards().order_by("-published_at", "title")[
                :NEWEST_ON_HOME
            ],
            "earlier_promises": _earlier_promise_cards()[:5],
            "finder_form": MunicipalityFinderForm(rows=rows),
            **pages.context("home"),
        }
    return render(request, "promises/home.html", context)


@require_GET
def municipality_find(request):
    """The target of the home page's finder: a GET form, so it works without JavaScript."""
    form = MunicipalityFinderForm(request.GET or None)
    if form.is_valid():
        return redirect(form.cleaned_data["municipality"])
    return render(request, "promises/municipality_find.html", {"finder_form": form})


@require_GET
@read_only
def search(request):
    form = SearchForm(request.GET or None)
    page = filters_html = None
    if not form.is_bound or (form.is_valid() and not form.has_filters):
        # With no filter chosen the filters read the same for every search: rendered once
        # per version of their lists, as the lists themselves are (caching.fragments).
        filters_html = precomputed(
            "search_filters",
            lambda: render_to_string("promises/includes/search_filters.html", {"form": form}),
            GENERATION,
        )
    if form.is_valid() and form.has_criteria:
        # Without filters of the promises, the search needs none (every published one counts).
        promises = form.promises() if form.narrows_promises else None
        hits = site_search.search(form.cleaned_data["q"], promises, form.cleaned_data)
        hits.expect_page(request.GET.get("page"), SEARCH_PAGE_SIZE)
        page = Paginator(hits, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "promises/search.html",
        {"form": form, "page": page, "filters_html": filters_html},
    )


@require_GET
@read_only
def archive(request):
    """Earlier promises and what came of them."""
    body = Fragment(request, "archive", GENERATION)
    context = {"body": body}
    if body.missing:
        page = Paginator(_earlier_promise_cards(), ARCHIVE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context |= {"page": page, **pages.context("archive", promises=page.object_list)}
    return render(request, "promises/archive.html", context)


def municipality_fragment(request, name, slug, municipalities=None):
    """The fragment `name` of a page of the municipality `slug` (else 404), and the
    municipality, kept with the fragment: a page whose fragment is stored costs no query."""
    body = Fragment(request, name)
    if "municipality" not in body.extra:
        if municipalities is None:
            municipalities = Party.objects.municipalities()
        pk = municipalities.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        body.shows(scope("municipality", pk))
        body.keep(municipality=get_object_or_404(municipalities, pk=pk))
    return body, body.extra["municipality"]


@read_only
def municipality_detail(request, slug):
    body, municipality = municipality_fragment(
        request,
        "municipality_detail",
        slug,
        Party.objects.municipalities().select_related("police_area"),
    )
    context = {"municipality": municipality, "body": body}
    if body.missing:
        current_and_upcoming = list(_current_and_upcoming_cards().filter(parties=municipality))
        context |= {
            "current_promises": [p for p in current_and_upcoming if not p.is_upcoming],
            "upcoming_promises": [p for p in current_and_upcoming if p.is_upcoming],
            "earlier_promises": _earlier_promise_cards().filter(parties=municipality),
            **pages.context("municipality_detail", municipality=municipality),
        }
    return render(request, "promises/municipality_detail.html", context)


def published_promise(request, name, slug):
    """The fragment `name` of the page of the published promise `slug` (else 404), and the
    promise with its parties, which the page shows outside the fragment too: kept with the
    fragment, so that a page whose fragment is stored costs no query."""
    body = Fragment(request, name)
    if "promise" not in body.extra:
        pk = Promise.objects.published().filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        body.shows(scope("promise", pk))
        continued_in = Promise.objects.published().filter(continues=OuterRef("pk"))
        promise = get_object_or_404(
            Promise.objects.published()
            .select_related("agreement", "continues")
            # "Continued in": the next promise's address, read with the promise itself.
            .annotate(
                continued_in_slug=Subquery(continued_in.values("slug")[:1]),
                continued_in_title=Subquery(continued_in.values("title")[:1]),
            )
            .with_parties(),
            pk=pk,
        )
        body.keep(promise=promise)
    return body, body.extra["promise"]


@read_only
def promise_detail(request, slug):
    body, promise = published_promise(request, "promise_detail", slug)
    context = {"promise": promise, "body": body, **body.extra}
    if body.missing:
        context.update(_promise_body(promise))
        body.keep(last_updated=context["last_updated"])
    return render(request, "promises/promise_detail.html", context)


def _promise_body(promise):
    """What the promise page shows below its title: rendered once per version of the promise
    (caching.fragments), so computed only when its fragment is missing."""
    commitments = Commitment.objects.prefetch_related(
        Prefetch("owners", queryset=Party.objects.order_by("kind", "name"))
    )
    prefetch_related_objects(
        [promise],
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.order_by("order", "pk").prefetch_related("themes"),
        ),
        Prefetch("commitments", queryset=commitments),
    )
    focus_areas = list(promise.focus_areas.all())
    commitments_by_area = defaultdict(list)
    for commitment in promise.commitments.all():  # in their order (Meta.ordering)
        commitments_by_area[commitment.focus_area_id].append(commitment)
    sections = [
        (area, _grouped_by_owner(commitments_by_area.get(area.pk, []))) for area in focus_areas
    ]
    versions = promise.published_versions()
    return {
        # What residents see changes only when a new version is published.
        "last_updated": versions[0][0] if versions else promise.published_at,
        "versions": versions,
        "sections": sections,
        "unassigned_commitments": _grouped_by_owner(commitments_by_area.get(None, [])),
        **pages.context("promise_detail", promise=promise),
    }


def agreement_detail(request, slug):
    """A cooperation agreement residents may read: one a published promise was made under."""
    agreement = get_object_or_404(
        Agreement.objects.public().prefetch_related(
            Prefetch("parties", queryset=Party.objects.order_by("kind", "name"))
        ),
        slug=slug,
    )
    return render(
        request,
        "promises/agreement_detail.html",
        {
            "agreement": agreement,
            "promises": _promise_cards(Promise.objects.published().filter(agreement=agreement)),
        },
    )


@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": settings.EMBED_FRAME_ANCESTORS})
def promise_card(request, slug):
    """The one page other sites may frame: a small card for a municipality's own website."""
    promise = get_object_or_404(
        Promise.objects.published().with_parties().prefetch_related("focus_areas"), slug=slug
    )
    return render(
        request,
        "promises/promise_card.html",
        {"promise": promise, "commitment_count": promise.commitments.count()},
    )


def _grouped_by_owner(commitments):
    """Commitments as (owner group, commitments) pairs: the police, the municipality, joint."""
    groups = {group: [] for group in Commitment.OwnerGroup}
    for commitment in commitments:
        groups[commitment.owner_group].append(commitment)
    return [(group, items) for group, items in groups.items() if items]
