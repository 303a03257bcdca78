"""What subscribers receive: at most one message a day, a digest when several things happen,
never anything unpublished."""

import datetime as dt
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from followup.models import FollowUpRound
from promises import announcements, services
from promises.models import Membership, Promise
from subscriptions.models import Subscriber
from tests.factories import make_commitment, make_member, make_promise, make_round

from .helpers import SubscriptionWorld, link_path

State = FollowUpRound.State


class DigestTests(SubscriptionWorld):
    def announce(self, promise, kind, round=None):
        with self.captureOnCommitCallbacks(execute=True):
            announcements.announce(promise, kind, round=round)

    def test_several_things_in_a_day_make_one_message_and_the_rest_waits_a_day(self):
        tomorrow = timezone.now() + dt.timedelta(days=1)
        with time_machine.travel(tomorrow, tick=False):
            self.subscribe_and_confirm()
            mail.outbox.clear()
            self.publish(self.round_2)
            (first,) = mail.outbox
            other = make_promise(parties=[self.municipality, self.police_area], title="Nytt löfte")
            self.announce(other, announcements.PROMISE_PUBLISHED)
            self.announce(self.promise, announcements.PROMISE_REVISED)
            assert len(mail.outbox) == 1  # the day's message has gone already
        with time_machine.travel(tomorrow + dt.timedelta(days=1), tick=False):
            with self.captureOnCommitCallbacks(execute=True):
                call_command("send_subscriber_news", stdout=StringIO())
            assert len(mail.outbox) == 2
            digest = mail.outbox[1]
            assert "2" in digest.subject
            assert "Nytt löfte" in digest.body
            assert self.promise.title in digest.body
            assert "Belysningen är klar." not in digest.body  # told yesterday
            # Running it again the same day sends nothing.
            with self.captureOnCommitCallbacks(execute=True):
                call_command("send_subscriber_news", stdout=StringIO())
            assert len(mail.outbox) == 2
        assert first.subject != digest.subject

    def test_a_newly_published_promise_reaches_its_municipalitys_subscribers_only(self):
        self.subscribe_and_confirm("kommunen@example.org")
        self.subscribe_and_confirm("lofte@example.org", lofte=self.promise.slug)
        mail.outbox.clear()
        promise = make_promise(
            parties=[self.municipality, self.police_area],
            status=Promise.Status.DRAFT,
            published_at=None,
            title="Trygg skolväg",
        )
        make_commitment(promise)
        coordinator = make_member(self.municipality, Membership.Role.COORDINATOR)
        with self.captureOnCommitCallbacks(execute=True):
            services.submit_for_review(promise=promise, user=coordinator)
            services.approve(promise=promise, user=coordinator)
            services.approve(promise=promise, user=self.police)
            services.publish(promise=promise, user=coordinator)
        (message,) = mail.outbox
        assert message.to == ["kommunen@example.org"]
        assert "Trygg skolväg" in message.body

    def test_nothing_unpublished_is_sent(self):
        self.subscribe_and_confirm()
        mail.outbox.clear()
        draft_round = make_round(self.promise, self.promise.valid_from.year, 3)
        self.announce(self.promise, announcements.ROUND_PUBLISHED, round=draft_round)
        archived = make_promise(parties=[self.municipality, self.police_area])
        archived.status = Promise.Status.ARCHIVED
        archived.save()
        self.announce(archived, announcements.PROMISE_PUBLISHED)
        assert mail.outbox == []
        # The news that was left out is not sent later either.
        assert Subscriber.objects.get().last_sent_on is None

    def test_unconfirmed_subscribers_get_nothing(self):
        self.subscribe()
        mail.outbox.clear()
        self.publish(self.round_2)
        assert mail.outbox == []

    def test_news_from_before_the_confirmation_is_not_sent(self):
        self.subscribe()
        self.publish(self.round_2)
        mail.outbox.clear()
        self.subscribe()  # sends the link again
        self.client.post(link_path(mail.outbox[-1].body, "bekrafta"))
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_subscriber_news", stdout=StringIO())
        assert mail.outbox == []
