"""The situation picture (lägesbild): places, the picture itself, its problems and the
municipality's action plan."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.models import Party, PartyScopedQuerySet, PeriodModel, period_constraint

# Places open on this public map site (a link only, see Place.map_url).
OPENSTREETMAP_URL = "https://www.openstreetmap.org/"


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("internal")
    PUBLIC = "public", _("public")


class PlaceKind(models.TextChoices):
    CENTRE = "centre", _("town centre")
    SQUARE = "square", _("square")
    SCHOOL = "school", _("school area")
    ROAD = "road", _("road or street")
    PARK = "park", _("park")
    STATION = "station", _("station or bus stop")
    NIGHTLIFE = "nightlife", _("nightlife area")
    RESIDENTIAL = "residential", _("residential area")
    OTHER = "other", _("other")


class ProblemCategory(models.TextChoices):
    VIOLENCE = "violence", _("violence")
    NARCOTICS = "narcotics", _("narcotics")
    THEFT = "theft", _("theft and burglary")
    FRAUD = "fraud", _("fraud")
    TRAFFIC = "traffic", _("traffic")
    VANDALISM = "vandalism", _("vandalism")
    DISORDER = "disorder", _("public disorder")
    YOUTH = "youth", _("children and young people")
    ANDTS = "andts", _("ANDTS")
    OTHER = "other", _("other")


class ProblemSource(models.TextChoices):
    POLICE = "police", _("police data")
    MUNICIPALITY = "municipality", _("municipality")
    FIELD_WORKERS = "field_workers", _("field workers")
    SCHOOL = "school", _("school")
    SOCIAL_SERVICES = "social_services", _("social services")
    HOUSING = "housing", _("housing company")
    DIALOGUE = "dialogue", _("citizen dialogue")
    SAFETY_WALK = "safety_walk", _("safety walk")
    SURVEY = "survey", _("safety survey")
    OTHER = "other", _("other")


class ProblemTrend(models.TextChoices):
    RISING = "rising", _("rising")
    STABLE = "stable", _("stable")
    FALLING = "falling", _("falling")
    UNKNOWN = "unknown", _("unknown")


class PlaceQuerySet(PartyScopedQuerySet):
    party_lookups = ("municipality",)


class Place(models.Model):
    """A named place in a municipality, used to mark hotspots."""

    Kind = PlaceKind

    municipality = models.ForeignKey(
        Party,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="places",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees (WGS 84), e.g. 56.27 for Olofström."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees (WGS 84), e.g. 14.53 for Olofström."),
    )

    history = HistoricalRecords()
    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="place_unique_name_per_municipality"
            ),
            models.CheckConstraint(condition=Q(kind__in=PlaceKind.values), name="place_kind_valid"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_in_range",
                violation_error_message=_("The latitude must lie between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_in_range",
                violation_error_message=_("The longitude must lie between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_both_or_neither",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"

    def get_parties(self):
        return [self.municipality]

    @property
    def map_url(self):
        """The place on OpenStreetMap, or "" without coordinates: a plain link residents may
        follow, so that our pages themselves ask no map server for anything."""
        if self.latitude is None or self.longitude is None:
            return ""
        query = urlencode({"mlat": self.latitude, "mlon": self.longitude})
        return f"{OPENSTREETMAP_URL}?{query}#map=16/{self.latitude}/{self.longitude}"


class SituationPictureQuerySet(PartyScopedQuerySet):
    party_lookups = ("municipalities", "police_area")

    def public(self):
        """The one rule for which situation pictures residents may read."""
        return self.filter(visibility=Visibility.PUBLIC)

    def current(self):
        """The pictures valid today, the most recently started first."""
        today = timezone.localdate()
        return self.filter(valid_from__lte=today, valid_until__gte=today).order_by("-valid_from")


class SituationPicture(PeriodModel):
    """The situation picture (lägesbild) of one municipality, or of several sharing a promise."""

    title = models.CharField(_("title"), max_length=200)
    municipalities = models.ManyToManyField(
        Party,
        verbose_name=_("municipalities"),
        related_name="situation_pictures",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    police_area = models.ForeignKey(
        Party,
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="police_situation_pictures",
        limit_choices_to={"kind": Party.Kind.POLICE_AREA},
    )
    crime_mapping = models.TextField(
        _("mapping of crime"), blank=True, help_text=_("Which crimes, their extent and effects.")
    )
    other_information = models.TextField(_("other relevant information"), blank=True)
    analysis = models.TextField(_("analysis and causes"), blank=True)
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Police data, field workers, schools, citizen dialogue, safety walks …"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    revised_on = models.DateField(_("last revised on"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility, default=Visibility.INTERNAL
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("What residents may read. The rest of the picture stays internal."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = SituationPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation picture")
        verbose_name_plural = _("situation pictures")
        ordering = ["-valid_from", "title"]
        constraints = [
            period_constraint("situationpicture_period_ends_after_start"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="situationpicture_visibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(visibility=Visibility.PUBLIC) | ~Q(public_summary=""),
                name="situationpicture_public_has_summary",
                violation_error_message=_("A public situation picture needs a public summary."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.decided_on and self.revised_on and self.revised_on < self.decided_on:
            raise ValidationError(
                {"revised_on": _("A picture cannot be revised before it was decided.")}
            )

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    def get_parties(self):
        police_area = [self.police_area] if self.police_area_id else []
        return [*self.municipalities.all(), *police_area]


class ProblemQuerySet(PartyScopedQuerySet):
    party_lookups = ("picture__municipalities", "picture__police_area")

    def public(self):
        """Public problems of public pictures: the one rule for what residents see."""
        return self.filter(
            visibility=Visibility.PUBLIC, picture__in=SituationPicture.objects.public()
        )

    def without_commitment(self):
        return self.filter(commitments__isnull=True)

    def with_commitment(self):
        return self.filter(commitments__isnull=False).distinct()


class Problem(models.Model):
    """An entry of the situation picture, reviewed monthly by the working group."""

    Category = ProblemCategory

    Source = ProblemSource

    Trend = ProblemTrend

    picture = models.ForeignKey(
        SituationPicture,
        verbose_name=_("situation picture"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    trend = models.CharField(
        _("observed trend"), max_length=20, choices=Trend, default=Trend.UNKNOWN
    )
    cause_analysis = models.TextField(_("cause analysis"), blank=True)
    observed_on = models.DateField(_("date observed"), default=timezone.localdate)
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Visibility,
        default=Visibility.INTERNAL,
        help_text=_(
            "Residents see a public problem of a public picture: its title, description, "
            "cause analysis, trend and places."
        ),
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), related_name="problems", blank=True
    )
    focus_areas = models.ManyToManyField(
        "promises.FocusArea",
        verbose_name=_("focus areas"),
        related_name="problems",
        blank=True,
        help_text=_("The focus areas of promises that answer this problem."),
    )
    commitments = models.ManyToManyField(
        "promises.Commitment",
        verbose_name=_("commitments"),
        related_name="problems",
        blank=True,
        help_text=_("The commitments that answer this problem."),
    )
    indicators = models.ManyToManyField(
        "Indicator",
        verbose_name=_("indicators"),
        related_name="problems",
        blank=True,
        help_text=_("The survey indicators that show whether the problem is shrinking."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-observed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ProblemCategory.values),
                name="problem_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ProblemSource.values), name="problem_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(trend__in=ProblemTrend.values), name="problem_trend_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="problem_visibility_valid",
            ),
        ]
        indexes = [models.Index(fields=["picture", "-observed_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("situation:problem_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC and self.picture.is_public

    def get_parties(self):
        return self.picture.get_parties()


class ActionPlanQuerySet(PartyScopedQuerySet):
    party_lookups = ("municipality",)

    def decided(self):
        """The one rule for which action plans residents may read: those decided (a public
        document from the day of the decision); a plan without a decision date is a draft."""
        return self.filter(decided_on__lte=timezone.localdate())

    def overlapping(self, valid_from, valid_until):
        return self.filter(valid_from__lte=valid_until, valid_until__gte=valid_from)


class ActionPlan(PeriodModel):
    """The municipality's action plan (åtgärdsplan), decided on the basis of the picture."""

    municipality = models.ForeignKey(
        Party,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="action_plans",
        limit_choices_to={"kind": Party.Kind.MUNICIPALITY},
    )
    title = models.CharField(_("title"), max_length=200)
    decided_by = models.CharField(
        _("deciding body"), max_length=200, help_text=_("e.g. the municipal executive board")
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("document (PDF)"),
        upload_to="action_plans/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    commitments = models.ManyToManyField(
        "promises.Commitment",
        verbose_name=_("commitments"),
        related_name="action_plans",
        blank=True,
    )

    history = HistoricalRecords()
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["municipality__name", "-valid_from"]
        constraints = [period_constraint("actionplan_period_ends_after_start")]

    def __str__(self):
        return self.title

    def get_parties(self):
        return [self.municipality]
