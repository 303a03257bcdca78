from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("skickat/", views.sent, name="sent"),
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("hantera/<str:token>/", views.manage, name="manage"),
    path("avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
