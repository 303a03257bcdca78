from functools import partial
from html import escape
from itertools import groupby
from operator import itemgetter

from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from caching.fragments import GENERATION, precomputed

from . import search
from .models import FocusArea, Party, Promise, Theme


def municipality_rows(*, with_current_promise=False):
    """(slug, name, county code, county) of every municipality, ordered by county and name;
    with its police region and whether it has a current promise, if asked."""
    municipalities = Party.objects.municipalities().order_by("county_code", "name")
    if not with_current_promise:
        return list(municipalities.values_list("slug", "name", "county_code", "county"))
    current = Exists(Promise.objects.current().filter(parties=OuterRef("pk")))
    return list(
        municipalities.annotate(has_current_promise=current).values_list(
            "slug", "name", "county_code", "county", "police_region", "has_current_promise"
        )
    )


def with_blank(label, choices):
    return [("", label), *choices]


def grouped_municipality_choices(rows, blank_label):
    """Choices for a <select> of municipalities with one <optgroup> per county."""
    groups = [
        (county, [(row[0], row[1]) for row in group])
        for (_code, county), group in groupby(rows, key=itemgetter(2, 3))
    ]
    return with_blank(blank_label, groups)


def county_choices(rows, blank_label):
    """Choices of the counties of `rows` (as municipality_rows() gives them), in their order."""
    return with_blank(blank_label, {code: county for _slug, _name, code, county in rows}.items())


class PlainSelect(forms.Select):
    """A select rendered in Python rather than one template per option: for the 290
    municipalities, the option templates cost more than the whole rest of a page. The options
    are written straight from the choices, without the dictionary Django's Select builds for
    each: that alone cost a search page more than its query."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [
            f'<select name="{escape(str(name))}"{flatatt(self.build_attrs(self.attrs, attrs))}>'
        ]

        def option(option_value, label):
            option_value = "" if option_value is None else str(option_value)
            selected = ""
            if option_value in chosen:  # only the first option of a value, as Django's Select
                chosen.discard(option_value)
                selected = " selected"
            return f'<option value="{escape(option_value)}"{selected}>{escape(str(label))}</option>'

        for group_name, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
                parts.extend(option(*choice) for choice in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(group_name, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value escaped above


class MunicipalityField(forms.ModelChoiceField):
    """A municipality chosen by its slug from a select grouped by county."""

    widget = PlainSelect

    def __init__(self, *, rows, blank_label, **kwargs):
        super().__init__(queryset=Party.objects.municipalities(), to_field_name="slug", **kwargs)
        # Listed only when the select is rendered: never on a page whose form is precomputed.
        self.choices = partial(grouped_municipality_choices, rows, blank_label)


class MunicipalityFinderForm(forms.Form):
    """ "Find your municipality": works as a plain GET form, so its result can be shared."""

    municipality = forms.Field()  # replaced in __init__, where the choices are read

    def __init__(self, *args, rows=None, **kwargs):
        """`rows` as municipality_rows() gives them, when the page has read them already."""
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = MunicipalityField(
            rows=municipality_rows() if rows is None else rows,
            blank_label=_("Choose a municipality"),
            label=_("Your municipality"),
            error_messages={
                "required": _("Choose your municipality from the list."),
                "invalid_choice": _("Choose your municipality from the list."),
            },
        )


class SearchForm(forms.Form):
    """The search box and its filters; every value travels in the URL."""

    PERIODS = {"current": Promise.objects.current, "earlier": Promise.objects.earlier}

    q = forms.CharField(
        label=_("Search for"), max_length=200, required=False, widget=forms.SearchInput
    )
    municipality = forms.Field(required=False)
    county = forms.ChoiceField(label=_("County"), required=False, widget=PlainSelect)
    police_area = forms.ModelChoiceField(
        label=_("Local police area"),
        queryset=Party.objects.police_areas(),
        to_field_name="slug",
        required=False,
        empty_label=_("All local police areas"),
        widget=PlainSelect,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
        widget=PlainSelect,
    )
    focus_area = forms.ChoiceField(label=_("Focus area"), required=False, widget=PlainSelect)
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("Current and earlier")),
            ("current", _("Current promises")),
            ("earlier", _("Earlier promises")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists = precomputed("search_form", self._lists, GENERATION)
        rows = lists["municipalities"]
        self.fields["municipality"] = MunicipalityField(
            rows=rows,
            blank_label=_("All municipalities"),
            label=_("Municipality"),
            required=False,
        )
        # Callables, listed only when a select is rendered or a chosen value checked: most
        # searches do neither, since their filters are precomputed (promises.views.search).
        fields = self.fields
        fields["county"].choices = partial(county_choices, rows, _("All counties"))
        # A model choice field still checks a chosen value against its queryset.
        for name in ("police_area", "theme"):
            fields[name].choices = partial(with_blank, fields[name].empty_label, lists[name])
        fields["focus_area"].choices = partial(
            with_blank, _("All focus areas"), lists["focus_area"]
        )
        for name, search_filter in search.FILTERS.items():
            fields[name] = search_filter.make_field()

    @classmethod
    def _lists(cls):
        """The options of the form's lists: read from every municipality, police area, theme
        and focus area, they cost more than a search, so they are precomputed until the next
        write (caching.fragments.precomputed)."""
        return {
            "municipalities": municipality_rows(),
            "police_area": [(p.slug, str(p)) for p in Party.objects.police_areas()],
            "theme": [(theme.slug, str(theme)) for theme in Theme.objects.all()],
            "focus_area": cls._focus_areas(),
        }

    @staticmethod
    def _focus_areas():
        """The focus areas of published promises, each title once whatever its case."""
        titles = (
            FocusArea.objects.filter(promise__in=Promise.objects.published())
            .annotate(key=Lower("title"))
            .order_by("key", "title")
            .values_list("key", "title")
        )
        first_spelling = {}
        for key, title in titles:
            first_spelling.setdefault(key, title)
        return [(title, title) for title in first_spelling.values()]

    @property
    def has_criteria(self):
        return any(self.cleaned_data.get(name) for name in self.fields)

    @property
    def has_filters(self):
        return any(self.cleaned_data.get(name) for name in self.fields if name != "q")

    PROMISE_FILTERS = ["period", "municipality", "county", "police_area", "theme", "focus_area"]

    @property
    def narrows_promises(self):
        return any(self.cleaned_data.get(name) for name in self.PROMISE_FILTERS)

    def promises(self):
        """The published promises the filters allow."""
        data = self.cleaned_data
        promises = self.PERIODS.get(data.get("period"), Promise.objects.published)()
        if data.get("municipality"):
            promises = promises.filter(parties=data["municipality"])
        if data.get("county"):
            promises = promises.filter(parties__county_code=data["county"])
        if data.get("police_area"):
            promises = promises.filter(parties=data["police_area"])
        if data.get("theme"):
            promises = promises.filter(
                focus_areas__themes=data["theme"], focus_areas__withdrawn_at=None
            )
        if data.get("focus_area"):
            promises = promises.filter(
                focus_areas__title__iexact=data["focus_area"], focus_areas__withdrawn_at=None
            )
        return promises
