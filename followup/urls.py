from django.urls import path

from . import feeds, views

app_name = "followup"

urlpatterns = [
    path("lofte/<slug:slug>/uppfoljning/", views.timeline, name="timeline"),
    path(
        "lofte/<slug:slug>/uppfoljning/<int:year>-q<int:quarter>/",
        views.round_detail,
        name="round_detail",
    ),
    path("uppfoljning/flode/", feeds.LatestRoundsFeed(), name="feed"),
    path(
        "kommun/<slug:slug>/uppfoljning/flode/",
        feeds.MunicipalityRoundsFeed(),
        name="municipality_feed",
    ),
]
