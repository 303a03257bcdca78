import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.OPENDATA_ROOT = tmp_path / "opendata"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached pages: its database starts afresh, the cache would not."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Swedish, the default, whatever an earlier test's request activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
