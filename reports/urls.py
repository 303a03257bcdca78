from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("fel-pa-sidan/", views.error_report, name="error_report"),
    path("otrygg-plats/", views.unsafe_place_report, name="unsafe_place_report"),
    path("battre/<str:token>/", views.feels_better, name="feels_better"),
]
