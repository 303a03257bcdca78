from django.urls import path

from . import views

app_name = "situation"

urlpatterns = [
    path("kommun/<slug:slug>/trygghet/", views.survey_detail, name="survey_detail"),
    path(
        "kommun/<slug:slug>/lagesbild/", views.municipality_situation, name="municipality_situation"
    ),
    path("lagesbild/<int:pk>/", views.picture_detail, name="picture_detail"),
    path("lagesbild/problem/<int:pk>/", views.problem_detail, name="problem_detail"),
]
