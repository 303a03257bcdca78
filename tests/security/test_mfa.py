"""Staff need a second factor for the admin when settings.MFA_REQUIRED (production)."""

import logging
import os
import subprocess
import sys

from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

ADMIN = "/admin/"
VERIFY = "/admin/mfa/"
ENROL = "/admin/mfa/enrol/"


def current_code(device):
    device.refresh_from_db()
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


class SecondFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("samordnare", is_staff=True, is_superuser=True)

    def setUp(self):
        # Hashed with the tests' fast hasher, which tests/conftest.py sets only from here on.
        self.user.set_password("secret")
        self.user.save()
        # After tests/conftest.py, which turns the requirement off for the rest of the suite.
        self.enterContext(override_settings(MFA_REQUIRED=True))

    def _with_device(self):
        return TOTPDevice.objects.create(user=self.user, name="TOTP", confirmed=True)

    def test_password_login_leads_to_the_second_factor(self):
        response = self.client.post(
            "/admin/login/?next=/admin/auth/user/",
            {"username": "samordnare", "password": "secret", "next": "/admin/auth/user/"},
        )
        self.assertRedirects(
            response, f"{VERIFY}?next=%2Fadmin%2Fauth%2Fuser%2F", fetch_redirect_response=False
        )

    def test_staff_without_a_device_are_sent_to_enrolment(self):
        self.client.force_login(self.user)
        response = self.client.get(ADMIN, follow=True)
        self.assertEqual(response.redirect_chain[-1][0], f"{ENROL}?next=%2Fadmin%2F")
        self.assertContains(response, "<svg")
        self.assertContains(response, "Ställ in tvåstegsverifiering")

    def test_unverified_staff_do_not_reach_admin_pages(self):
        self._with_device()
        self.client.force_login(self.user)
        response = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            self.client.get(response.url).url, f"{VERIFY}?next=%2Fadmin%2Fauth%2Fuser%2F"
        )

    def test_enrolment_confirms_the_app_and_shows_ten_recovery_codes_once(self):
        self.client.force_login(self.user)
        self.client.get(ENROL)
        device = TOTPDevice.objects.get(user=self.user, confirmed=False)
        response = self.client.post(ENROL, {"code": current_code(device), "next": ADMIN})
        self.assertContains(response, "återställningskoder")
        codes = StaticToken.objects.filter(device__user=self.user)
        self.assertEqual(codes.count(), 10)
        for code in codes:
            self.assertContains(response, code.token)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        # Enrolled: the page no longer offers a new secret, nor new codes.
        self.assertRedirects(self.client.get(ENROL), VERIFY, fetch_redirect_response=False)

    def test_a_verified_totp_code_lets_staff_in(self):
        device = self._with_device()
        self.client.force_login(self.user)
        response = self.client.post(VERIFY, {"code": current_code(device), "next": "/admin/auth/"})
        self.assertRedirects(response, "/admin/auth/")
        self.assertEqual(self.client.get(ADMIN).status_code, 200)

    def test_a_wrong_code_is_refused_and_logged_without_the_code(self):
        self._with_device()
        self.client.force_login(self.user)
        with self.assertLogs("security", logging.WARNING) as logs:
            response = self.client.post(VERIFY, {"code": "000000"})
        self.assertContains(response, "Koden är inte giltig")
        self.assertEqual(self.client.get(ADMIN).status_code, 302)
        (record,) = [r for r in logs.records if r.event == "mfa_failed"]
        self.assertEqual(record.user, "samordnare")
        self.assertNotIn("000000", str(vars(record)))

    def test_a_recovery_code_works_once(self):
        self._with_device()
        recovery = StaticDevice.objects.create(user=self.user, name="Recovery codes")
        StaticToken.objects.create(device=recovery, token="abcd2345")
        self.client.force_login(self.user)
        self.assertRedirects(self.client.post(VERIFY, {"code": "abcd 2345"}), ADMIN)
        self.client.logout()
        self.client.force_login(self.user)
        response = self.client.post(VERIFY, {"code": "abcd2345"})
        self.assertContains(response, "Koden är inte giltig")

    def test_without_the_requirement_staff_need_no_second_factor(self):
        self._with_device()
        self.client.force_login(self.user)
        with override_settings(MFA_REQUIRED=False):
            self.assertEqual(self.client.get(ADMIN).status_code, 200)


def _mfa_required(**environment):
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.MFA_REQUIRED)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "MFA_REQUIRED")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "insecure-key-for-tests-only",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_require_the_second_factor_and_debug_does_not():
    assert _mfa_required() == "True"
    assert _mfa_required(DJANGO_DEBUG="true") == "False"
    assert _mfa_required(DJANGO_DEBUG="true", MFA_REQUIRED="true") == "True"
