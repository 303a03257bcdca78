from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from caching.fragments import GENERATION, Fragment, read_only
from followup.schedule import quarter_label
from promises.models import Theme

from . import charts, datasets, figures
from .forms import OverviewForm


@require_safe
@read_only
def index(request):
    """The national overview: the map, the counties and police regions, and the years, narrowed
    to a theme if one is chosen (an invalid choice shows the whole picture and says why).
    Any write may change it, so its body is kept under the data's generation."""
    body = Fragment(request, "overview", GENERATION)
    context = {"body": body}
    if body.missing:
        form, theme, kind, themes = _choice(request)
        body.keep(theme=theme)  # the title names it
        figures_ = figures.cached_overview(theme, themes={t.pk: t for t in themes})
        quarters = figures.health_quarters()
        context |= {
            "form": form,
            "overview": figures_,
            "map": charts.build_map(figures_.municipalities, kind),
            "overdue_days": settings.FOLLOWUP_OVERDUE_DAYS,
            "health_window": [quarter_label(*quarters[-1]), quarter_label(*quarters[0])],
            "downloads": [(dataset.slug, dataset.title) for dataset in datasets.DATASETS],
            "years_chart": charts.bar_chart([(row.year, row.promises) for row in figures_.years]),
            "theme_charts": charts.theme_charts(figures_.years, themes),
        }
    context |= body.extra
    return render(request, "overview/index.html", context)


@require_safe
@read_only
def municipalities(request):
    """The map as a table: every municipality, for the theme chosen on the overview. A page of
    its own, so that the overview stays light on a phone; the map links to it."""
    body = Fragment(request, "overview_municipalities", GENERATION)
    context = {"body": body}
    if body.missing:
        form, theme, _kind, themes = _choice(request)
        body.keep(theme=theme)
        figures_ = figures.cached_overview(theme, themes={t.pk: t for t in themes})
        context |= {
            "overview": figures_,
            "municipality_rows": charts.municipality_table_rows(figures_.municipalities),
        }
    context |= body.extra
    return render(request, "overview/municipalities.html", context)


def _choice(request):
    """The overview's form and what it chose: the theme (or None) and the map's kind; an
    invalid choice shows the whole picture."""
    themes = list(Theme.objects.all())
    form = OverviewForm(request.GET or None, themes=themes)
    theme, kind = None, charts.PROMISE_MAP
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        kind = form.cleaned_data["map"] or charts.PROMISE_MAP
    return form, theme, kind, themes
