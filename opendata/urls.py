from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("oppna-data/", views.index, name="index"),
    path("oppna-data/schema/", views.schema, name="schema"),
    path("oppna-data/<slug:dataset>.<str:fmt>", views.download, name="download"),
    path(
        "oppna-data/kommun/<slug:municipality>/<slug:dataset>.<str:fmt>",
        views.download,
        name="municipality_download",
    ),
]
