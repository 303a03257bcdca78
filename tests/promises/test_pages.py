"""Other apps add to the promise pages through promises.pages, and the views gather it."""

from unittest import mock

import pytest
from django.urls import reverse

from promises import pages
from tests.factories import make_promise


def test_followup_and_situation_register_what_the_pages_show():
    providers = {page: [p.__module__ for p in found] for page, found in pages._providers.items()}
    assert providers == {
        "home": ["followup.pages"],
        "archive": ["followup.pages"],
        "promise_detail": ["situation.pages", "followup.pages"],
        "municipality_detail": ["reports.pages"],
    }


def test_a_page_that_does_not_exist_is_refused():
    with pytest.raises(ValueError):
        pages.register("promise_list", lambda: {})


def test_context_merges_what_every_provider_returns():
    with mock.patch.dict(
        pages._providers, {"archive": [lambda promises: {"a": promises}, lambda promises: {"b": 2}]}
    ):
        assert pages.context("archive", promises=[1]) == {"a": [1], "b": 2}


@pytest.mark.django_db
def test_the_promise_page_view_passes_the_providers_context_to_its_template(client):
    promise = make_promise()
    response = client.get(reverse("promises:promise_detail", args=[promise.slug]))
    assert response.context["followup"].latest_round is None
    assert response.context["evidence"] == {}
