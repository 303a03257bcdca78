"""Test data built once for many tests, as Django's TestCase.setUpTestData does, for pytest."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def built_once(django_db_blocker, build):
    """Gives build()'s data, written in a transaction that is rolled back at the end.

    Meant for a module-scoped fixture: each test's own transaction (pytest-django's django_db)
    is a savepoint inside this one, so what a test writes is undone after it and the next test
    finds the data as built. Give each test a copy.deepcopy() of the data, as setUpTestData does, so
    that changes a test makes to the Python objects do not reach the next one either.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
