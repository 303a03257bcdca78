"""Open data: every table of the national overview (see opendata.registry), as of the day the
file is made. A download narrowed to a municipality gives its own row, its county's and its
police region's, and the years of its own promises."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendata.registry import Column, ColumnType, Dataset, register

from . import figures

AS_OF = Column("as_of", ColumnType.DATE, _("The day the figures describe."))
DUE = Column(
    "rounds_due",
    ColumnType.INTEGER,
    _("Quarterly follow-up rounds due in the last four quarters whose deadline has passed."),
)
ON_TIME = Column(
    "rounds_on_time",
    ColumnType.INTEGER,
    _("Of those, the rounds published by their deadline, days after the end of their quarter."),
)
ON_TIME_SHARE = Column(
    "on_time_share",
    ColumnType.DECIMAL,
    _("rounds_on_time as a share of rounds_due, 0–1; empty when none was due."),
)


def _share(share):
    return None if share is None else round(share, 3)


def municipality_rows(request, municipality):
    today = timezone.localdate()
    for row in figures.municipalities(today=today):
        if municipality is not None and row.code != municipality.municipality_code:
            continue
        yield {
            "as_of": today,
            "municipality_code": row.code,
            "municipality": row.name,
            "county_code": row.county_code,
            "county": row.county,
            "police_region": row.police_region,
            "has_current_promise": row.has_current_promise,
            "rounds_due": row.health.due,
            "rounds_on_time": row.health.on_time,
            "on_time_share": _share(row.health.share),
        }


def _area_rows(grouping, key):
    def rows(request, municipality):
        today = timezone.localdate()
        for area in figures.areas(grouping, today=today):
            if municipality is not None and area.key != getattr(municipality, key):
                continue
            yield {
                "as_of": today,
                "code": area.key,
                "name": area.name,
                "municipalities": area.municipalities,
                "with_current_promise": area.with_current_promise,
                "share": _share(area.share),
                "top_themes": [theme.slug for theme, _count in area.themes],
                "rounds_due": area.health.due,
                "rounds_on_time": area.health.on_time,
                "on_time_share": _share(area.health.share),
            }

    return rows


def year_rows(request, municipality):
    for row in figures.years(municipality=municipality):
        yield {"year": row.year, "promises": row.promises}


def theme_year_rows(request, municipality):
    for row in figures.years(municipality=municipality):
        for theme, promises in row.themes.items():
            yield {
                "year": row.year,
                "theme": theme.slug,
                "theme_name": theme.name,
                "promises": promises,
            }


def _area_columns(code_meaning):
    return (
        AS_OF,
        Column("code", ColumnType.TEXT, code_meaning),
        Column("name", ColumnType.TEXT, _("Its name.")),
        Column("municipalities", ColumnType.INTEGER, _("Its municipalities.")),
        Column(
            "with_current_promise",
            ColumnType.INTEGER,
            _("Its municipalities with a current published promise."),
        ),
        Column(
            "share",
            ColumnType.DECIMAL,
            _("with_current_promise as a share of municipalities, 0–1."),
        ),
        Column(
            "top_themes",
            ColumnType.LIST,
            _(
                "The themes (slugs) of most of its municipalities' current promises, "
                "the most common first; at most three."
            ),
        ),
        DUE,
        ON_TIME,
        ON_TIME_SHARE,
    )


DATASETS = [
    register(
        Dataset(
            slug="overview-municipalities",
            title=_("Overview: municipalities"),
            description=_(
                "One row per municipality: whether it has a current promise and how its "
                "follow-up rounds of the last four quarters were published."
            ),
            columns=(
                AS_OF,
                Column("municipality_code", ColumnType.TEXT, _("The four-digit SCB code.")),
                Column("municipality", ColumnType.TEXT, _("The municipality's name.")),
                Column("county_code", ColumnType.TEXT, _("Its county's two-digit code.")),
                Column("county", ColumnType.TEXT, _("Its county.")),
                Column("police_region", ColumnType.TEXT, _("Its police region.")),
                Column(
                    "has_current_promise",
                    ColumnType.BOOLEAN,
                    _("Whether a published promise of it is in force on as_of."),
                ),
                DUE,
                ON_TIME,
                ON_TIME_SHARE,
            ),
            rows=municipality_rows,
        )
    ),
    register(
        Dataset(
            slug="overview-counties",
            title=_("Overview: counties"),
            description=_(
                "One row per county: municipalities with a current promise, the most common "
                "themes and follow-up on time."
            ),
            columns=_area_columns(_("The county's two-digit code.")),
            rows=_area_rows(figures.COUNTY, "county_code"),
        )
    ),
    register(
        Dataset(
            slug="overview-police-regions",
            title=_("Overview: police regions"),
            description=_(
                "One row per police region: municipalities with a current promise, the most "
                "common themes and follow-up on time."
            ),
            columns=_area_columns(_("The police region, e.g. Syd.")),
            rows=_area_rows(figures.POLICE_REGION, "police_region"),
        )
    ),
    register(
        Dataset(
            slug="overview-years",
            title=_("Overview: promises per year"),
            description=_("One row per year: published promises in force some day of it."),
            columns=(
                Column("year", ColumnType.INTEGER, _("The year.")),
                Column("promises", ColumnType.INTEGER, _("Published promises in force in it.")),
            ),
            rows=year_rows,
        )
    ),
    register(
        Dataset(
            slug="overview-themes-per-year",
            title=_("Overview: themes per year"),
            description=_(
                "One row per year and theme: published promises in force that year with a "
                "focus area of the theme."
            ),
            columns=(
                Column("year", ColumnType.INTEGER, _("The year.")),
                Column("theme", ColumnType.TEXT, _("The theme's identifier (slug).")),
                Column("theme_name", ColumnType.TEXT, _("The theme's name.")),
                Column(
                    "promises",
                    ColumnType.INTEGER,
                    _("Published promises in force that year with the theme."),
                ),
            ),
            rows=theme_year_rows,
        )
    ),
]
