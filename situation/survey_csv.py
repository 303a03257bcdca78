"""The survey CSV format: read, checked and written here for both the commands and the admin.

One row per area, year, indicator, group and value, UTF-8, comma-separated, with this header::

    area,year,indicator,group,value
    1060,2023,oro-brott,all,24.5
    lpo-karlshamn,2023,otrygg-kvall,women-16-29,"41,0"

- ``area``: a municipality's four-digit code (SCB) or a local police area's slug.
- ``year``: the survey year, 1990–2100.
- ``indicator``: an indicator code (see the admin's indicator list).
- ``group``: one of ``all``, ``women``, ``men``, ``16-29``, ``30-49``, ``50-64``, ``65+``,
  ``women-16-29``, ``men-16-29``.
- ``value``: a number from 0 to 100 with at most one decimal; point or comma as decimal sign.

Any line ending will do (LF, CRLF, or CR alone as Excel for Mac's "CSV (Macintosh)" writes it).
A file is at most settings.SURVEY_CSV_MAX_BYTES; a NUL byte or a cell over the csv module's
field size limit is a row error like any other.

Importing is all or nothing: one bad row rejects the file and nothing is written. A survey
missing for an area and year is created unpublished; existing values are replaced.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from promises.models import Membership, Party

from .models import MAX_YEAR, MIN_YEAR, Indicator, SafetySurvey, SurveyGroup, SurveyResult

COLUMNS = ["area", "year", "indicator", "group", "value"]


@dataclass(frozen=True)
class RowError:
    """A problem in one row (the header is row 1) and column of the file."""

    row: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class SurveyCSVError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class ParsedRow:
    area: Party
    year: int
    indicator: Indicator
    group: str
    value: Decimal


@dataclass(frozen=True)
class ImportSummary:
    surveys_created: int
    results_created: int
    results_updated: int
    results_unchanged: int


def too_large(size):
    """The error for a file of `size` bytes, or None when it is small enough to read."""
    limit = settings.SURVEY_CSV_MAX_BYTES
    if size <= limit:
        return None
    return SurveyCSVError(
        [
            RowError(
                1,
                "",
                _("The file is larger than %(limit)d kB; split it into smaller files.")
                % {"limit": limit // 1024},
            )
        ]
    )


def read(handle):
    """The text of an open binary file, read no further than the size limit allows."""
    data = handle.read(settings.SURVEY_CSV_MAX_BYTES + 1)
    if error := too_large(len(data)):
        raise error
    return decode(data)


def decode(data):
    """The text of an uploaded file; Excel's byte-order mark is tolerated."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SurveyCSVError(
            [RowError(1, "", _("The file is not UTF-8 text (%(error)s).") % {"error": error})]
        ) from None


def _allowed_areas(user):
    """Municipalities and police areas the user may import for; everything without a user."""
    areas = Party.objects.filter(kind__in=[Party.Kind.MUNICIPALITY, Party.Kind.POLICE_AREA])
    if user is None:
        return areas
    # Survey results are the coordinators' to write; police and viewers only read them.
    return areas.for_user(user, Membership.Role.COORDINATOR)


ONE_DECIMAL = Decimal("0.1")


def _parse_number(text):
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _read_rows(reader):
    """The rows with their line numbers, and an error for a row the csv module cannot read."""
    rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows, None
        except csv.Error as error:  # a cell over csv.field_size_limit(), a stray quote, …
            # The inner reader's line: DictReader's own is still the previous row's.
            line = reader.reader.line_num
            return rows, RowError(line, "", _("Unreadable row (%(error)s).") % {"error": error})
        rows.append((reader.line_num, row))


