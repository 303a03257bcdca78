"""What the API says about each resource. Identifiers are the ones the site and the open-data
files already use: municipality codes, slugs of police areas and promises, and the numeric ids
of focus areas, commitments, rounds, statuses and survey results. `url` is a row's own address
in the API, `page` its page on the site; other resources are linked by their API address."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from followup.models import CommitmentStatus, FollowUpRound
from promises.models import Commitment, FocusArea, Party, Promise, Theme
from situation.models import Indicator, SurveyResult


def _absolute(request, path):
    return request.build_absolute_uri(path)


# Detail routes whose lookup is not the pk, with a value their pattern accepts.
_LOOKUPS = {"municipality": "code", "police-area": "slug", "promise": "slug", "theme": "slug"}
_SAMPLE = "0000"


def detail_url(request, name, value):
    """The absolute API address of a row of `name` ("municipality") by its lookup `value`:
    reverse() and build_absolute_uri() once per route and request, then string formatting,
    since each costs some 30 µs and a list names hundreds of rows (the slugs, codes and ids of
    rows need no quoting)."""
    templates = request.__dict__.setdefault("_api_detail_urls", {})
    if name not in templates:
        path = reverse(f"api:{name}-detail", kwargs={_LOOKUPS.get(name, "pk"): _SAMPLE})
        head, _sample, tail = _absolute(request, path).rpartition(f"/{_SAMPLE}/")
        templates[name] = (f"{head}/", f"/{tail}")
    head, tail = templates[name]
    return f"{head}{value}{tail}"


def page_url(request, obj):
    """The address of a row's page on the site, in Swedish (the default language) whatever
    the client's Accept-Language: the API's answers are the same for everyone (page cache)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _absolute(request, obj.get_absolute_url())


def list_url(request, name, **query):
    """A list's absolute API address, filtered by `query`: reversed once per request."""
    lists = request.__dict__.setdefault("_api_list_urls", {})
    if name not in lists:
        lists[name] = _absolute(request, reverse(f"api:{name}-list"))
    return lists[name] + "?" + urlencode(query)


def party_api_url(request, party):
    if party.kind == Party.Kind.MUNICIPALITY:
        return detail_url(request, "municipality", party.municipality_code)
    if party.kind == Party.Kind.POLICE_AREA:
        return detail_url(request, "police-area", party.slug)
    return None


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The row's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return page_url(self.context["request"], obj)


class PartySerializer(serializers.ModelSerializer):
    """A party of a promise or the owner of a commitment."""

    code = serializers.CharField(
        source="municipality_code", help_text="A municipality's SCB code; empty for others."
    )
    url = serializers.SerializerMethodField(help_text="Its API address; null for a partner.")

    class Meta:
        model = Party
        fields = ["kind", "name", "slug", "code", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, party) -> str | None:
        return party_api_url(self.context["request"], party)


class PartiesOfKind(serializers.ListSerializer):
    """A promise's (prefetched) parties of one kind. The child serializer is built once for the
    whole list, not once per row, which costs DRF's ModelSerializer much."""

    kind = None

    def to_representation(self, data):
        parties = data.all() if hasattr(data, "all") else data
        return super().to_representation([party for party in parties if party.kind == self.kind])


class Municipalities(PartiesOfKind):
    kind = Party.Kind.MUNICIPALITY


class PoliceAreas(PartiesOfKind):
    kind = Party.Kind.POLICE_AREA


class MunicipalityRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:municipality-detail",
        lookup_field="municipality_code",
        lookup_url_kwarg="code",
    )
    code = serializers.CharField(source="municipality_code")

    class Meta:
        model = Party
        fields = ["url", "code", "name", "slug"]
        list_serializer_class = Municipalities


class PoliceAreaRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:police-area-detail", lookup_field="slug"
    )

    class Meta:
        model = Party
        fields = ["url", "slug", "name", "police_region"]
        list_serializer_class = PoliceAreas


