from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("oversikt/", views.index, name="index"),
    path("oversikt/kommuner/", views.municipalities, name="municipalities"),
]