def parse(text, *, user=None):
    """The rows of a survey CSV, or SurveyCSVError naming every bad row and column."""
    # newline="": the csv module then splits rows at any line ending, CR alone included.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise SurveyCSVError(
            [RowError(1, "", _("Unreadable row (%(error)s).") % {"error": error})]
        ) from None
    if sorted(header) != sorted(COLUMNS):
        raise SurveyCSVError(
            [
                RowError(
                    1,
                    ", ".join(header),
                    _("The header must name the columns %(columns)s.")
                    % {"columns": ",".join(COLUMNS)},
                )
            ]
        )
    reader.fieldnames = header
    raw_rows, unreadable = _read_rows(reader)
    if unreadable:
        raise SurveyCSVError([unreadable])
    if not raw_rows:
        raise SurveyCSVError([RowError(1, "", _("The file has no data rows."))])

    def cells(column):
        # A NUL byte is the row's error below; PostgreSQL refuses it even in a lookup.
        return {
            value.strip()
            for _line, row in raw_rows
            if (value := row.get(column) or "") and "\x00" not in value
        }

    keys = cells("area")
    areas = {}
    for party in _allowed_areas(user).filter(
        Q(municipality_code__in=keys) | Q(slug__in=keys, kind=Party.Kind.POLICE_AREA)
    ):
        areas[party.municipality_code or party.slug] = party
    indicators = Indicator.objects.in_bulk(cells("indicator"), field_name="code")

    errors, parsed, seen = [], [], {}
    for line, row in raw_rows:
        if None in row or any(value is None for value in row.values()):
            errors.append(
                RowError(
                    line,
                    "",
                    _("The row must have exactly %(count)d columns.") % {"count": len(COLUMNS)},
                )
            )
            continue
        if any("\x00" in value for value in row.values()):
            errors.append(RowError(line, "", _("The row holds a NUL byte.")))
            continue
        row = {name: value.strip() for name, value in row.items()}
        row_errors = []

        area = areas.get(row["area"])
        if area is None:
            row_errors.append(
                RowError(
                    line,
                    "area",
                    _("No municipality code or police area “%(area)s” that you may import for.")
                    % {"area": row["area"]},
                )
            )

        year = int(row["year"]) if row["year"].isascii() and row["year"].isdigit() else None
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            row_errors.append(
                RowError(
                    line,
                    "year",
                    _("“%(year)s” is not a year from %(min)d to %(max)d.")
                    % {"year": row["year"], "min": MIN_YEAR, "max": MAX_YEAR},
                )
            )

        indicator = indicators.get(row["indicator"])
        if indicator is None:
            row_errors.append(
                RowError(
                    line,
                    "indicator",
                    _("Unknown indicator “%(code)s”.") % {"code": row["indicator"]},
                )
            )

        if row["group"] not in SurveyGroup.values:
            row_errors.append(
                RowError(
                    line,
                    "group",
                    _("Unknown group “%(group)s”; use one of %(groups)s.")
                    % {"group": row["group"], "groups": ", ".join(SurveyGroup.values)},
                )
            )

        value = _parse_number(row["value"])
        if value is None:
            row_errors.append(
                RowError(line, "value", _("“%(value)s” is not a number.") % {"value": row["value"]})
            )
        elif not 0 <= value <= 100:
            row_errors.append(
                RowError(
                    line,
                    "value",
                    _("%(value)s is outside the range 0–100.") % {"value": row["value"]},
                )
            )
        elif value != value.quantize(ONE_DECIMAL):
            row_errors.append(
                RowError(
                    line,
                    "value",
                    _("%(value)s has more than one decimal.") % {"value": row["value"]},
                )
            )

        if row_errors:
            errors.extend(row_errors)
            continue
        key = (area.pk, year, indicator.pk, row["group"])
        if key in seen:
            errors.append(
                RowError(
                    line,
                    "group",
                    _("Duplicate of row %(row)d (same area, year, indicator and group).")
                    % {"row": seen[key]},
                )
            )
            continue
        seen[key] = line
        # Spreadsheets export 24.5 as "24,50": trailing zeros are not a second decimal.
        parsed.append(ParsedRow(area, year, indicator, row["group"], value.quantize(ONE_DECIMAL)))

    if errors:
        raise SurveyCSVError(errors)
    return parsed


@transaction.atomic
def import_text(text, *, user=None):
    """Check the whole file first, then write it; any bad row writes nothing."""
    rows = parse(text, user=user)
    area_years = {(row.area.pk, row.year) for row in rows}
    surveys = {
        (survey.area_id, survey.year): survey
        for survey in SafetySurvey.objects.filter(
            area__in={area for area, _year in area_years},
            year__in={year for _area, year in area_years},
        )
    }
    surveys_created = 0
    for row in rows:
        if (row.area.pk, row.year) not in surveys:
            survey = SafetySurvey(area=row.area, year=row.year)
            survey.full_clean()
            survey.save()
            surveys[(row.area.pk, row.year)] = survey
            surveys_created += 1

    existing = {
        (result.survey_id, result.indicator_id, result.group): result
        for result in SurveyResult.objects.filter(survey__in=surveys.values())
    }
    created = updated = unchanged = 0
    for row in rows:
        survey = surveys[(row.area.pk, row.year)]
        result = existing.get((survey.pk, row.indicator.pk, row.group))
        if result is None:
            SurveyResult.objects.create(
                survey=survey, indicator=row.indicator, group=row.group, value=row.value
            )
            created += 1
        elif result.value != row.value:
            result.value = row.value
            result.save(update_fields=["value"])
            updated += 1
        else:
            unchanged += 1
    return ImportSummary(surveys_created, created, updated, unchanged)


def write(results, out):
    """Write survey results in the import format, so an export can be imported again."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for result in results.select_related("survey__area", "indicator").order_by(
        "survey__area__name", "survey__year", "indicator__order", "indicator__code", "group"
    ):
        area = result.survey.area
        writer.writerow(
            [
                area.municipality_code or area.slug,
                result.survey.year,
                result.indicator.code,
                result.group,
                result.value,
            ]
        )
