"""Rows of a dataset as CSV or JSON text, in chunks of many rows.

Each column is converted by a function chosen once from its declared type, not by asking every
cell what it is: at a few hundred thousand rows the per-cell work is most of a download's cost.
"""

import csv
import io
import json
from functools import lru_cache

from django.utils import timezone

from .registry import ColumnType

# Lists (e.g. several municipalities) share one CSV cell.
LIST_SEPARATOR = "; "
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows per chunk handed to the response or the file: one write each, not one per row.
ROWS_PER_CHUNK = 2000


def _unless_none(convert):
    return lambda value: None if value is None else convert(value)


def _datetime():
    # Many rows share a time (a round's publication), and localtime() is slow: remember them.
    isoformat = lru_cache(maxsize=4096)(lambda value: timezone.localtime(value).isoformat())
    return _unless_none(isoformat)


def _safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # texts are written by editors; a download runs nothing
    return value


# JSON has no decimal type; survey values (one decimal place) survive a float unchanged.
_decimal = _unless_none(float)
_date = _unless_none(lambda value: value.isoformat())

# A converter per column type, made afresh per download (the datetime one remembers values);
# None means the value is written as it is.
_JSON = {
    ColumnType.DECIMAL: lambda: _decimal,
    ColumnType.DATE: lambda: _date,
    ColumnType.DATETIME: _datetime,
}
_CSV = {
    **_JSON,
    ColumnType.BOOLEAN: lambda: _unless_none(lambda value: "true" if value else "false"),
    ColumnType.TEXT: lambda: _safe_text,
    ColumnType.URL: lambda: _safe_text,
    ColumnType.LIST: lambda: _unless_none(lambda value: _safe_text(LIST_SEPARATOR.join(value))),
}


def _converters(dataset, by_type):
    return [(column.name, by_type.get(column.type, lambda: None)()) for column in dataset.columns]


def _values(row, converters):
    return [row[name] if convert is None else convert(row[name]) for name, convert in converters]


def _chunked(rows):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == ROWS_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_chunks(dataset, rows):
    converters = _converters(dataset, _CSV)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # None is written as an empty cell
    writer.writerow(dataset.column_names)
    for chunk in _chunked(rows):
        writer.writerows([_values(row, converters) for row in chunk])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()  # the header of a dataset without rows


def json_chunks(metadata, dataset, rows):
    """One JSON object: the metadata and a "rows" array, a row per line."""
    converters = _converters(dataset, _JSON)
    names = dataset.column_names
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = json.dumps({**metadata, "rows": []}, ensure_ascii=False)
    separator = "\n"
    yield head[: -len("[]}")] + "["
    for chunk in _chunked(rows):
        records = (dict(zip(names, _values(row, converters), strict=True)) for row in chunk)
        yield separator + ",\n".join(map(encode, records))
        separator = ",\n"
    yield "\n]}\n"
