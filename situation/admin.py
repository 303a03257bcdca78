from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from promises.models import Party
from promises.scoped_admin import (
    HistoryAdmin,
    PartiesForm,
    PartyScopedAdmin,
    PartyScopedInline,
    share_choices,
)

from . import survey_csv
from .models import (
    ActionPlan,
    Indicator,
    Place,
    Problem,
    SafetySurvey,
    SituationPicture,
    SurveyResult,
)


@admin.register(Place)
class PlaceAdmin(PartyScopedAdmin):
    list_display = ["name", "kind", "municipality", "has_coordinates"]
    list_filter = ["kind"]
    list_select_related = ["municipality"]
    search_fields = ["name", "description", "municipality__name"]
    fields = ["municipality", "name", "kind", "description", "latitude", "longitude"]

    @admin.display(description=_("coordinates"), boolean=True)
    def has_coordinates(self, obj):
        return obj.latitude is not None


class ProblemInline(PartyScopedInline, admin.TabularInline):
    model = Problem
    extra = 0
    fields = ["title", "category", "trend", "observed_on", "visibility"]
    show_change_link = True


class SituationPictureForm(PartiesForm):
    parties_fields = ["municipalities", "police_area"]


@admin.register(SituationPicture)
class SituationPictureAdmin(PartyScopedAdmin):
    form = SituationPictureForm
    list_display = ["title", "valid_from", "valid_until", "visibility", "revised_on", "problems"]
    list_filter = ["visibility", "valid_from"]
    search_fields = ["title", "public_summary", "municipalities__name"]
    autocomplete_fields = ["municipalities", "police_area"]
    date_hierarchy = "valid_from"
    inlines = [ProblemInline]
    fieldsets = [
        (None, {"fields": ["title", "municipalities", "police_area", "valid_from", "valid_until"]}),
        (_("Decision"), {"fields": ["decided_on", "revised_on"]}),
        (
            _("Picture (internal)"),
            {"fields": ["crime_mapping", "other_information", "analysis", "sources"]},
        ),
        (_("For residents"), {"fields": ["visibility", "public_summary"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("problems", distinct=True))

    def get_choices(self, db_field, request):
        # The police area shares the picture; the coordinators are no members of it.
        if db_field.name == "police_area":
            return Party.objects.police_areas()
        return super().get_choices(db_field, request)

    @admin.display(description=_("problems"), ordering="problems__count")
    def problems(self, obj):
        return obj.problems__count

    def view_on_site(self, obj):
        return reverse("situation:picture_detail", args=[obj.pk]) if obj.is_public else None


class CommitmentListFilter(admin.SimpleListFilter):
    title = _("answered by a commitment")
    parameter_name = "has_commitment"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no commitment yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_commitment()
        if self.value() == "no":
            return queryset.without_commitment()
        return queryset


class ProblemAdminForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "picture",
            "title",
            "description",
            "observed_on",
            "visibility",
            "category",
            "source",
            "trend",
            "cause_analysis",
            "places",
            "focus_areas",
            "commitments",
            "indicators",
        ]

    def clean(self):
        cleaned_data = super().clean()
        picture = cleaned_data.get("picture")
        if picture is None:
            return cleaned_data
        municipalities = picture.municipalities.all()
        # A problem is answered by promises of the municipalities whose picture it is in.
        for name in ("focus_areas", "commitments"):
            chosen = cleaned_data.get(name)
            if not chosen:
                continue
            allowed = chosen.filter(promise__parties__in=municipalities).values("pk")
            outside = chosen.exclude(pk__in=allowed)
            if outside:
                self.add_error(
                    name,
                    _("Not a promise of this picture's municipalities: %(items)s")
                    % {"items": "; ".join(str(item) for item in outside)},
                )
        places = cleaned_data.get("places")
        if places:
            outside = places.exclude(municipality__in=municipalities)
            if outside:
                self.add_error(
                    "places",
                    _("Not a place in this picture's municipalities: %(items)s")
                    % {"items": "; ".join(place.name for place in outside)},
                )
        return cleaned_data


@admin.register(Problem)
class ProblemAdmin(PartyScopedAdmin):
    """The working group's monthly review: drill down by month of observation."""

    form = ProblemAdminForm

    list_display = [
        "title",
        "picture",
        "category",
        "trend",
        "visibility",
        "observed_on",
        "commitment_count",
    ]
    list_filter = [CommitmentListFilter, "category", "trend", "visibility", "source"]
    list_select_related = ["picture"]
    search_fields = ["title", "description", "cause_analysis", "picture__title"]
    date_hierarchy = "observed_on"
    autocomplete_fields = ["picture", "places", "focus_areas", "commitments", "indicators"]
    fieldsets = [
        (None, {"fields": ["picture", "title", "description", "observed_on", "visibility"]}),
        (_("Assessment"), {"fields": ["category", "source", "trend", "cause_analysis", "places"]}),
        (_("Answered by"), {"fields": ["focus_areas", "commitments", "indicators"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("commitments", distinct=True))

    @admin.display(description=_("commitments"), ordering="commitments__count")
    def commitment_count(self, obj):
        return obj.commitments__count or _("none yet")

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None


@admin.register(ActionPlan)
class ActionPlanAdmin(PartyScopedAdmin):
    list_display = ["title", "municipality", "valid_from", "valid_until", "decided_by"]
    list_filter = ["valid_from"]
    list_select_related = ["municipality"]
    search_fields = ["title", "summary", "decided_by", "municipality__name"]
    autocomplete_fields = ["commitments"]
    date_hierarchy = "valid_from"


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["name", "code", "unit", "lower_is_better", "order"]
    list_filter = ["unit", "lower_is_better"]
    search_fields = ["name", "code", "description"]


class SurveyResultInline(PartyScopedInline, admin.TabularInline):
    model = SurveyResult
    extra = 0
    fields = ["indicator", "group", "value"]
    ordering = ["indicator__order", "group"]

    def get_queryset(self, request):
        # Each row is titled with its indicator and survey (SurveyResult.__str__).
        return super().get_queryset(request).select_related("indicator", "survey")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "indicator" in formset.form.base_fields:
            share_choices(formset.form.base_fields["indicator"])
        return formset


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, with the header area,year,indicator,group,value. One bad row rejects the "
            "whole file."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if error := survey_csv.too_large(file.size):
            raise forms.ValidationError(error.errors[0].message)
        return file


@admin.register(SafetySurvey)
class SafetySurveyAdmin(PartyScopedAdmin):
    list_display = ["__str__", "year", "area", "is_published", "is_example", "result_count"]
    list_filter = ["is_published", "is_example", "year"]
    list_select_related = ["area"]
    search_fields = ["area__name", "conducted_by"]
    autocomplete_fields = ["area"]
    inlines = [SurveyResultInline]
    actions = ["export_csv"]
    change_list_template = "admin/situation/safetysurvey/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("results"))

    @admin.display(description=_("values"), ordering="results__count")
    def result_count(self, obj):
        return obj.results__count

    def view_on_site(self, obj):
        if obj.is_published and obj.area.kind == Party.Kind.MUNICIPALITY:
            return reverse("situation:survey_detail", args=[obj.area.slug])
        return None

    @admin.action(description=_("Export the selected surveys as CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="trygghetsmatning.csv"'
        survey_csv.write(SurveyResult.objects.filter(survey__in=queryset), response)
        return response

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="situation_safetysurvey_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SurveyImportForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            try:
                text = survey_csv.read(form.cleaned_data["file"])
                summary = survey_csv.import_text(text, user=request.user)
            except survey_csv.SurveyCSVError as error:
                form.add_error("file", gettext("The file was not imported; nothing was written."))
                for row_error in error.errors:
                    form.add_error("file", str(row_error))
            else:
                values = summary.results_created + summary.results_updated
                surveys = summary.surveys_created
                messages.success(
                    request,
                    " ".join(
                        [
                            ngettext(
                                "Imported %(count)d value.", "Imported %(count)d values.", values
                            )
                            % {"count": values},
                            ngettext(
                                "%(count)d new survey was created unpublished.",
                                "%(count)d new surveys were created unpublished.",
                                surveys,
                            )
                            % {"count": surveys},
                        ]
                    ),
                )
                return redirect("admin:situation_safetysurvey_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import survey results"),
            "form": form,
            "columns": survey_csv.COLUMNS,
            "groups": SurveyResult.Group.values,
            "indicators": Indicator.objects.all(),
        }
        return TemplateResponse(request, "admin/situation/safetysurvey/import.html", context)


@admin.register(SurveyResult)
class SurveyResultAdmin(PartyScopedAdmin):
    list_display = ["indicator", "group", "value", "survey"]
    list_filter = ["indicator", "group", "survey__year"]
    list_select_related = ["survey__area", "indicator"]
    search_fields = ["survey__area__name", "indicator__name", "indicator__code"]
    # Newest first by the primary key's index: the model's order (by area, year and
    # indicator) sorts every result in the country to show a page of them.
    ordering = ["-pk"]
    show_full_result_count = False

    def get_choices(self, db_field, request):
        choices = super().get_choices(db_field, request)
        if db_field.name == "survey":
            return choices.select_related("area")  # each choice is named after its area
        return choices
