"""Signed-in sessions end after 30 minutes idle and 12 hours in all; residents get none."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import TestCase

from security.middleware import LOGGED_IN_AT
from tests.factories import make_user

ADMIN = "/admin/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class SessionTimeoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user(is_staff=True, is_superuser=True)

    def test_thirty_minutes_idle_logs_out(self):
        with time_machine.travel(START, tick=False) as clock:
            self.client.force_login(self.user)
            self.assertEqual(self.client.get(ADMIN).status_code, 200)
            clock.shift(dt.timedelta(minutes=31))
            with self.assertLogs("security") as logs:
                response = self.client.get(ADMIN)
        self.assertRedirects(response, "/admin/login/?next=/admin/")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual([r.reason for r in logs.records if r.event == "session_expired"], ["idle"])

    def test_activity_keeps_the_session(self):
        with time_machine.travel(START, tick=False) as clock:
            self.client.force_login(self.user)
            for _ in range(4):
                clock.shift(dt.timedelta(minutes=25))
                self.assertEqual(self.client.get(ADMIN).status_code, 200)

    def test_twelve_hours_after_logging_in_the_session_ends_even_if_active(self):
        with time_machine.travel(START, tick=False) as clock:
            self.client.force_login(self.user)
            session = self.client.session
            session[LOGGED_IN_AT] -= 12 * 3600 - 60  # logged in 11 h 59 min ago
            session.save()
            self.assertEqual(self.client.get(ADMIN).status_code, 200)
            clock.shift(dt.timedelta(minutes=2))
            self.assertEqual(self.client.get(ADMIN).status_code, 302)

    def test_residents_get_no_session_and_pages_stay_cacheable(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("sessionid", response.cookies)
        self.assertNotIn("Cookie", response.get("Vary", ""))


def test_a_password_needs_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("Tq7#mX2pLw9")  # 11 characters
    validate_password("Tq7#mX2pLw9z")
