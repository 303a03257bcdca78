"""The read-only API: one viewset per resource, each on a queryset of public data only.

Every list reads a fixed number of queries whatever the amount of data (a count, the page, and
one query per prefetched relation)."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from followup.models import CommitmentStatus, FollowUpRound
from overview import figures
from promises.models import Commitment, FocusArea, Party, Promise, Theme
from situation.models import SurveyResult

from . import filters, serializers
from .queries import latest_published_statuses


class PublishedViewSet(viewsets.ReadOnlyModelViewSet):
    """What is published depends on the time of the request (a promise may be published for
    a later hour): `public_queryset()` is built for each request, never once at start-up."""

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.public_queryset()


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Sweden's 290 municipalities, by their four-digit code from Statistics Sweden (SCB)."""

    queryset = Party.objects.municipalities().select_related("police_area").order_by("name")
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilterSet
    lookup_field = "municipality_code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[0-9]{4}"


class PoliceAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The local police areas (lokalpolisområden) and the municipalities each covers."""

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


class PromiseViewSet(PublishedViewSet):
    """Published citizen promises (medborgarlöften), the most recent first."""

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


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """The national list of focus themes, with which focus areas are tagged."""

    queryset = Theme.objects.order_by("order", "name_sv")
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"


class FocusAreaViewSet(PublishedViewSet):
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


class CommitmentViewSet(PublishedViewSet):
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

    def paginate_queryset(self, queryset):
        return _with_latest_status(super().paginate_queryset(queryset))

    def get_object(self):
        return _with_latest_status([super().get_object()])[0]


class FollowUpRoundViewSet(PublishedViewSet):
    """Published quarterly follow-up rounds of published promises."""

    def public_queryset(self):
        return (
            FollowUpRound.objects.published()
            .select_related("promise")
            .order_by("promise_id", "year", "quarter")
        )

    serializer_class = serializers.FollowUpRoundSerializer
    filterset_class = filters.FollowUpRoundFilterSet


class CommitmentStatusViewSet(PublishedViewSet):
    """How each commitment stood in each published follow-up round."""

    def public_queryset(self):
        return (
            CommitmentStatus.objects.filter(round__in=FollowUpRound.objects.published())
            .select_related("round__promise")
            # The order of the unique index (round, commitment): no sort of the whole country.
            .order_by("round_id", "commitment_id")
        )

    serializer_class = serializers.CommitmentStatusSerializer
    filterset_class = filters.CommitmentStatusFilterSet


class SurveyResultViewSet(viewsets.ReadOnlyModelViewSet):
    """The results of published safety surveys (trygghetsmätningar)."""

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


class OverviewView(APIView):
    """Figures of the national overview (overview.figures), for all promises or one theme.

    Not paginated: a list has one row per municipality (290), county, police region or year
    at most. Computed in a fixed number of queries, and cached like the overview page."""

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
            rows = self.figures(theme=self.theme())
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
    def figures(theme):
        return figures.municipalities(theme=theme)


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
    def figures(theme):
        return figures.areas(figures.COUNTY, theme=theme)


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
    def figures(theme):
        return figures.areas(figures.POLICE_REGION, theme=theme)


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
    def figures(theme):
        return figures.years(theme=theme)


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
