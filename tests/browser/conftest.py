"""A real Chromium (Debian's, never a downloaded one) against a live server with the demo data."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import modify_settings, override_settings
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One browser for the whole session; each test gets its own context (see `page`)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser tests.")
        pytest.skip(
            f"The browser tests need Chromium at {CHROMIUM} (apt-get install chromium); "
            "outside CI they are skipped without it."
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in this thread, which Django's async
        # safety check takes for async code and would refuse database access from.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture(scope="package")
def site_url(browser, django_db_setup, django_db_blocker):
    """The URL of a live server with the demo data, shared by every test in this package.

    pytest-django's live_server would make each test transactional, and so flush the database
    after each: the demo would be loaded for every test, and with --reuse-db the municipalities
    that a data migration loaded would be gone for the next run. So the demo is loaded once,
    and afterwards the database is put back exactly as it was, as serialized_rollback does.
    """
    with (
        django_db_blocker.unblock(),
        # As in tests/conftest.py, which applies only from test to test: the demo accounts'
        # passwords hash fast, and the server's middleware, which reads its settings once when
        # it starts, does not redirect to HTTPS.
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SECURE_SSL_REDIRECT=False,
        ),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
    ):
        before = connection.creation.serialize_db_to_string()
        call_command("load_demo", with_users=True, stdout=StringIO())
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            # As TransactionTestCase does: sequences keep counting, past the restored rows.
            call_command(
                "flush",
                interactive=False,
                inhibit_post_migrate=True,
                reset_sequences=False,
                verbosity=0,
            )
            connection.creation.deserialize_db_from_string(before)


@pytest.fixture(scope="package")
def browser_context(browser, site_url):
    # One context, as a new one per test costs half a second; `page` clears what a test left.
    # It closes, and with it its open connections to the server, before the server stops.
    context = browser.new_context(locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    page.close()
    browser_context.clear_cookies()
    browser_context.unroute_all()
