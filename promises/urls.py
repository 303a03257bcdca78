from django.urls import path

from . import views

app_name = "promises"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path("lofte/<slug:slug>/", views.promise_detail, name="promise_detail"),
]