class MunicipalitySerializer(MunicipalityRefSerializer):
    police_area = serializers.HyperlinkedRelatedField(
        view_name="api:police-area-detail", lookup_field="slug", read_only=True, allow_null=True
    )
    police_region = serializers.CharField(
        source="police_area.police_region", default="", read_only=True
    )
    page = PageField()
    promises = serializers.SerializerMethodField(help_text="Its published promises.")

    class Meta:
        model = Party
        fields = [
            "url",
            "code",
            "name",
            "slug",
            "county",
            "county_code",
            "police_area",
            "police_region",
            "page",
            "promises",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_promises(self, party) -> str:
        return list_url(self.context["request"], "promise", municipality=party.municipality_code)


class PoliceAreaSerializer(PoliceAreaRefSerializer):
    municipalities = MunicipalityRefSerializer(many=True, read_only=True)
    promises = serializers.SerializerMethodField(help_text="Its published promises.")

    class Meta:
        model = Party
        fields = ["url", "slug", "name", "police_region", "municipalities", "promises"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_promises(self, party) -> str:
        return list_url(self.context["request"], "promise", police_area=party.slug)


class PromiseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:promise-detail", lookup_field="slug")
    period = serializers.SerializerMethodField(
        help_text="current: in force today; upcoming: published, starts later; earlier: ended."
    )
    agreement = serializers.CharField(
        source="agreement.title",
        default="",
        read_only=True,
        help_text="The cooperation agreement it is made under; empty if none.",
    )
    municipalities = MunicipalityRefSerializer(source="parties", many=True, read_only=True)
    police_areas = PoliceAreaRefSerializer(source="parties", many=True, read_only=True)
    partners = serializers.SerializerMethodField(help_text="Other organisations that take part.")
    page = PageField()
    focus_areas = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    followup_rounds = serializers.SerializerMethodField()

    class Meta:
        model = Promise
        fields = [
            "url",
            "slug",
            "title",
            "period",
            "valid_from",
            "valid_until",
            "summary",
            "goal",
            "background",
            "how_to_follow",
            "agreement",
            "municipalities",
            "police_areas",
            "partners",
            "published_at",
            "updated_at",
            "page",
            "focus_areas",
            "commitments",
            "followup_rounds",
        ]

    @extend_schema_field({"type": "string", "enum": ["current", "upcoming", "earlier"]})
    def get_period(self, promise):
        if promise.is_upcoming:
            return "upcoming"
        return "current" if promise.is_current else "earlier"

    def get_partners(self, promise) -> list[str]:
        return [party.name for party in promise.parties.all() if party.kind == Party.Kind.PARTNER]

    @extend_schema_field(OpenApiTypes.URI)
    def get_focus_areas(self, promise) -> str:
        return list_url(self.context["request"], "focus-area", promise=promise.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_commitments(self, promise) -> str:
        return list_url(self.context["request"], "commitment", promise=promise.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_followup_rounds(self, promise) -> str:
        return list_url(self.context["request"], "followup-round", promise=promise.slug)


class PromiseLinkMixin(serializers.Serializer):
    promise = serializers.HyperlinkedRelatedField(
        view_name="api:promise-detail", lookup_field="slug", read_only=True
    )
    promise_slug = serializers.SlugRelatedField(source="promise", slug_field="slug", read_only=True)


class ThemeRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = ["url", "slug", "name_sv", "name_en"]


class ThemeRefMixin:
    """For serializers that name themes in methods: each theme represented once for all rows
    (the overview's years name every theme each)."""

    def theme_ref(self, theme):
        if not hasattr(self, "_theme_refs"):
            self._theme_refs = {}
        if theme.pk not in self._theme_refs:
            request = self.context["request"]
            self._theme_refs[theme.pk] = {
                "url": detail_url(request, "theme", theme.slug),
                "slug": theme.slug,
                "name_sv": theme.name_sv,
                "name_en": theme.name_en,
            }
        return self._theme_refs[theme.pk]


class ThemeSerializer(ThemeRefSerializer):
    promises = serializers.SerializerMethodField(help_text="Published promises with the theme.")
    focus_areas = serializers.SerializerMethodField(help_text="Focus areas tagged with it.")

    class Meta:
        model = Theme
        fields = ["url", "slug", "name_sv", "name_en", "order", "promises", "focus_areas"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_promises(self, theme) -> str:
        return list_url(self.context["request"], "promise", theme=theme.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_focus_areas(self, theme) -> str:
        return list_url(self.context["request"], "focus-area", theme=theme.slug)


class FocusAreaSerializer(PromiseLinkMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:focus-area-detail")
    themes = ThemeRefSerializer(many=True, read_only=True)
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = FocusArea
        fields = [
            "url",
            "id",
            "promise",
            "promise_slug",
            "order",
            "title",
            "description",
            "themes",
            "commitments",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_commitments(self, area) -> str:
        return list_url(self.context["request"], "commitment", focus_area=area.pk)


class LatestStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommitmentStatus.Status.choices)
    progress = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    round = serializers.URLField(help_text="The follow-up round it was published in.")


class CommitmentSerializer(PromiseLinkMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:commitment-detail")
    focus_area = serializers.HyperlinkedRelatedField(
        view_name="api:focus-area-detail", read_only=True, allow_null=True
    )
    owner_group = serializers.ChoiceField(
        choices=Commitment.OwnerGroup.choices,
        read_only=True,
        help_text="Who carries it out: police, municipality or joint.",
    )
    owners = PartySerializer(many=True, read_only=True)
    latest_status = serializers.SerializerMethodField(
        help_text="Its status in the latest published follow-up round; null before the first."
    )
    statuses = serializers.SerializerMethodField(help_text="Its status in every published round.")

    class Meta:
        model = Commitment
        fields = [
            "url",
            "id",
            "promise",
            "promise_slug",
            "focus_area",
            "focus_area_id",
            "order",
            "text",
            "owner_group",
            "owners",
            "latest_status",
            "statuses",
        ]

    @extend_schema_field(LatestStatusSerializer(allow_null=True))
    def get_latest_status(self, commitment):
        """From the `latest` status row the view gave the commitment (views.py)."""
        status = commitment.latest
        if status is None:
            return None
        return {
            "status": status.status,
            "progress": status.progress,
            "year": status.round.year,
            "quarter": status.round.quarter,
            "round": detail_url(self.context["request"], "followup-round", status.round_id),
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_statuses(self, commitment) -> str:
        return list_url(self.context["request"], "status", commitment=commitment.pk)


class FollowUpRoundSerializer(PromiseLinkMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:followup-round-detail")
    starts_on = serializers.SerializerMethodField(help_text="The quarter's first day.")
    ends_on = serializers.SerializerMethodField(help_text="The quarter's last day.")
    page = PageField()
    statuses = serializers.SerializerMethodField(help_text="Each commitment's status that quarter.")

    class Meta:
        model = FollowUpRound
        fields = [
            "url",
            "id",
            "promise",
            "promise_slug",
            "year",
            "quarter",
            "starts_on",
            "ends_on",
            "meeting_date",
            "forum",
            "summary",
            "published_at",
            "page",
            "statuses",
        ]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_starts_on(self, round_):
        return round_.period[0]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_ends_on(self, round_):
        return round_.period[1]

    @extend_schema_field(OpenApiTypes.URI)
    def get_statuses(self, round_) -> str:
        return list_url(self.context["request"], "status", round=round_.pk)


class CommitmentStatusSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:status-detail")
    round = serializers.HyperlinkedRelatedField(
        view_name="api:followup-round-detail", read_only=True
    )
    commitment = serializers.HyperlinkedRelatedField(
        view_name="api:commitment-detail", read_only=True
    )
    promise_slug = serializers.CharField(source="round.promise.slug", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    quarter = serializers.IntegerField(source="round.quarter", read_only=True)
    evidence_links = serializers.ListField(
        source="evidence_urls", child=serializers.URLField(), read_only=True
    )

    class Meta:
        model = CommitmentStatus
        fields = [
            "url",
            "id",
            "round",
            "commitment",
            "commitment_id",
            "promise_slug",
            "year",
            "quarter",
            "status",
            "progress",
            "done_this_quarter",
            "next_steps",
            "evidence_links",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "lower_is_better"]


class SurveyResultSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:survey-result-detail")
    area = PartySerializer(source="survey.area", read_only=True)
    year = serializers.IntegerField(source="survey.year", read_only=True)
    indicator = IndicatorSerializer(read_only=True)
    is_example = serializers.BooleanField(
        source="survey.is_example",
        read_only=True,
        help_text="true if the numbers are made up for demonstration, not measured.",
    )

    class Meta:
        model = SurveyResult
        fields = ["url", "id", "area", "year", "indicator", "group", "value", "is_example"]


# The national overview's figures (overview.figures), one serializer per kind of row.


class FiguresSerializer(serializers.Serializer):
    """The overview's rows are plain read-only values: each is built as one dict with what its
    declared fields (the OpenAPI description) name, not field by field, which costs DRF some
    20 µs a field on lists of 290 rows (tests/api/test_schema.py checks the two agree)."""


def _health(health):
    return {
        "due": health.due,
        "on_time": health.on_time,
        "share": health.share,
        "category": health.category,
    }


class HealthSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="Follow-up rounds due in the last four quarters.")
    on_time = serializers.IntegerField(help_text="Of those, published by the day they were due.")
    share = serializers.FloatField(allow_null=True, help_text="on_time / due; null if none due.")
    category = serializers.ChoiceField(
        choices=["all", "some", "none", "nothing_due"], help_text="How many were on time."
    )


class ThemeCountSerializer(serializers.Serializer):
    theme = ThemeRefSerializer()
    municipalities = serializers.IntegerField(
        help_text="Municipalities with a current promise with a focus area of the theme."
    )


class MunicipalityFiguresSerializer(FiguresSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    county_code = serializers.CharField()
    police_region = serializers.CharField()
    has_current_promise = serializers.BooleanField()
    health = HealthSerializer()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, figures) -> str:
        return detail_url(self.context["request"], "municipality", figures.code)

    def to_representation(self, figures):
        return {
            "code": figures.code,
            "name": figures.name,
            "url": self.get_url(figures),
            "county_code": figures.county_code,
            "police_region": figures.police_region,
            "has_current_promise": figures.has_current_promise,
            "health": _health(figures.health),
        }


class AreaFiguresSerializer(ThemeRefMixin, FiguresSerializer):
    key = serializers.CharField(help_text="The county's code or the police region.")
    name = serializers.CharField()
    municipalities = serializers.IntegerField()
    with_current_promise = serializers.IntegerField()
    share = serializers.FloatField(
        allow_null=True, help_text="Municipalities with a current promise, 0–1."
    )
    themes = serializers.SerializerMethodField(help_text="The most common themes, at most three.")
    health = HealthSerializer()

    @extend_schema_field(ThemeCountSerializer(many=True))
    def get_themes(self, figures):
        return [
            {"theme": self.theme_ref(theme), "municipalities": count}
            for theme, count in figures.themes
        ]

    def to_representation(self, figures):
        return {
            "key": figures.key,
            "name": figures.name,
            "municipalities": figures.municipalities,
            "with_current_promise": figures.with_current_promise,
            "share": figures.share,
            "themes": self.get_themes(figures),
            "health": _health(figures.health),
        }


class YearThemeSerializer(serializers.Serializer):
    theme = ThemeRefSerializer()
    promises = serializers.IntegerField()


class YearFiguresSerializer(ThemeRefMixin, FiguresSerializer):
    year = serializers.IntegerField()
    promises = serializers.IntegerField(help_text="Published promises in force some day of it.")
    themes = serializers.SerializerMethodField(help_text="Of those, how many have each theme.")

    @extend_schema_field(YearThemeSerializer(many=True))
    def get_themes(self, figures):
        return [
            {"theme": self.theme_ref(theme), "promises": count}
            for theme, count in figures.themes.items()
        ]

    def to_representation(self, figures):
        return {
            "year": figures.year,
            "promises": figures.promises,
            "themes": self.get_themes(figures),
        }
