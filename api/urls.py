"""/api/v1/: outside the language prefixes, since its answers are the same in every language."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


# The overview's figures: views of their own, not resources of the router.
OVERVIEW = {
    "overview/municipalities": "overview-municipalities",
    "overview/counties": "overview-counties",
    "overview/police-regions": "overview-police-regions",
    "overview/years": "overview-years",
}


class Router(DefaultRouter):
    # No ".json" suffixes: JSON is the only format.
    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        """The API's root lists the resources and the overview's figures."""
        names = {
            prefix: self.routes[0].name.format(basename=basename)
            for prefix, _v, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict={**names, **OVERVIEW})


router = Router()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("police-areas", views.PoliceAreaViewSet, basename="police-area")
router.register("promises", views.PromiseViewSet, basename="promise")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("focus-areas", views.FocusAreaViewSet, basename="focus-area")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("followup-rounds", views.FollowUpRoundViewSet, basename="followup-round")
router.register("statuses", views.CommitmentStatusViewSet, basename="status")
router.register("survey-results", views.SurveyResultViewSet, basename="survey-result")

urlpatterns = [
    path("api/v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/v1/schema.yaml", views.YamlSchemaView.as_view(), name="schema_yaml"),
    path(
        "api/v1/overview/municipalities/",
        views.OverviewMunicipalitiesView.as_view(),
        name="overview-municipalities",
    ),
    path(
        "api/v1/overview/counties/",
        views.OverviewCountiesView.as_view(),
        name="overview-counties",
    ),
    path(
        "api/v1/overview/police-regions/",
        views.OverviewPoliceRegionsView.as_view(),
        name="overview-police-regions",
    ),
    path("api/v1/overview/years/", views.OverviewYearsView.as_view(), name="overview-years"),
    path("api/v1/", include(router.urls)),
]
