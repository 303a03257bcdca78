"""Every admin page of every registered model opens without a server error, for every role.

The pages (list, add, and an object's change, history and delete confirmation) are opened as
the demo's superuser, coordinator, police and viewer. Refusals (302 to the login page, 403,
404) are fine here: who may do what is the permission matrices' business.
"""

import datetime as dt
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from followup.models import FollowUpReminder
from outbox.delivery import send_queued
from outbox.models import Message
from promises.models import Promise
from subscriptions.models import Subscriber, Subscription, Update
from tests.conftest import task_backend
from tests.factories import make_action_plan
from tests.shared_data import built_once

USERNAMES = ["admin", "samordnare-olofstrom", "polis-karlshamn", "lasare-olofstrom"]
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _objects():
    """One object per registered model, one the coordinator may see where there is one."""
    call_command("load_demo", with_users=True, stdout=StringIO())
    # What the demo has none of, for Olofström, whose coordinator and viewer are demo accounts.
    promise = Promise.objects.get(slug="olofstrom-barn-och-unga")
    (municipality,) = promise.municipalities()
    make_action_plan(municipality=municipality)
    FollowUpReminder.objects.create(
        promise=promise,
        year=2026,
        quarter=3,
        kind=FollowUpReminder.Kind.OVERDUE,
        sent_on=dt.date(2026, 11, 2),
        recipients="samordnare-olofstrom@example.org",
    )
    # A lockout and its log, and a second factor, as a security officer would find them.
    superuser = User.objects.get(username="admin")
    AccessAttempt.objects.create(
        username="samordnare-olofstrom", ip_address="192.0.2.1", failures_since_start=5
    )
    AccessLog.objects.create(username="admin", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="samordnare-olofstrom", ip_address="192.0.2.1")
    TOTPDevice.objects.create(user=superuser, name="Telefon")
    # Mail waiting for the worker, its task, and a subscriber with news.
    Message.objects.create(key="smoke", to="boende@example.org", subject="Hej", body="Text")
    with task_backend("django_tasks_db.DatabaseBackend"):
        send_queued.enqueue(["smoke"])
    subscriber = Subscriber.objects.create(email="boende@example.org", language="sv")
    Subscription.objects.create(subscriber=subscriber, municipality=municipality)
    Update.objects.create(kind=Update.Kind.PROMISE_PUBLISHED, promise=promise)
    StaticDevice.objects.create(user=superuser, name="Reservkoder")
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="samordnare-olofstrom")
    objects = {}
    for model, model_admin in admin.site._registry.items():
        objects[model] = model_admin.get_queryset(request).first() or model._default_manager.first()
    return objects


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, _objects) as objects:
        yield objects


def _urls(model, obj):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield reverse(f"{info}_changelist")
    yield reverse(f"{info}_add")
    for view in ("change", "history", "delete"):
        yield reverse(f"{info}_{view}", args=[obj.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERNAMES)
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_admin_page_opens(client, objects, model, username):
    obj = objects[model]
    assert obj is not None, f"no {model._meta.label} to open"
    client.force_login(User.objects.get(username=username))
    for url in _urls(model, obj):
        assert client.get(url).status_code < 500, url
