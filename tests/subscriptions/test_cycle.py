"""The whole cycle with the locmem mail backend: subscribe, confirm, a round is published,
one message with working unsubscribe headers, unsubscribe, nothing more."""

import re
from unittest import mock
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Subscriber, Subscription
from tests.conftest import task_backend
from tests.outbox.test_delivery import run_worker

from .helpers import SubscriptionWorld, link_path


class CycleTests(SubscriptionWorld):
    def test_subscribe_confirm_publish_unsubscribe(self):
        response = self.subscribe("Boende@Example.org", lofte=self.promise.slug)
        self.assertRedirects(response, "/prenumerera/skickat/")
        (confirmation,) = mail.outbox
        assert confirmation.to == ["boende@example.org"]
        assert self.promise.title in confirmation.body
        subscription = Subscription.objects.get()
        assert subscription.confirmed_at is None

        # Opening the link shows a button; only pressing it confirms.
        path = link_path(confirmation.body, "bekrafta")
        assert self.client.get(path).status_code == 200
        subscription.refresh_from_db()
        assert subscription.confirmed_at is None
        self.assertContains(self.client.post(path), "bekräftad")
        subscription.refresh_from_db()
        assert subscription.confirmed_at is not None

        mail.outbox.clear()
        self.publish(self.round_2)
        (message,) = mail.outbox
        assert message.to == ["boende@example.org"]
        assert "Belysningen är klar." in message.body
        assert "Bättre belysning i parken: ej påbörjad → klar" in message.body
        assert self.round_2.get_absolute_url() in message.body
        unsubscribe_url = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"])[1]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link_path(message.body, "hantera")

        # RFC 8058: a mail program POSTs once, with no cookie or CSRF token.
        mail_program = Client(enforce_csrf_checks=True)
        response = mail_program.post(
            urlsplit(unsubscribe_url).path,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert not Subscriber.objects.exists()
        # Again: the same answer, nothing more to delete.
        response = mail_program.post(urlsplit(unsubscribe_url).path)
        assert response.status_code == 200

        mail.outbox.clear()
        self.round_2.state = self.round_2.State.APPROVED
        self.round_2.save()
        self.publish(self.round_2)
        assert mail.outbox == []

    def test_publishing_a_round_sends_no_mail_inside_the_request(self):
        self.subscribe_and_confirm()
        mail.outbox.clear()
        with (
            task_backend("django_tasks_db.DatabaseBackend"),
            mock.patch(
                "django.core.mail.backends.locmem.EmailBackend.send_messages",
                side_effect=AssertionError("e-mail sent inside the request"),
            ) as send,
        ):
            self.publish(self.round_2)
            assert not send.called
            assert DBTaskResult.objects.filter(task_path__endswith="deliver_updates").exists()
        assert mail.outbox == []
        # The worker sends it afterwards: the news becomes a digest, the digest an e-mail.
        with task_backend("django_tasks_db.DatabaseBackend"):
            for _task in range(2):
                with self.captureOnCommitCallbacks(execute=True):
                    run_worker()
        assert len(mail.outbox) == 1

    def test_the_manage_page_ends_one_subscription_and_then_the_address(self):
        self.subscribe_and_confirm()
        self.subscribe_and_confirm(lofte=self.promise.slug)
        mail.outbox.clear()
        self.publish(self.round_2)
        (message,) = mail.outbox
        path = link_path(message.body, "hantera")
        response = self.client.get(path)
        self.assertContains(response, self.municipality.name)
        self.assertContains(response, self.promise.title)
        town = Subscription.objects.get(municipality=self.municipality)
        self.assertRedirects(self.client.post(path, {"remove": town.pk}), path)
        assert list(Subscription.objects.values_list("promise", flat=True)) == [self.promise.pk]
        last = Subscription.objects.get()
        self.client.post(path, {"remove": last.pk})
        assert not Subscriber.objects.exists()
        self.assertContains(self.client.get(path), "avregistrerad")

    def test_the_public_pages_link_to_the_subscribe_page_and_stay_cacheable(self):
        for page, query in [
            (self.municipality.get_absolute_url(), f"kommun={self.municipality.slug}"),
            (self.promise.get_absolute_url(), f"lofte={self.promise.slug}"),
        ]:
            response = self.client.get(page)
            self.assertContains(response, f"/prenumerera/?{query}")
            self.assertNotContains(response, "csrfmiddlewaretoken")
            assert "Cookie" not in response.get("Vary", "")
            assert not response.cookies
        response = self.client.get(f"/prenumerera/?kommun={self.municipality.slug}")
        self.assertContains(response, "csrfmiddlewaretoken")
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    def test_english_subscribers_get_english(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/en/prenumerera/?kommun={self.municipality.slug}", {"email": "a@example.org"}
            )
        (confirmation,) = mail.outbox
        assert "To confirm" in confirmation.body
        path = link_path(confirmation.body, "bekrafta")
        assert path.startswith("/en/")
        self.client.post(path)
        mail.outbox.clear()
        self.publish(self.round_2)
        (message,) = mail.outbox
        assert "published" in message.subject.lower() or "News" in message.subject
        assert "Bättre belysning i parken: not started → done" in message.body


class SubscribePageQueryTests(SubscriptionWorld):
    def test_the_subscribe_page_is_cheap(self):
        # The promise, in the request's transaction (a savepoint here).
        with self.assertNumQueries(3):
            response = self.client.get(f"/prenumerera/?lofte={self.promise.slug}")
        assert response.status_code == 200


class PersonalPageTests(SubscriptionWorld):
    def test_pages_opened_from_a_personal_link_are_not_indexed_nor_repeat_the_token(self):
        self.subscribe()
        confirm = link_path(mail.outbox[0].body, "bekrafta")
        pages = [confirm, f"/en{confirm}"]
        self.client.post(confirm)
        mail.outbox.clear()
        self.publish(self.round_2)
        body = mail.outbox[0].body
        pages += [link_path(body, "hantera"), link_path(body, "avsluta")]
        for path in pages:
            response = self.client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            head = html[: html.index("</head>")]
            assert '<meta name="robots" content="noindex">' in head, path
            assert 'rel="canonical"' not in head and "hreflang" not in head, path
            assert 'property="og:url"' not in head, path
            token = path.rstrip("/").rsplit("/", 1)[1]
            assert token not in head, path
        # The public pages keep theirs.
        head = self.client.get(self.promise.get_absolute_url()).content.decode()
        assert 'rel="canonical"' in head and 'name="robots"' not in head
