"""Logins are locked after repeated failures (django-axes), until the cool-off or an admin."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import make_user

LOGIN = "/admin/login/"


class LockoutTests(TestCase):
    def setUp(self):
        # Made here, not in setUpTestData: the password is then hashed with the tests' fast
        # hasher, which tests/conftest.py sets only from test to test.
        self.user = make_user("samordnare", is_staff=True)  # password "secret"

    def _log_in(self, password, username="samordnare", path=LOGIN, **headers):
        data = {"username": username, "password": password, "next": "/admin/"}
        return self.client.post(path, data, **headers)

    def test_fifth_failure_locks_out_with_a_clear_message(self):
        for _ in range(4):
            self.assertEqual(self._log_in("wrong").status_code, 200)
        response = self._log_in("wrong")
        self.assertContains(response, "För många misslyckade försök", status_code=429)
        self.assertContains(response, "15 minuter", status_code=429)

    def test_the_message_is_in_english_on_english_pages(self):
        for _ in range(5):
            response = self._log_in("wrong", path="/en/admin/login/")
        self.assertContains(response, "Too many failed attempts", status_code=429)

    def test_the_right_password_is_refused_while_locked(self):
        for _ in range(5):
            self._log_in("wrong")
        response = self._log_in("secret")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_failures_on_many_accounts_from_one_address_lock_that_address(self):
        for number in range(5):
            self._log_in("wrong", username=f"guess{number}")
        self.assertEqual(self._log_in("secret").status_code, 429)

    def test_another_address_can_still_log_in(self):
        for _ in range(5):
            self._log_in("wrong")
        response = self._log_in("secret", REMOTE_ADDR="192.0.2.7")
        self.assertRedirects(response, reverse("admin:index"))

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_the_address_is_the_one_the_trusted_proxy_saw(self):
        for _ in range(5):
            self._log_in("wrong", HTTP_X_FORWARDED_FOR="198.51.100.1")
        self.assertEqual(
            self._log_in("secret", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code, 429
        )
        # What the client wrote left of the proxy's entry does not change its address.
        self.assertEqual(
            self._log_in("secret", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1").status_code,
            429,
        )
        response = self._log_in("secret", HTTP_X_FORWARDED_FOR="198.51.100.2")
        self.assertRedirects(response, reverse("admin:index"))

    def test_an_administrator_unlocks_with_axes_reset_username_and_ip(self):
        for _ in range(5):
            self._log_in("wrong")
        call_command("axes_reset_ip", "127.0.0.1", stdout=StringIO())
        response = self._log_in("secret")
        self.assertRedirects(response, reverse("admin:index"))
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.user.pk)

    def test_axes_reset_username_unlocks_the_username_at_every_address(self):
        for _ in range(5):
            self._log_in("wrong", username="samordnare")
        call_command("axes_reset_username", "samordnare", stdout=StringIO())
        self.assertRedirects(self._log_in("secret"), reverse("admin:index"))

    def test_the_admin_lists_and_deletes_lockouts(self):
        for _ in range(5):
            self._log_in("wrong")
        admin = User.objects.create_superuser("chef", password="x")
        self.client.force_login(admin)
        response = self.client.get(reverse("admin:axes_accessattempt_changelist"))
        self.assertContains(response, "samordnare")
