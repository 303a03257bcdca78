"""Generated hostile input for the API's filters: never a 500, only 200, 400 or 404."""

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.models import FollowUpRound
from tests.factories import (
    make_municipality,
    make_police_area,
    make_promise,
    make_round,
    make_safety_survey,
)
from tests.site.test_properties import GENERATED, RAW_QUERIES, VALUES

ENDPOINTS = {
    "/api/v1/municipalities/": ["county", "police_area", "police_region"],
    "/api/v1/police-areas/": ["police_region"],
    "/api/v1/promises/": ["municipality", "police_area", "county", "police_region", "period"],
    "/api/v1/themes/": [],
    "/api/v1/focus-areas/": ["promise", "theme", "year"],
    "/api/v1/commitments/": ["focus_area", "status", "theme", "promise"],
    "/api/v1/followup-rounds/": ["year", "quarter", "theme"],
    "/api/v1/statuses/": ["round", "commitment", "year", "quarter", "status"],
    "/api/v1/survey-results/": ["municipality", "police_area", "year", "indicator", "group"],
    "/api/v1/overview/counties/": ["theme"],
    "/api/v1/promises/norrby-lofte/": [],
    "/api/v1/municipalities/9701/": [],
    "/api/v1/schema/": ["lang"],
}
COMMON = ["page", "page_size", "format", "ordering"]


@pytest.fixture
def site(db):
    municipality = make_municipality(slug="norrby", municipality_code="9701")
    promise = make_promise(parties=[municipality, make_police_area()], slug="norrby-lofte")
    make_round(promise, state=FollowUpRound.State.PUBLISHED)
    make_safety_survey(area=municipality)


@settings(GENERATED, max_examples=50)
@given(endpoint=st.sampled_from(sorted(ENDPOINTS)), data=st.data())
def test_the_api_answers_any_query_without_a_500(site, endpoint, data):
    client = Client(raise_request_exception=False)
    names = ENDPOINTS[endpoint] + COMMON
    query = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=4))
    response = client.get(endpoint, query)
    assert response.status_code in (200, 400, 404), (endpoint, query, response.status_code)
    raw = data.draw(RAW_QUERIES)
    assert client.get(f"{endpoint}?{raw}").status_code < 500, (endpoint, raw)
