"""The test settings of tests/conftest.py hold for the whole session, set-up included."""

from django.test import TestCase

from promises.models import Membership
from tests.factories import make_member, make_municipality


class SessionSettingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_member(make_municipality(), Membership.Role.COORDINATOR)

    def test_users_made_in_set_up_test_data_get_the_fast_hasher(self):
        assert self.user.password.startswith("md5$")
