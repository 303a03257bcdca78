"""Rows of a dataset as streamed CSV or JSON."""

import csv
import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

# Lists (e.g. several municipalities) share one CSV cell.
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # JSON has no decimal type; survey values (one decimal place) survive a float unchanged.
        return float(value)
    return value


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_chunks(dataset, rows):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(dataset.column_names)
    for row in rows:
        cells = []
        for name in dataset.column_names:
            value = _plain(row[name])
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"  # as in JSON, not Python's True
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = "'" + value  # texts are written by editors; a download runs nothing
            cells.append("" if value is None else value)
        yield writer.writerow(cells)


def json_chunks(metadata, dataset, rows):
    """One JSON object: the metadata and a "rows" array, written a row at a time."""
    head = json.dumps({**metadata, "rows": []}, ensure_ascii=False)
    yield head[: -len("[]}")] + "["
    for index, row in enumerate(rows):
        record = {name: _plain(row[name]) for name in dataset.column_names}
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"
