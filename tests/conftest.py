from contextlib import contextmanager

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.tasks import task_backends
from django.test import override_settings
from django.utils import translation

from caching.local import forget_copies
from caching.templatetags.precomputed import forget_chrome
from followup import fragments as followup_fragments
from situation import fragments as situation_fragments

IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"


@contextmanager
def task_backend(backend):
    """Tasks run on this backend meanwhile (Django keeps its task backends once made, and does
    not make them anew when TASKS is overridden)."""

    def reset():
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)

    with override_settings(TASKS={"default": {"BACKEND": backend}}):
        reset()
        try:
            yield task_backends["default"]
        finally:
            reset()
    reset()


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """For the whole session, so that users made in setUpTestData get the fast hasher too."""
    with (
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            SECURE_SSL_REDIRECT=False,
            # Tests log staff in with force_login; tests/security turns the second factor back on.
            MFA_REQUIRED=False,
        ),
        task_backend(IMMEDIATE_TASKS),
    ):
        # Tasks run at once, as in development; tests of the worker use the database backend.
        yield


@pytest.fixture(autouse=True)
def _own_opendata_files(settings, tmp_path):
    """The whole-country files a test stores are its own."""
    settings.OPENDATA_ROOT = tmp_path / "opendata"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages or fragments: its database starts afresh, the
    cache would not; nor the chrome, copies and ids a process keeps (a copy of an earlier test's
    page could match stamps made under the same frozen clock)."""
    cache.clear()
    forget_chrome()
    forget_copies()
    # A round's promise and a survey's area, kept per process as they never change: in tests,
    # whose databases start afresh, the same id names another row.
    followup_fragments._promise_of_round.cache_clear()
    situation_fragments._area_of_survey.cache_clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Swedish, the default, whatever an earlier test's request activated,
    and leaves it so: the next class's setUpTestData runs before this fixture does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
