"""The read-only API: one viewset per resource, each on a queryset of public data only.

Every list reads a fixed number of queries whatever the amount of data (a count, the page, and
one query per prefetched relation)."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Commitment, FocusArea, Party, Promise
from situation.models import SurveyResult

from . import filters, serializers


def published_promises():
    return Promise.objects.published()


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


class PromiseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published citizen promises (medborgarlöften), the most recent first."""

    queryset = (
        published_promises()
        .with_parties()
        .select_related("agreement")
        .order_by("-valid_from", "pk")
    )
    serializer_class = serializers.PromiseSerializer
    filterset_class = filters.PromiseFilterSet
    lookup_field = "slug"


class FocusAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The focus areas of published promises."""

    queryset = (
        FocusArea.objects.filter(promise__in=published_promises())
        .select_related("promise")
        .order_by("promise_id", "order", "pk")
    )
    serializer_class = serializers.FocusAreaSerializer
    filterset_class = filters.FocusAreaFilterSet


def _latest_published_status():
    """Each commitment's status row in the latest published round of its promise."""
    return CommitmentStatus.objects.filter(
        commitment=OuterRef("pk"), round__in=FollowUpRound.objects.published()
    ).order_by("-round__year", "-round__quarter")


class CommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The commitments of published promises, with who carries them out and how they stand."""

    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet

    def get_queryset(self):
        latest = _latest_published_status()
        return (
            Commitment.objects.filter(promise__in=published_promises())
            .select_related("promise")
            .prefetch_related(Prefetch("owners", queryset=Party.objects.order_by("kind", "name")))
            .annotate(
                latest_status=Subquery(latest.values("status")[:1]),
                latest_progress=Subquery(latest.values("progress")[:1]),
                latest_year=Subquery(latest.values("round__year")[:1]),
                latest_quarter=Subquery(latest.values("round__quarter")[:1]),
                latest_round=Subquery(latest.values("round_id")[:1]),
            )
            .order_by("promise_id", "order", "pk")
        )


class FollowUpRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Published quarterly follow-up rounds of published promises."""

    queryset = (
        FollowUpRound.objects.published()
        .select_related("promise")
        .order_by("promise_id", "year", "quarter")
    )
    serializer_class = serializers.FollowUpRoundSerializer
    filterset_class = filters.FollowUpRoundFilterSet


class CommitmentStatusViewSet(viewsets.ReadOnlyModelViewSet):
    """How each commitment stood in each published follow-up round."""

    queryset = (
        CommitmentStatus.objects.filter(round__in=FollowUpRound.objects.published())
        .select_related("round__promise")
        .order_by("round__promise_id", "round__year", "round__quarter", "commitment_id")
    )
    serializer_class = serializers.CommitmentStatusSerializer
    filterset_class = filters.CommitmentStatusFilterSet


class SurveyResultViewSet(viewsets.ReadOnlyModelViewSet):
    """The results of published safety surveys (trygghetsmätningar)."""

    queryset = (
        SurveyResult.objects.public()
        .select_related("survey__area", "indicator")
        .order_by("survey__area__name", "survey__year", "indicator__order", "indicator", "group")
    )
    serializer_class = serializers.SurveyResultSerializer
    filterset_class = filters.SurveyResultFilterSet


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
