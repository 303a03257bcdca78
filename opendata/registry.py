"""The open-data downloads: a dataset is a documented list of columns and a function giving rows.

An app offers a dataset by calling `register()` in its `datasets.py`, which the opendata app
imports at start-up. The download views, the schema page and the tests take it from there.
One app also calls `register_areas()` there: the municipalities a download can be narrowed to.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnType(models.TextChoices):
    INTEGER = "integer", _("integer")
    DECIMAL = "decimal", _("decimal number with a point as separator, e.g. 23.5")
    BOOLEAN = "boolean", _("true or false")
    TEXT = "text", _("text")
    DATE = "date", _("date, YYYY-MM-DD")
    DATETIME = "datetime", _("date and time, ISO 8601 with UTC offset")
    URL = "url", _("web address")
    LIST = "list", _("list of texts (CSV: separated by “; ”, JSON: an array)")


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str


@dataclass(frozen=True)
class Dataset:
    """`rows(request, municipality)` yields one dict per row, keyed by column name; municipality
    is one of the registered areas or None for the whole country. It must only yield what
    residents may see.

    For the DCAT-AP-SE catalogue (opendata/catalogue.py): `themes`, codes of the EU's data
    themes (JUST, GOVE, SOCI, …), and `period()`, the first and last day the published data
    covers (None while there is none)."""

    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[..., Iterable[dict]]
    themes: tuple[str, ...] = ("JUST", "GOVE")
    period: Callable[[], tuple[dt.date, dt.date] | None] | None = None

    @property
    def column_names(self):
        return [column.name for column in self.columns]


_datasets: dict[str, Dataset] = {}
_areas: list[Callable[[], models.QuerySet]] = []


def register(dataset):
    if dataset.slug in _datasets:
        raise ValueError(f"An open-data dataset called {dataset.slug!r} is already registered.")
    _datasets[dataset.slug] = dataset
    return dataset


def datasets():
    return list(_datasets.values())


def get_dataset(slug):
    return _datasets.get(slug)


def register_areas(municipalities):
    """`municipalities()` gives a QuerySet of the municipalities a download can be narrowed to,
    each with a `slug`, a `name` and a `municipality_code`."""
    if _areas:
        raise ValueError("The areas of the open-data downloads are already registered.")
    _areas.append(municipalities)
    return municipalities


def areas():
    if not _areas:
        raise ImproperlyConfigured("No app registered the areas of the open-data downloads.")
    return _areas[0]()
