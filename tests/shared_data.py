"""Test data built once for many tests, as Django's TestCase.setUpTestData does, for pytest."""

import copy
import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import transaction

# A day the demo data and tests with fixed dates are written for, to travel to with
# time_machine: the demo's Q3 2026 follow-up round is overdue then, its Q4 not yet due.
TEST_DAY = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


@contextmanager
def built_once(django_db_blocker, build):
    """Gives build()'s data, written in a transaction that is rolled back at the end.

    Meant for a module-scoped fixture: each test's own transaction (pytest-django's django_db)
    is a savepoint inside this one, so what a test writes is undone after it and the next test
    finds the data as built. Tests that change the Python objects get a copy.deepcopy() of
    them, as setUpTestData gives. Not for transactional tests (django_db(transaction=True)):
    they would empty the tables.
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


def world_fixtures(build):
    """The fixtures `module_world` (build() once per module, rolled back at its end) and
    `world` (a deep copy of it for each test), for a test module to assign at its top level:

        module_world, world = world_fixtures(World)
    """

    @pytest.fixture(scope="module", name="module_world")
    def module_world(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker, build) as data:
            yield data

    @pytest.fixture(name="world")
    def world(module_world, db):
        return copy.deepcopy(module_world)

    return module_world, world
