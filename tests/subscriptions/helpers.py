import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Membership
from tests.factories import (
    make_commitment,
    make_member,
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
)

State = FollowUpRound.State


def link_path(text, kind):
    """The path of the first link of a kind ("bekrafta", "hantera", "avsluta") in a text."""
    url = re.search(rf"https?://\S+/{kind}/\S+/", text).group(0)
    return urlsplit(url).path


class SubscriptionWorld(TestCase):
    """A municipality with a published promise of two commitments, a published first round
    and an approved second one that the police can publish."""

    @classmethod
    def setUpTestData(cls):
        cls.municipality = make_municipality()
        cls.police_area = make_police_area()
        cls.promise = make_promise(parties=[cls.municipality, cls.police_area])
        cls.first = make_commitment(cls.promise, text="Fler vuxna ute på kvällarna")
        cls.second = make_commitment(cls.promise, text="Bättre belysning i parken")
        year = cls.promise.valid_from.year
        cls.round_1 = make_round(cls.promise, year, 1, state=State.PUBLISHED)
        cls.round_2 = make_round(
            cls.promise, year, 2, state=State.APPROVED, summary="Belysningen är klar."
        )
        CommitmentStatus.objects.filter(round=cls.round_2, commitment=cls.second).update(
            status=CommitmentStatus.Status.DONE
        )
        cls.police = make_member(cls.police_area, Membership.Role.POLICE)

    def subscribe(self, email="boende@example.org", **target):
        target = target or {"kommun": self.municipality.slug}
        query = "&".join(f"{key}={value}" for key, value in target.items())
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                f"{reverse('subscriptions:subscribe')}?{query}", {"email": email}
            )

    def subscribe_and_confirm(self, email="boende@example.org", **target):
        before = len(mail.outbox)
        self.subscribe(email, **target)
        path = link_path(mail.outbox[before].body, "bekrafta")
        response = self.client.post(path)
        assert response.status_code == 200, response.content
        return path

    def publish(self, round_):
        self.client.force_login(self.police)
        url = reverse("admin:followup_followupround_transition", args=[round_.pk, "publish"])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.client.logout()
        assert response.status_code == 302, response.content
        return response
