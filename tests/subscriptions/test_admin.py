"""Coordinators see how many follow their municipalities and promises; only administrators
see who."""

from django.urls import reverse

from promises.models import Membership
from tests.factories import make_member, make_municipality, make_user

from .helpers import SubscriptionWorld

CHANGELIST = reverse("admin:subscriptions_subscription_changelist")


class SubscriberCountTests(SubscriptionWorld):
    def setUp(self):
        self.subscribe_and_confirm("en@example.org")
        self.subscribe_and_confirm("tva@example.org")
        self.subscribe_and_confirm("tva@example.org", lofte=self.promise.slug)
        self.subscribe("obekraftad@example.org")  # unconfirmed: not counted

    def test_a_coordinator_sees_counts_and_no_address(self):
        coordinator = make_member(self.municipality, Membership.Role.COORDINATOR)
        self.client.force_login(coordinator)
        with self.assertNumQueries(9):
            response = self.client.get(CHANGELIST)
        self.assertContains(response, f"<td>{self.municipality.name}</td><td>2</td>", html=True)
        self.assertContains(response, f"<td>{self.promise.title}</td><td>1</td>", html=True)
        self.assertNotContains(response, "@example.org")
        subscription = self.municipality.subscriptions.first()
        url = reverse("admin:subscriptions_subscription_change", args=[subscription.pk])
        assert self.client.get(url).status_code == 403
        subscribers = reverse("admin:subscriptions_subscriber_changelist")
        assert self.client.get(subscribers).status_code == 403

    def test_a_coordinator_of_another_municipality_sees_none_of_them(self):
        self.client.force_login(make_member(make_municipality(), Membership.Role.COORDINATOR))
        response = self.client.get(CHANGELIST)
        self.assertNotContains(response, self.municipality.name)

    def test_police_and_viewers_see_nothing(self):
        for role, party in [
            (Membership.Role.POLICE, self.police_area),
            (Membership.Role.VIEWER, self.municipality),
        ]:
            self.client.force_login(make_member(party, role))
            assert self.client.get(CHANGELIST).status_code == 403

    def test_an_administrator_sees_the_addresses(self):
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        self.assertContains(self.client.get(CHANGELIST), "tva@example.org")
        subscribers = reverse("admin:subscriptions_subscriber_changelist")
        self.assertContains(self.client.get(subscribers), "obekraftad@example.org")
