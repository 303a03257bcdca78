"""Survey trends prepared for the page: SVG geometry, summaries and direction markers.

Everything is computed here so the template only draws, and the chart needs no JavaScript.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Indicator, SurveyGroup

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 36
MARKER_SIZE = 5
LABEL_GAP = 14
# Series differ by marker shape and dash pattern, and carry a text label, never colour alone.
SHAPES = ["circle", "square", "triangle", "diamond"]
DASHES = ["", "6 4", "2 3", "10 3 2 3"]


def format_value(value, unit):
    """24.5 as "24,5 %" in Swedish and "24.5 %" in English; whole numbers without decimals."""
    decimals = 0 if value == value.to_integral_value() else 1
    number = formats.number_format(value, decimal_pos=decimals, use_l10n=True)
    return f"{number}\u00a0%" if unit == Indicator.Unit.PERCENT else number


@dataclass
class Direction:
    arrow: str
    text: str
    assessment: str  # "better", "worse" or "" for CSS; the text says it in words


def direction(first, last, lower_is_better):
    if last == first:
        return Direction("→", _("Unchanged"), "")
    rising = last > first
    better = rising != lower_is_better
    if rising:
        text = _("Rising – better") if better else _("Rising – worse")
    else:
        text = _("Falling – better") if better else _("Falling – worse")
    return Direction("↑" if rising else "↓", text, "better" if better else "worse")


@dataclass
class Point:
    year: int
    value: Decimal
    label: str
    x: float
    y: float
    marker: str  # polygon points; empty for a circle


@dataclass
class Series:
    group: str
    label: str
    shape: str
    dash: str
    values: dict  # year -> Decimal
    points: list = field(default_factory=list)
    segments: list = field(default_factory=list)  # polyline "x,y x,y" strings, split at gaps
    label_y: float = 0
    legend_marker: str = ""
    summary: str = ""
    direction: Direction | None = None
    cells: list = field(default_factory=list)  # formatted values per chart year, "" if missing


@dataclass
class IndicatorTrend:
    indicator: Indicator
    years: list
    series: list
    x_ticks: list
    y_ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def rows(self):
        """Table rows: each chart year with every series' formatted value ("" if missing)."""
        return [
            (year, [series.cells[index] for series in self.series])
            for index, year in enumerate(self.years)
        ]

    @property
    def summary(self):
        return " ".join(series.summary for series in self.series)


def _marker(shape, x, y):
    s = MARKER_SIZE
    corners = {
        "circle": [],
        "square": [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)],
        "triangle": [(x, y - s - 1), (x + s + 1, y + s), (x - s - 1, y + s)],
        "diamond": [(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)],
    }[shape]
    return " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)


def _summary(series, unit):
    years = sorted(series.values)
    first_year, last_year = years[0], years[-1]
    first, last = series.values[first_year], series.values[last_year]
    group = capfirst(series.label)
    if len(years) == 1:
        return _("%(group)s: %(value)s in %(year)s, the only year measured.") % {
            "group": group,
            "value": format_value(last, unit),
            "year": last_year,
        }
    values = {
        "group": group,
        "first": format_value(first, unit),
        "last": format_value(last, unit),
        "first_year": first_year,
        "last_year": last_year,
    }
    if last > first:
        return _(
            "%(group)s: rose from %(first)s in %(first_year)s to %(last)s in %(last_year)s."
        ) % (values)
    if last < first:
        return _(
            "%(group)s: fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s."
        ) % (values)
    return _("%(group)s: unchanged at %(last)s from %(first_year)s to %(last_year)s.") % values


def _y_scale(values):
    """From zero (so changes are not exaggerated) up to the next ten above the largest value."""
    top = min(100, max(10, math.ceil(max(values) / 10) * 10))
    step = 10 if top <= 50 else 20
    # Up to a whole step, so the top of the axis (70 becomes 80) has its tick too.
    top = math.ceil(top / step) * step
    return top, list(range(0, top + 1, step))


def indicator_trends(results):
    """One IndicatorTrend per indicator, from results with their indicator and survey loaded."""
    by_indicator = {}
    for result in results:
        by_indicator.setdefault(result.indicator.pk, (result.indicator, []))[1].append(result)
    group_order = {group: index for index, group in enumerate(SurveyGroup.values)}
    trends = []
    for indicator, rows in sorted(
        by_indicator.values(), key=lambda item: (item[0].order, item[0].code)
    ):
        values_by_group = {}
        for row in rows:
            values_by_group.setdefault(row.group, {})[row.survey.year] = row.value
        trends.append(_trend(indicator, values_by_group, group_order))
    return trends


def _trend(indicator, values_by_group, group_order):
    years = sorted({year for values in values_by_group.values() for year in values})
    top, y_ticks = _y_scale([v for values in values_by_group.values() for v in values.values()])
    plot_left, plot_right, plot_top, plot_bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x_of(year):
        if len(years) == 1:
            return (plot_left + plot_right) / 2
        # Proportional to time, so a year without a survey leaves visible room.
        span = years[-1] - years[0]
        return plot_left + (year - years[0]) / span * (plot_right - plot_left)

    def y_of(value):
        return plot_bottom - float(value) / top * (plot_bottom - plot_top)

    series_list = []
    for index, group in enumerate(sorted(values_by_group, key=group_order.get)):
        values = values_by_group[group]
        series = Series(
            group=group,
            label=str(SurveyGroup(group).label),
            shape=SHAPES[index % len(SHAPES)],
            dash=DASHES[index % len(DASHES)],
            values=values,
        )
        segment = []
        for year in years:
            value = values.get(year)
            if value is None:
                # A chart year without a value for this group breaks its line.
                if segment:
                    series.segments.append(segment)
                segment = []
                series.cells.append("")
                continue
            label = format_value(value, indicator.unit)
            x, y = x_of(year), y_of(value)
            series.points.append(
                Point(year, value, label, round(x, 1), round(y, 1), _marker(series.shape, x, y))
            )
            series.cells.append(label)
            segment.append(f"{x:.1f},{y:.1f}")
        if segment:
            series.segments.append(segment)
        series.segments = [" ".join(points) for points in series.segments if len(points) > 1]
        series.summary = _summary(series, indicator.unit)
        ordered = sorted(values)
        if len(ordered) > 1:
            series.direction = direction(
                values[ordered[0]], values[ordered[-1]], indicator.lower_is_better
            )
        series.label_y = series.points[-1].y
        series_list.append(series)

    # Push the end labels apart so they never overlap, top to bottom.
    stacked = sorted(series_list, key=lambda s: s.label_y)
    previous = None
    for series in stacked:
        if previous is not None and series.label_y - previous < LABEL_GAP:
            series.label_y = previous + LABEL_GAP
        previous = series.label_y
    # Labels pushed past the bottom of the chart move up together, so all stay visible.
    overflow = max(0, stacked[-1].label_y - (HEIGHT - LABEL_GAP / 2))
    for series in stacked:
        series.label_y = round(series.label_y - overflow, 1)
        series.legend_marker = _marker(series.shape, WIDTH - RIGHT + 20, series.label_y)

    return IndicatorTrend(
        indicator=indicator,
        years=years,
        series=series_list,
        # Label at most about ten years so the axis stays legible; the table has them all.
        x_ticks=[
            (year, round(x_of(year), 1), index % math.ceil(len(years) / 10) == 0)
            for index, year in enumerate(years)
        ],
        y_ticks=[
            (format_value(Decimal(tick), indicator.unit), round(y_of(tick), 1)) for tick in y_ticks
        ],
    )
