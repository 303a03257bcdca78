"""E-mail goes out in the background, once per message, and is retried when sending fails."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import delivery
from outbox.delivery import Draft, queue, send_queued
from outbox.models import Message
from tests.conftest import task_backend

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


def run_worker():
    """What `manage.py db_worker` does in production, until the queue is empty. Between tasks
    the worker closes connections it thinks stale, which in a test's transaction is the
    test's own (on PostgreSQL): that is left out here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            verbosity=0,
            stdout=StringIO(),
        )


def draft(n=1, **overrides):
    return Draft(
        **{
            "key": f"test:{n}",
            "to": f"person{n}@example.org",
            "subject": "Hello",
            "body": "Text",
            **overrides,
        }
    )


class DatabaseBackendTests(TestCase):
    def test_queueing_sends_nothing_and_the_worker_sends_it(self):
        with task_backend(DATABASE_TASKS), self.captureOnCommitCallbacks(execute=True):
            queue([draft(1), draft(2)])
        with task_backend(DATABASE_TASKS):
            assert mail.outbox == []
            assert DBTaskResult.objects.count() == 1
            run_worker()
        assert sorted(m.to[0] for m in mail.outbox) == [
            "person1@example.org",
            "person2@example.org",
        ]
        message = Message.objects.get(key="test:1")
        # Once sent, only the key and the time are kept.
        assert message.sent_at and message.to == "" and message.body == ""

    def test_a_task_that_runs_twice_sends_each_message_once(self):
        with self.captureOnCommitCallbacks(execute=True):
            queue([draft(1)])
        assert len(mail.outbox) == 1
        assert send_queued.call(["test:1"]) == 0
        with self.captureOnCommitCallbacks(execute=True):
            queue([draft(1, body="Again")])  # the same key queued again
        assert len(mail.outbox) == 1

    def test_a_failure_is_recorded_and_tried_again_later(self):
        with (
            task_backend(DATABASE_TASKS),
            mock.patch.object(delivery, "_email", side_effect=OSError("mail server down")),
        ):
            with self.captureOnCommitCallbacks(execute=True):
                queue([draft(1)])
            with self.captureOnCommitCallbacks(execute=True):
                run_worker()
        message = Message.objects.get()
        assert (message.attempts, message.sent_at) == (1, None)
        assert "mail server down" in message.last_error
        retry = DBTaskResult.objects.filter(status="READY").get()
        assert retry.run_after is not None
        assert mail.outbox == []
        # The worker runs the retry once it is due; this time the server answers.
        with task_backend(DATABASE_TASKS):
            DBTaskResult.objects.update(run_after=timezone.now())
            run_worker()
        assert len(mail.outbox) == 1

    def test_gives_up_after_the_last_attempt(self):
        queue([draft(1)])
        Message.objects.update(attempts=delivery.MAX_ATTEMPTS)
        assert send_queued.call(["test:1"]) == 0
        assert mail.outbox == []

    def test_the_command_hands_unsent_messages_to_the_worker_again(self):
        queue([draft(1)])  # never committed here, so never handed over
        out = StringIO()
        call_command("send_queued_mail", stdout=out)
        assert "1 message" in out.getvalue()
        assert len(mail.outbox) == 1

    def test_a_line_break_in_a_subject_is_folded(self):
        with self.captureOnCommitCallbacks(execute=True):
            queue([draft(1, subject="Two\nlines")])
        assert mail.outbox[0].subject == "Two lines"


class PruneTests(TestCase):
    def test_sent_records_and_abandoned_messages_go_after_30_days(self):
        queue([draft(1), draft(2), draft(3)])
        send_queued.call(["test:1"])
        Message.objects.filter(key="test:2").update(attempts=delivery.MAX_ATTEMPTS)
        month_ago = timezone.now() - dt.timedelta(days=31)
        Message.objects.update(created_at=month_ago)
        Message.objects.exclude(sent_at=None).update(sent_at=month_ago)
        call_command("prune_outbox", stdout=StringIO())
        # The one still waiting with tries left stays.
        assert list(Message.objects.values_list("key", flat=True)) == ["test:3"]
