"""/api/v1/: outside the language prefixes, since its answers are the same in every language."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


class Router(DefaultRouter):
    # The API's root lists the resources; no ".json" suffixes, JSON is the only format.
    include_format_suffixes = False


router = Router()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("police-areas", views.PoliceAreaViewSet, basename="police-area")
router.register("promises", views.PromiseViewSet, basename="promise")
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("followup-rounds", views.FollowUpRoundViewSet, basename="followup-round")
router.register("statuses", views.CommitmentStatusViewSet, basename="status")
router.register("survey-results", views.SurveyResultViewSet, basename="survey-result")

urlpatterns = [
    path("api/v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/v1/schema.yaml", views.YamlSchemaView.as_view(), name="schema_yaml"),
    path("api/v1/", include(router.urls)),
]
