import pytest

from api.rest import ClientRateThrottle


@pytest.fixture(autouse=True)
def _no_rate_limit_by_default(monkeypatch):
    """The tests make many requests from one address; the rate limit has a test of its own."""
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"api": "100000/minute"})
