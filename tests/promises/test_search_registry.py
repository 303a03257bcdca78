"""Apps add search sources and filters with a plain register() call, and cannot replace
another app's."""

from unittest import mock

import pytest
from django import forms

from promises import search


def test_every_app_registers_its_sources_in_its_search_module():
    assert list(search.SOURCES) == ["promise", "focus_area", "commitment", "followup"]
    assert list(search.FILTERS) == ["status"]


def test_a_source_cannot_be_registered_twice():
    with mock.patch.dict(search.SOURCES), pytest.raises(ValueError):
        search.register(search.SOURCES["commitment"])


def test_a_filter_cannot_be_registered_twice():
    with mock.patch.dict(search.FILTERS), pytest.raises(ValueError):
        search.register_filter(
            "status", lambda: forms.CharField(required=False), narrow=lambda s, rows, v: rows
        )
