"""The overview's SVG pictures prepared for the template: the map's areas with their category,
and bar charts of counts per year. Every value is also written as text, never colour alone."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import svgmap

PROMISE_MAP, FOLLOWUP_MAP = "promises", "followup"

# The categories of each map, in the legend's order: a CSS class (fill and pattern) and text.
CATEGORIES = {
    PROMISE_MAP: [
        ("current", gettext_lazy("a current promise")),
        ("no_promise", gettext_lazy("no current promise")),
    ],
    FOLLOWUP_MAP: [
        ("all", gettext_lazy("every round due published on time")),
        ("some", gettext_lazy("some rounds published on time")),
        ("none", gettext_lazy("no round published on time")),
        ("nothing_due", gettext_lazy("no round due")),
    ],
}


@dataclass
class MapArea:
    code: str
    name: str
    url: str
    d: str
    category: str
    label: str  # the accessible name: the municipality and its category in words


@dataclass
class LegendItem:
    category: str
    label: str
    count: int


@dataclass
class Map:
    kind: str
    width: int
    height: int
    areas: list
    legend: list

    def links(self):
        """The 290 linked areas as SVG, written here rather than by a template loop, which
        costs more than the whole rest of the page (as PlainSelect does for the finder)."""
        return mark_safe(  # every value escaped here; d is the stored path data of digits
            "".join(
                f'<a href="{escape(area.url)}" aria-label="{escape(area.label)}">'
                f"<title>{escape(area.label)}</title>"
                f'<path class="map-area map-area--{area.category}" d="{area.d}"/></a>'
                for area in self.areas
            )
        )


def build_map(municipalities, kind):
    """The map of the rows of figures.municipalities(), coloured by kind (PROMISE_MAP or
    FOLLOWUP_MAP)."""
    data = svgmap.load()
    outlines = data["municipalities"]
    # One reverse() for 290 links: the slug is the only part that differs.
    url_pattern = reverse("promises:municipality_detail", kwargs={"slug": "SLUG"})
    labels = dict(CATEGORIES[kind])
    counts = dict.fromkeys(labels, 0)
    areas = []
    for row in municipalities:
        outline = outlines.get(row.code)
        if outline is None:
            continue  # a municipality the outlines do not know (test data)
        if kind == PROMISE_MAP:
            category = "current" if row.has_current_promise else "no_promise"
        else:
            category = row.health.category
        counts[category] += 1
        label = f"{row.name}: {labels[category]}"
        if kind == FOLLOWUP_MAP and row.health.due:
            label += " " + _("(%(on_time)s of %(due)s)") % {
                "on_time": row.health.on_time,
                "due": row.health.due,
            }
        areas.append(
            MapArea(
                code=row.code,
                name=row.name,
                url=url_pattern.replace("SLUG", row.slug),
                d=outline["d"],
                category=category,
                label=label,
            )
        )
    legend = [LegendItem(category, label, counts[category]) for category, label in labels.items()]
    return Map(kind, data["width"], data["height"], areas, legend)


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass
class BarChart:
    bars: list
    width: int
    height: int
    baseline: float
    label_y: float

    @property
    def summary(self):
        return ", ".join(f"{bar.label}: {bar.value}" for bar in self.bars)


def bar_chart(values, width=480, height=200):
    """Vertical bars of (label, value) pairs, each with its value above it and its label below;
    from zero, so that differences are not exaggerated."""
    top_margin, bottom_margin, side = 20, 24, 8
    plot_height = height - top_margin - bottom_margin
    largest = max([value for _label, value in values] + [1])
    slot = (width - 2 * side) / max(len(values), 1)
    bar_width = slot * 0.6
    baseline = height - bottom_margin
    bars = []
    for index, (label, value) in enumerate(values):
        bar_height = plot_height * value / largest
        x = side + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=str(label),
                value=value,
                x=round(x, 1),
                y=round(baseline - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                text_x=round(x + bar_width / 2, 1),
                text_y=round(baseline - bar_height - 5, 1),
            )
        )
    return BarChart(bars, width, height, baseline, baseline + 16)


@dataclass
class ThemeChart:
    theme: object
    chart: BarChart


def theme_charts(years, themes):
    """A small chart per theme of the promises in force with it each year (figures.years()),
    for the themes any promise has."""
    charts = []
    for theme in themes:
        values = [(row.year, row.themes.get(theme, 0)) for row in years]
        if any(value for _year, value in values):
            charts.append(ThemeChart(theme, bar_chart(values, width=240, height=120)))
    return charts


def municipality_table_rows(municipalities):
    """The rows of the map's text alternative, one per municipality: written here for the same
    reason as Map.links()."""
    url_pattern = reverse("promises:municipality_detail", kwargs={"slug": "SLUG"})
    yes, no = escape(_("yes")), escape(_("no"))
    return mark_safe(  # every value escaped here
        "".join(
            f'<tr><th scope="row"><a href="{escape(url_pattern.replace("SLUG", row.slug))}">'
            f"{escape(row.name)}</a></th><td>{escape(row.county)}</td>"
            f"<td>{yes if row.has_current_promise else no}</td>"
            f"<td>{row.health.due}</td><td>{row.health.on_time}</td></tr>"
            for row in municipalities
        )
    )
