"""The read-only API: one viewset per resource, each on a queryset of public data only.

Every list reads a fixed number of queries whatever the amount of data: a count and the ids of
the page's rows, and for the rows whose representation is not kept in the shared cache (after
a publish, those of the promise it changed) the rows and one query per prefetched relation."""

from django.conf import settings
from django.db import connections
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import translation
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from caching.fragments import precomputed_each, read_only, scope
from followup.models import CommitmentStatus, FollowUpRound
from overview import figures
from promises.models import Commitment, FocusArea, Party, Promise, Theme
from situation.models import SurveyResult

from . import filters, serializers
from .queries import latest_published_statuses, next_publication
from .rest import IdsOfRows, JSONRenderer, RenderedRows

# A row's kept representation names no day, but the key it is kept under does (a promise's
# `period` changes with the date): a day is as long as one can be read.
ROW_SECONDS = 24 * 3600


class ReadOnlyRequests:
    """The API only reads: no transaction around its requests (ATOMIC_REQUESTS), which costs
    two round trips to the database a request (caching.fragments.read_only)."""

    @read_only
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


def exception_handler(exc, context):
    """DRF's, less its rollback of the request's transaction: the API's requests run in none
    (views.ReadOnlyRequests) and only read, so DRF's rollback would fall on a transaction
    around them (a test's) and spoil it."""
    enclosing = {
        db.alias: db.needs_rollback
        for db in connections.all(initialized_only=True)
        if db.in_atomic_block
    }
    response = drf_exception_handler(exc, context)
    for alias, needs_rollback in enclosing.items():
        connections[alias].set_rollback(needs_rollback)
    return response


class KeptRowsMixin(ReadOnlyRequests):
    """A list whose rows' representations are kept in the shared cache, as rendered JSON, until
    what they show changes (caching.fragments.precomputed_each): a page reads only its rows'
    ids and scopes from the database, and serializes only the rows that are not kept. Rows are
    rendered in the default language whatever the client's, as every answer of the API is."""

    # The scope (caching.fragments) a row shows besides ALL: its kind, and the field that holds
    # its id; no kind, ALL only (reference data such as municipalities and themes).
    scope_kind = "promise"
    scope_field = "promise"

    def filtered(self):
        filterset_class = getattr(self, "filterset_class", None)
        return bool(
            filterset_class and self.request.query_params.keys() & filterset_class.base_filters
        )

    def filter_queryset(self, queryset):
        # A filter acts on its own parameter only: a list asked for without any (the most
        # common request) needs no filter set built, which costs a deep copy of its filters.
        if not self.filtered():
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        fields = ["pk", self.scope_field] if self.scope_kind else ["pk"]
        if self.filtered():
            rows = IdsOfRows(queryset, fields)
        else:  # the same for every client: its pages' ids are kept (api.rest.IdsOfRows)
            rows = IdsOfRows(queryset, fields, f"api:{self.basename}", until=next_publication)
        page = self.paginate_queryset(rows)
        scopes = {
            row[0]: scope(self.scope_kind, row[1]) if self.scope_kind else None for row in page
        }
        # The rows name their absolute addresses: one representation per site address.
        name = f"api:{self.basename}:{request.scheme}://{request.get_host()}{get_script_prefix()}"
        with translation.override(settings.LANGUAGE_CODE):
            rendered = precomputed_each(name, scopes, self.render_rows, timeout=ROW_SECONDS)
        # A row that stopped being public since its id was read is left out.
        return self.get_paginated_response(
            RenderedRows(rendered[pk] for pk in scopes if pk in rendered)
        )

    def render_rows(self, ids):
        """{id: the row's JSON} for the public rows among `ids`, with DRF's serializer."""
        rows = self.with_details(list(self.get_queryset().filter(pk__in=ids)))
        data = self.get_serializer(rows, many=True).data
        renderer = JSONRenderer()
        return {row.pk: renderer.render(item) for row, item in zip(rows, data, strict=True)}

    def with_details(self, rows):
        """What the serializer needs of the rows that the queryset does not give."""
        return rows


