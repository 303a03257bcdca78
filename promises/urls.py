from django.urls import path

from . import views

app_name = "promises"

urlpatterns = [
    path("", views.home, name="home"),
    path("hitta-kommun/", views.municipality_find, name="municipality_find"),
    path("sok/", views.search, name="search"),
    path("arkiv/", views.archive, name="archive"),
    path("kommun/<slug:slug>/", views.municipality_detail, name="municipality_detail"),
    path("overenskommelse/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("lofte/<slug:slug>/", views.promise_detail, name="promise_detail"),
    path("lofte/<slug:slug>/kort/", views.promise_card, name="promise_card"),
]
