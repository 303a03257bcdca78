"""Whole-country downloads, stored as files and built again when the public data changes.

A whole-country file holds the data of one *generation* of the public data: a number in the
shared cache that every write residents could see moves on (caching.pages). It is stored under
OPENDATA_ROOT with its dataset, language and generation in its name, so a download only has to
look for the file of the current generation: when there is one it is served as it is; else the
first request after the change builds it, and `manage.py export_opendata` can build them ahead.
One worker at a time builds a file (a lock in the shared cache); a request that comes meanwhile
gets the data streamed from the database, as a per-municipality download does. A file is never
older than the generation it is served for.

A file is written under a temporary name and renamed into place, so no reader sees half of one;
the files of earlier generations are removed then (a reader that opened one keeps reading it).
"""

import datetime as dt
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from caching.pages import current_generation

from . import formats

logger = logging.getLogger(__name__)

FORMATS = ("csv", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
LICENCE = {
    "name": "CC0 1.0",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
}
# Longer than any build takes; a build that died leaves its lock for this long at most.
BUILD_LOCK_SECONDS = 600


def content(request, dataset, fmt, municipality=None):
    """The download as chunks of text; `request` gives the addresses in it their host."""
    rows = dataset.rows(request, municipality)
    if fmt == "csv":
        return formats.csv_chunks(dataset, rows)
    metadata = {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "municipality": (
            {"name": municipality.name, "code": municipality.municipality_code}
            if municipality
            else None
        ),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "licence": LICENCE,
        "schema": request.build_absolute_uri(reverse("opendata:schema")) + f"#{dataset.slug}",
    }
    return formats.json_chunks(metadata, dataset, rows)


class SiteAddress:
    """Stands in for a request where there is none (the export command): the addresses in the
    files are then on the site's public address, SITE_URL."""

    def build_absolute_uri(self, location):
        return urljoin(settings.SITE_URL, location)


def generation():
    """The current generation of the public data, or None when the shared cache is down."""
    try:
        return current_generation()
    except Exception:
        logger.warning("Cache unreachable; open data is streamed from the database", exc_info=True)
        return None


def last_modified(generation):
    return dt.datetime.fromtimestamp(generation / 1e9, tz=dt.UTC)


def stored_path(dataset, fmt, language, generation):
    return Path(settings.OPENDATA_ROOT) / f"{dataset.slug}.{language}.{generation}.{fmt}"


def build(request, dataset, fmt, language, generation):
    """Writes the file of this generation unless another worker is at it: True if it exists."""
    path = stored_path(dataset, fmt, language, generation)
    lock = f"opendata:build:{path.name}"
    if not cache.add(lock, True, BUILD_LOCK_SECONDS):
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=path.parent, prefix=".", delete=False
        ) as file:
            try:
                file.writelines(content(request, dataset, fmt))
            except BaseException:
                os.unlink(file.name)
                raise
        os.replace(file.name, path)
        for earlier in path.parent.glob(f"{dataset.slug}.{language}.*.{fmt}"):
            if earlier != path:
                earlier.unlink(missing_ok=True)
    finally:
        cache.delete(lock)
    return True


def open_stored(request, dataset, fmt, language, generation):
    """The file of this generation, opened for reading, built first if need be; None while
    another worker builds it."""
    path = stored_path(dataset, fmt, language, generation)
    for _attempt in range(2):
        try:
            return path.open("rb")
        except FileNotFoundError:
            if not build(request, dataset, fmt, language, generation):
                return None
    return None