class PublishedViewSet(viewsets.ReadOnlyModelViewSet):
    """What is published depends on the time of the request (a promise may be published for
    a later hour): `public_queryset()` is built for each request, never once at start-up."""

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.public_queryset()


class MunicipalityViewSet(KeptRowsMixin, viewsets.ReadOnlyModelViewSet):
    """Sweden's 290 municipalities, by their four-digit code from Statistics Sweden (SCB)."""

    scope_kind = None

    queryset = Party.objects.municipalities().select_related("police_area").order_by("name")
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilterSet
    lookup_field = "municipality_code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[0-9]{4}"


class PoliceAreaViewSet(KeptRowsMixin, viewsets.ReadOnlyModelViewSet):
    """The local police areas (lokalpolisområden) and the municipalities each covers."""

    scope_kind = None

    queryset = (
        Party.objects.police_areas()
        .prefetch_related(
            Prefetch("municipalities", queryset=Party.objects.municipalities().order_by("name"))
        )
        .order_by("name")
    )
    serializer_class = serializers.PoliceAreaSerializer
    filterset_class = filters.PoliceAreaFilterSet
    lookup_field = "slug"


class PromiseViewSet(KeptRowsMixin, PublishedViewSet):
    """Published citizen promises (medborgarlöften), the most recent first."""

    scope_field = "pk"

    def public_queryset(self):
        return (
            Promise.objects.published()
            .with_parties()
            .select_related("agreement")
            .order_by("-valid_from", "pk")
        )

    serializer_class = serializers.PromiseSerializer
    filterset_class = filters.PromiseFilterSet
    lookup_field = "slug"


class ThemeViewSet(KeptRowsMixin, viewsets.ReadOnlyModelViewSet):
    """The national list of focus themes, with which focus areas are tagged."""

    scope_kind = None

    queryset = Theme.objects.order_by("order", "name_sv")
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"


class FocusAreaViewSet(KeptRowsMixin, PublishedViewSet):
    """The focus areas of published promises, with their themes."""

    def public_queryset(self):
        themes = Theme.objects.order_by("order", "name_sv")
        return (
            FocusArea.objects.filter(promise__in=Promise.objects.published())
            .select_related("promise")
            .prefetch_related(Prefetch("themes", queryset=themes))
            .order_by("promise_id", "order", "pk")
        )

    serializer_class = serializers.FocusAreaSerializer
    filterset_class = filters.FocusAreaFilterSet


def _with_latest_status(commitments):
    """Gives each commitment (a page of them at most) its `latest` status row, in one query."""
    latest = {
        status.commitment_id: status
        for status in latest_published_statuses()
        .filter(commitment__in=[commitment.pk for commitment in commitments])
        .select_related("round")
    }
    for commitment in commitments:
        commitment.latest = latest.get(commitment.pk)
    return commitments


class CommitmentViewSet(KeptRowsMixin, PublishedViewSet):
    """The commitments of published promises, with who carries them out and how they stand."""

    def public_queryset(self):
        owners = Party.objects.order_by("kind", "name")
        return (
            Commitment.objects.filter(promise__in=Promise.objects.published())
            .select_related("promise")
            .prefetch_related(Prefetch("owners", queryset=owners))
            .order_by("promise_id", "order", "pk")
        )

    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet

    def with_details(self, rows):
        return _with_latest_status(rows)

    def get_object(self):
        return _with_latest_status([super().get_object()])[0]


class FollowUpRoundViewSet(KeptRowsMixin, PublishedViewSet):
    """Published quarterly follow-up rounds of published promises."""

    def public_queryset(self):
        return (
            FollowUpRound.objects.published()
            .select_related("promise")
            .order_by("promise_id", "year", "quarter")
        )

    serializer_class = serializers.FollowUpRoundSerializer
    filterset_class = filters.FollowUpRoundFilterSet


class CommitmentStatusViewSet(KeptRowsMixin, PublishedViewSet):
    """How each commitment stood in each published follow-up round."""

    scope_field = "round__promise"

    def public_queryset(self):
        return (
            CommitmentStatus.objects.filter(round__in=FollowUpRound.objects.published())
            .select_related("round__promise")
            # The order of the unique index (round, commitment): no sort of the whole country.
            .order_by("round_id", "commitment_id")
        )

    serializer_class = serializers.CommitmentStatusSerializer
    filterset_class = filters.CommitmentStatusFilterSet


