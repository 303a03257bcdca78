"""Security events are JSON lines on stdout, each with the id of its request."""

import io
import json
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from promises import services
from promises.models import Membership, Promise
from security.logging import JSONFormatter
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_user,
)


class JSONLines:
    """The security logger's lines, as the console handler of settings.LOGGING writes them."""

    def __enter__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JSONFormatter())
        logging.getLogger("security").addHandler(self.handler)
        return self

    def __exit__(self, *exc_info):
        logging.getLogger("security").removeHandler(self.handler)

    @property
    def text(self):
        return self.stream.getvalue()

    def events(self):
        return [json.loads(line) for line in self.text.splitlines()]


def test_the_console_writes_json_to_stdout():
    console = settings.LOGGING["handlers"]["console"]
    assert console["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["formatters"][console["formatter"]]["()"] is not None


class SecurityEventTests(TestCase):
    def setUp(self):
        # Made here, not in setUpTestData: the password is then hashed with the tests' fast
        # hasher, which tests/conftest.py sets only from test to test.
        self.user = make_user("samordnare", is_staff=True)  # password "secret"

    def test_a_failed_login_is_a_json_line_with_the_request_id_and_no_password(self):
        with JSONLines() as log:
            response = self.client.post(
                "/admin/login/", {"username": "samordnare", "password": "hemligt-fel-123"}
            )
        (event,) = log.events()
        self.assertEqual(event["event"], "login_failed")
        self.assertEqual(event["user"], "samordnare")
        self.assertEqual(event["ip"], "127.0.0.1")
        self.assertEqual(event["request_id"], response["X-Request-ID"])
        self.assertNotIn("hemligt-fel-123", log.text)

    def test_a_login_and_a_lockout_are_logged(self):
        with JSONLines() as log:
            self.client.post("/admin/login/", {"username": "samordnare", "password": "secret"})
            for _ in range(5):
                self.client.post("/admin/login/", {"username": "x", "password": "wrong"})
        names = [event["event"] for event in log.events()]
        self.assertEqual(names[0], "login_succeeded")
        self.assertIn("lockout", names)
        self.assertNotIn("wrong", log.text)

    def test_a_permission_denied_is_logged(self):
        self.client.force_login(self.user)  # staff, but without any permission
        with JSONLines() as log:
            response = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertEqual(response.status_code, 403)
        events = [e for e in log.events() if e["event"] == "permission_denied"]
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["user"], "samordnare")
        self.assertEqual(events[0]["path"], "/admin/auth/user/")

    def test_a_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(self):
        response = self.client.get("/robots.txt", HTTP_X_REQUEST_ID="3f2a9c1e0b7d4e5f")
        self.assertEqual(response["X-Request-ID"], "3f2a9c1e0b7d4e5f")
        response = self.client.get("/robots.txt", HTTP_X_REQUEST_ID='x" "event": "fake')
        self.assertRegex(response["X-Request-ID"], re.compile(r"^[0-9a-f]{32}$"))


class WorkflowEventTests(TestCase):
    def test_each_workflow_step_is_logged_with_user_object_and_transition(self):
        municipality = make_municipality()
        coordinator = make_member(municipality, Membership.Role.COORDINATOR)
        promise = make_promise(
            parties=[municipality, make_police_area()],
            status=Promise.Status.DRAFT,
            published_at=None,
        )
        make_commitment(promise)
        with JSONLines() as log, self.captureOnCommitCallbacks(execute=True):
            services.submit_for_review(promise=promise, user=coordinator)
        (event,) = log.events()
        self.assertEqual(event["event"], "workflow_step")
        self.assertEqual(event["transition"], "submit")
        self.assertEqual(event["user"], coordinator.username)
        self.assertEqual((event["object"], event["object_id"]), ("promises.Promise", promise.pk))
        self.assertEqual((event["source"], event["target"]), ("draft", "in_review"))

    def test_a_step_the_user_may_not_take_is_logged(self):
        municipality = make_municipality()
        viewer = make_member(municipality, Membership.Role.VIEWER)
        promise = make_promise(parties=[municipality], status=Promise.Status.DRAFT)
        with JSONLines() as log, self.assertRaises(PermissionDenied):
            services.submit_for_review(promise=promise, user=viewer)
        self.assertEqual(log.events()[0]["event"], "workflow_step_denied")
