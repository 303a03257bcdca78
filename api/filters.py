"""The API's filters (django-filter): where, when and in what state.

Every resource hangs off a published promise, so the filters by place and period are written
once, as a subquery of promises (`promise_path` leads from a row to its promise), which never
repeats a row however many parties a promise has.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followup.latest_status import latest_status_is
from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Commitment, FocusArea, Party, PoliceRegion, Promise
from situation.models import SurveyGroup, SurveyResult


class Period(django_filters.ChoiceFilter):
    CHOICES = [
        ("current", _("in force today")),
        ("upcoming", _("published, starts later")),
        ("earlier", _("ended")),
    ]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, **kwargs)


def _promises_in_period(period):
    return {
        "current": Promise.objects.current,
        "upcoming": Promise.objects.upcoming,
        "earlier": Promise.objects.earlier,
    }[period]()


class PromiseScopeFilterSet(django_filters.FilterSet):
    """Filters by the place and period of the promise a row belongs to."""

    promise_path = "promise"

    municipality = django_filters.CharFilter(
        method="filter_municipality",
        label=_("A municipality's four-digit code from Statistics Sweden (SCB), e.g. 1060."),
    )
    police_area = django_filters.CharFilter(
        method="filter_police_area", label=_("A local police area's slug, e.g. lpo-karlshamn.")
    )
    county = django_filters.CharFilter(
        method="filter_county", label=_("A county's two-digit code, e.g. 10 for Blekinge.")
    )
    police_region = django_filters.ChoiceFilter(
        choices=PoliceRegion.choices, method="filter_police_region", label=_("A police region.")
    )
    period = Period(
        method="filter_period",
        label=_("current: in force today; upcoming: starts later; earlier: ended."),
    )
    year = django_filters.NumberFilter(
        method="filter_year",
        min_value=1900,
        max_value=2100,
        label=_("Promises in force at some time during this year."),
    )
    theme = django_filters.CharFilter(
        method="filter_theme",
        label=_("A theme's slug, e.g. trafiksakerhet: promises with a focus area of it."),
    )

    def filter_theme(self, queryset, name, value):
        return self._scope(
            queryset,
            Promise.objects.filter(focus_areas__themes__slug=value, focus_areas__withdrawn_at=None),
        )

    def _scope(self, queryset, promises):
        lookup = f"{self.promise_path}__in" if self.promise_path else "pk__in"
        return queryset.filter(**{lookup: promises.values("pk")})

    def filter_municipality(self, queryset, name, value):
        return self._scope(
            queryset,
            Promise.objects.filter(
                parties__kind=Party.Kind.MUNICIPALITY, parties__municipality_code=value
            ),
        )

    def filter_police_area(self, queryset, name, value):
        return self._scope(
            queryset,
            Promise.objects.filter(parties__kind=Party.Kind.POLICE_AREA, parties__slug=value),
        )

    def filter_county(self, queryset, name, value):
        return self._scope(
            queryset,
            Promise.objects.filter(
                parties__kind=Party.Kind.MUNICIPALITY, parties__county_code=value
            ),
        )

    def filter_police_region(self, queryset, name, value):
        return self._scope(
            queryset,
            Promise.objects.filter(
                parties__kind=Party.Kind.POLICE_AREA, parties__police_region=value
            ),
        )

    def filter_period(self, queryset, name, value):
        return self._scope(queryset, _promises_in_period(value))

    def filter_year(self, queryset, name, value):
        year = int(value)
        in_force = Promise.objects.filter(valid_from__year__lte=year, valid_until__year__gte=year)
        return self._scope(queryset, in_force)


class PromiseFilterSet(PromiseScopeFilterSet):
    promise_path = ""

    class Meta:
        model = Promise
        fields = []


class PromiseChildFilterSet(PromiseScopeFilterSet):
    promise = django_filters.CharFilter(field_name="promise__slug", label=_("The promise's slug."))


class FocusAreaFilterSet(PromiseChildFilterSet):
    def filter_theme(self, queryset, name, value):
        """The focus areas tagged with the theme, not every one of a promise that has it."""
        return queryset.filter(pk__in=FocusArea.objects.filter(themes__slug=value).values("pk"))

    class Meta:
        model = FocusArea
        fields = []


class CommitmentFilterSet(PromiseChildFilterSet):
    focus_area = django_filters.NumberFilter(
        field_name="focus_area_id", label=_("The focus area's id.")
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=CommitmentStatus.Status.choices,
        label=_("The status in the latest published follow-up round."),
    )

    class Meta:
        model = Commitment
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(latest_status_is(value))

    def filter_theme(self, queryset, name, value):
        """The commitments of focus areas tagged with the theme."""
        return queryset.filter(focus_area__themes__slug=value)


class FollowUpRoundFilterSet(PromiseChildFilterSet):
    year = django_filters.NumberFilter(
        field_name="year", min_value=1900, max_value=2100, label=_("The round's year.")
    )
    quarter = django_filters.ChoiceFilter(
        choices=[(q, q) for q in range(1, 5)], label=_("The round's quarter, 1–4.")
    )

    class Meta:
        model = FollowUpRound
        fields = []


class CommitmentStatusFilterSet(PromiseChildFilterSet):
    promise_path = "round__promise"

    promise = django_filters.CharFilter(
        field_name="round__promise__slug", label=_("The promise's slug.")
    )
    round = django_filters.NumberFilter(field_name="round_id", label=_("The round's id."))
    commitment = django_filters.NumberFilter(
        field_name="commitment_id", label=_("The commitment's id.")
    )
    year = django_filters.NumberFilter(
        field_name="round__year", min_value=1900, max_value=2100, label=_("The round's year.")
    )
    quarter = django_filters.ChoiceFilter(
        field_name="round__quarter",
        choices=[(q, q) for q in range(1, 5)],
        label=_("The round's quarter, 1–4."),
    )
    status = django_filters.ChoiceFilter(
        choices=CommitmentStatus.Status.choices, label=_("The commitment's status that quarter.")
    )

    class Meta:
        model = CommitmentStatus
        fields = []


class SurveyResultFilterSet(django_filters.FilterSet):
    """Survey results belong to an area (a municipality or a police area), not to a promise."""

    municipality = django_filters.CharFilter(
        field_name="survey__area__municipality_code",
        label=_("A municipality's four-digit code from Statistics Sweden (SCB), e.g. 1060."),
    )
    police_area = django_filters.CharFilter(
        method="filter_police_area",
        label=_("A local police area's slug: its own surveys and its municipalities'."),
    )
    county = django_filters.CharFilter(
        field_name="survey__area__county_code", label=_("A county's two-digit code.")
    )
    year = django_filters.NumberFilter(
        field_name="survey__year", min_value=1900, max_value=2100, label=_("The survey's year.")
    )
    indicator = django_filters.CharFilter(
        field_name="indicator__code", label=_("The indicator's code, e.g. oro-brott.")
    )
    group = django_filters.ChoiceFilter(
        choices=SurveyGroup.choices, label=_("The group of respondents.")
    )

    class Meta:
        model = SurveyResult
        fields = []

    def filter_police_area(self, queryset, name, value):
        return queryset.filter(
            Q(survey__area__kind=Party.Kind.POLICE_AREA, survey__area__slug=value)
            | Q(survey__area__police_area__slug=value)
        )


class MunicipalityFilterSet(django_filters.FilterSet):
    county = django_filters.CharFilter(field_name="county_code", label=_("A county's code."))
    police_area = django_filters.CharFilter(
        field_name="police_area__slug", label=_("A local police area's slug.")
    )
    police_region = django_filters.ChoiceFilter(
        field_name="police_area__police_region",
        choices=PoliceRegion.choices,
        label=_("A police region."),
    )

    class Meta:
        model = Party
        fields = []


class PoliceAreaFilterSet(django_filters.FilterSet):
    police_region = django_filters.ChoiceFilter(
        choices=PoliceRegion.choices, label=_("A police region.")
    )

    class Meta:
        model = Party
        fields = []
