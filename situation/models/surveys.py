"""The yearly safety surveys (trygghetsmätningar): surveys, their indicators and results."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.models import Party, PartyScopedQuerySet

# The years a safety survey may have.
MIN_YEAR, MAX_YEAR = 1990, 2100


class SurveyGroup(models.TextChoices):
    ALL = "all", _("everyone")
    WOMEN = "women", _("women")
    MEN = "men", _("men")
    AGE_16_29 = "16-29", _("aged 16–29")
    AGE_30_49 = "30-49", _("aged 30–49")
    AGE_50_64 = "50-64", _("aged 50–64")
    AGE_65_PLUS = "65+", _("aged 65 and over")
    WOMEN_16_29 = "women-16-29", _("women aged 16–29")
    MEN_16_29 = "men-16-29", _("men aged 16–29")


class SafetySurveyQuerySet(PartyScopedQuerySet):
    party_lookups = ("area",)

    def public(self):
        return self.filter(is_published=True)


class SafetySurvey(models.Model):
    """One year's safety survey (trygghetsmätning) of a municipality or a police area."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    area = models.ForeignKey(
        Party,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="safety_surveys",
        limit_choices_to={"kind__in": [Party.Kind.MUNICIPALITY, Party.Kind.POLICE_AREA]},
        help_text=_("The municipality or local police area surveyed."),
    )
    conducted_by = models.CharField(_("conducted by"), max_length=200, blank=True)
    method = models.TextField(_("method"), blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    response_rate = models.DecimalField(
        _("response rate (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Synthetic numbers for demonstration; the public page says so."),
    )

    history = HistoricalRecords()
    objects = SafetySurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety survey")
        verbose_name_plural = _("safety surveys")
        ordering = ["area__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"],
                name="safetysurvey_unique_area_year",
                violation_error_message=_("There is already a survey for this area and year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="safetysurvey_year_plausible",
                violation_error_message=_("The year must lie between 1990 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(response_rate__isnull=True)
                | Q(response_rate__gte=0, response_rate__lte=100),
                name="safetysurvey_response_rate_percent",
                violation_error_message=_("The response rate is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(respondents__isnull=True)
                | Q(sample_size__isnull=True)
                | Q(respondents__lte=models.F("sample_size")),
                name="safetysurvey_respondents_within_sample",
                violation_error_message=_("There cannot be more respondents than the sample."),
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.year}"

    def clean(self):
        if self.area_id and self.area.kind not in (
            Party.Kind.MUNICIPALITY,
            Party.Kind.POLICE_AREA,
        ):
            raise ValidationError(
                {"area": _("A survey covers a municipality or a local police area.")}
            )

    def get_parties(self):
        return [self.area]


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", _("percent")
    INDEX = "index", _("index (0–100)")


class Indicator(models.Model):
    """A survey question reported as a share or an index, e.g. worry about crime."""

    Unit = IndicatorUnit

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Residents read these on /en/; the shipped indicators come with theirs (migration 0004).
    name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the English pages; the Swedish name if empty."),
    )
    description_en = models.TextField(
        _("description in English"),
        blank=True,
        help_text=_("Shown on the English pages; the Swedish description if empty."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit, default=Unit.PERCENT)
    lower_is_better = models.BooleanField(_("lower is better"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=IndicatorUnit.values), name="indicator_unit_valid"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the page's language."""
        return _in_language(self.name, self.name_en)

    @property
    def display_description(self):
        """The description in the page's language."""
        return _in_language(self.description, self.description_en)


def _in_language(swedish, english):
    """Reference data written in Swedish with an optional English text: the English on English
    pages when there is one, else the Swedish."""
    return english if english and translation.get_language() == "en" else swedish


class SurveyResultQuerySet(PartyScopedQuerySet):
    party_lookups = ("survey__area",)

    def public(self):
        return self.filter(survey__in=SafetySurvey.objects.public())


class SurveyResult(models.Model):
    """One indicator's value for one group in one survey."""

    Group = SurveyGroup

    survey = models.ForeignKey(
        SafetySurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="results"
    )
    group = models.CharField(_("group"), max_length=20, choices=Group, default=Group.ALL)
    # Both units (percent and index) are on a 0–100 scale, so one range check fits every row.
    value = models.DecimalField(
        _("value"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    history = HistoricalRecords()
    objects = SurveyResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["survey", "indicator__order", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "indicator", "group"],
                name="surveyresult_unique_survey_indicator_group",
                violation_error_message=_(
                    "This survey already has a value for this indicator and group."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=100),
                name="surveyresult_value_0_to_100",
                violation_error_message=_("The value must lie between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(group__in=SurveyGroup.values), name="surveyresult_group_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} ({self.get_group_display()}) {self.survey.year}: {self.value}"

    def get_parties(self):
        return self.survey.get_parties()