class SurveyResultViewSet(KeptRowsMixin, viewsets.ReadOnlyModelViewSet):
    """The results of published safety surveys (trygghetsmätningar)."""

    # A survey's results show on its area's pages (situation/fragments.py).
    scope_kind = "municipality"
    scope_field = "survey__area"

    queryset = (
        SurveyResult.objects.public()
        .select_related("survey__area", "indicator")
        # The order of the unique index (survey, indicator, group): no sort of the whole country.
        .order_by("survey_id", "indicator_id", "group")
    )
    serializer_class = serializers.SurveyResultSerializer
    filterset_class = filters.SurveyResultFilterSet


THEME_PARAMETER = OpenApiParameter(
    "theme",
    str,
    description="A theme's slug: count only the promises with a focus area of that theme.",
)


class OverviewView(ReadOnlyRequests, APIView):
    """Figures of the national overview (overview.figures), for all promises or one theme.

    Not paginated: a list has one row per municipality (290), county, police region or year
    at most. The figures are the overview page's, computed in a fixed number of queries once
    per write and day (figures.cached_overview)."""

    serializer_class = None
    figures = None

    def theme(self):
        slug = self.request.query_params.get("theme")
        if not slug:
            return None
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise ValidationError({"theme": [f"No theme is called {slug!r}."]})
        return theme

    def get(self, request):
        # Names of police regions are translated labels: the answer is in Swedish for everyone.
        with translation.override(settings.LANGUAGE_CODE):
            rows = self.figures(figures.cached_overview(self.theme()))
            context = {"request": request}
            return Response(self.serializer_class(rows, many=True, context=context).data)


class OverviewMunicipalitiesView(OverviewView):
    serializer_class = serializers.MunicipalityFiguresSerializer

    @extend_schema(
        parameters=[THEME_PARAMETER],
        responses=serializers.MunicipalityFiguresSerializer(many=True),
        description="Every municipality: whether it has a current promise, and its follow-up "
        "health (rounds due in the last four quarters and how many were published on time).",
    )
    def get(self, request):
        return super().get(request)

    @staticmethod
    def figures(overview):
        return overview.municipalities


class OverviewCountiesView(OverviewView):
    serializer_class = serializers.AreaFiguresSerializer

    @extend_schema(
        parameters=[THEME_PARAMETER],
        responses=serializers.AreaFiguresSerializer(many=True),
        description="Per county: municipalities with a current promise, the most common "
        "themes and follow-up health.",
    )
    def get(self, request):
        return super().get(request)

    @staticmethod
    def figures(overview):
        return overview.counties


class OverviewPoliceRegionsView(OverviewCountiesView):
    @extend_schema(
        parameters=[THEME_PARAMETER],
        responses=serializers.AreaFiguresSerializer(many=True),
        description="Per police region: municipalities with a current promise, the most "
        "common themes and follow-up health.",
    )
    def get(self, request):
        return super().get(request)

    @staticmethod
    def figures(overview):
        return overview.police_regions


class OverviewYearsView(OverviewView):
    serializer_class = serializers.YearFiguresSerializer

    @extend_schema(
        parameters=[THEME_PARAMETER],
        responses=serializers.YearFiguresSerializer(many=True),
        description="Per year: published promises in force, in all and per theme.",
    )
    def get(self, request):
        return super().get(request)

    @staticmethod
    def figures(overview):
        return overview.years


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 description, in English unless `?lang=sv` asks for Swedish; one format
    per address, so that its answers do not vary on Accept and are cached like pages."""

    renderer_classes = [OpenApiJsonRenderer]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with translation.override("en"):
            return super().get(request, *args, **kwargs)


class YamlSchemaView(SchemaView):
    renderer_classes = [OpenApiYamlRenderer]


def docs(request):
    """The browsable page: what the API offers, and Swagger UI on its OpenAPI description."""
    return render(request, "api/docs.html")
