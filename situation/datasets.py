"""Open data: the results of published safety surveys and the places of the public situation
pictures (see opendata.registry)."""

import datetime as dt

from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from opendata.registry import Column, ColumnType, Dataset, register

from .models import Place, Problem, SafetySurvey, SurveyResult


def published_period():
    """The years of the published surveys, as the days from 1 January of the first to
    31 December of the last."""
    span = SafetySurvey.objects.public().aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return None
    return dt.date(span["first"], 1, 1), dt.date(span["last"], 12, 31)


def survey_result_rows(request, municipality):
    results = SurveyResult.objects.public()
    if municipality is not None:
        results = results.filter(survey__area=municipality)
    results = results.order_by(
        "survey__area__name", "survey__year", "indicator__order", "indicator__code", "group"
    ).values_list(
        "survey__area__municipality_code",
        "survey__area__slug",
        "survey__area__name",
        "survey__year",
        "indicator__code",
        "indicator__name",
        "indicator__name_en",
        "group",
        "value",
        "indicator__unit",
        "survey__is_example",
    )
    for (
        code,
        slug,
        name,
        year,
        indicator,
        indicator_name,
        indicator_name_en,
        group,
        value,
        unit,
        example,
    ) in results.iterator():
        yield {
            "area_code": code,
            "area_slug": slug,
            "area": name,
            "year": year,
            "indicator_code": indicator,
            "indicator": indicator_name,
            "indicator_en": indicator_name_en or indicator_name,
            "group": group,
            "value": value,
            "unit": unit,
            "is_example": example,
        }


register(
    Dataset(
        slug="survey-results",
        title=_("Safety survey results"),
        description=_(
            "One row per indicator and group of a published safety survey of a municipality "
            "or a local police area."
        ),
        columns=(
            Column(
                "area_code",
                ColumnType.TEXT,
                _(
                    "The municipality's four-digit code from Statistics Sweden (SCB); "
                    "empty for a police area."
                ),
            ),
            Column(
                "area_slug", ColumnType.TEXT, _("The surveyed area's name as in its web address.")
            ),
            Column("area", ColumnType.TEXT, _("The surveyed municipality or local police area.")),
            Column("year", ColumnType.INTEGER, _("The year of the survey.")),
            Column("indicator_code", ColumnType.TEXT, _("The indicator's code.")),
            Column("indicator", ColumnType.TEXT, _("What the indicator measures.")),
            Column(
                "indicator_en",
                ColumnType.TEXT,
                _("What the indicator measures, in English (in Swedish if it has no English)."),
            ),
            Column(
                "group",
                ColumnType.TEXT,
                _("The group of respondents, e.g. all, women, men-16-29."),
            ),
            Column("value", ColumnType.DECIMAL, _("The value, 0–100.")),
            Column(
                "unit",
                ColumnType.TEXT,
                _("“percent” (share of respondents) or “index” (0–100)."),
            ),
            Column(
                "is_example",
                ColumnType.BOOLEAN,
                _("true if the numbers are made up for demonstration, not measured."),
            ),
        ),
        rows=survey_result_rows,
        themes=("JUST", "SOCI"),
        period=published_period,
    )
)


def place_rows(request, municipality):
    # A place is public when a public problem of a public picture marks it.
    places = Place.objects.filter(problems__in=Problem.objects.public()).distinct()
    if municipality is not None:
        places = places.filter(municipality=municipality)
    places = places.order_by("municipality__name", "name").values_list(
        "pk",
        "municipality__municipality_code",
        "municipality__name",
        "name",
        "kind",
        "latitude",
        "longitude",
    )
    for pk, code, municipality_name, name, kind, latitude, longitude in places.iterator():
        yield {
            "place_id": pk,
            "municipality_code": code,
            "municipality": municipality_name,
            "name": name,
            "kind": kind,
            "latitude": latitude,
            "longitude": longitude,
        }


register(
    Dataset(
        slug="places",
        title=_("Places in the situation pictures"),
        description=_(
            "One row per place where a public situation picture marks problems, with its "
            "coordinates when the municipality has given them."
        ),
        columns=(
            Column("place_id", ColumnType.INTEGER, _("The place's identifier.")),
            Column(
                "municipality_code",
                ColumnType.TEXT,
                _("The municipality's four-digit code from Statistics Sweden (SCB)."),
            ),
            Column("municipality", ColumnType.TEXT, _("The municipality the place lies in.")),
            Column("name", ColumnType.TEXT, _("The place's name.")),
            Column(
                "kind",
                ColumnType.TEXT,
                _(
                    "The kind of place as a code: centre, square, school, road, park, station, "
                    "nightlife, residential or other."
                ),
            ),
            Column(
                "latitude",
                ColumnType.DECIMAL,
                _("Latitude in decimal degrees (WGS 84); empty if not given."),
            ),
            Column(
                "longitude",
                ColumnType.DECIMAL,
                _("Longitude in decimal degrees (WGS 84); empty if not given."),
            ),
        ),
        rows=place_rows,
        themes=("JUST", "REGI"),
    )
)
