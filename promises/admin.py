from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agreement, Commitment, FocusArea, Membership, Party, Promise


class PartyScopedAdmin(SimpleHistoryAdmin):
    """An admin whose rows are limited to the parties the signed-in user belongs to.

    The model's QuerySet decides what "belongs" means through its for_user() method, so
    the changelist, the change page and the history of other parties' objects are 404.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


class MunicipalityListFilter(admin.SimpleListFilter):
    title = _("municipality")
    parameter_name = "municipality"

    def lookups(self, request, model_admin):
        return (
            Party.objects.municipalities()
            .filter(promises__isnull=False)
            .distinct()
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(parties=self.value())
        return queryset


class PoliceAreaListFilter(MunicipalityListFilter):
    title = _("local police area")
    parameter_name = "police_area"

    def lookups(self, request, model_admin):
        return (
            Party.objects.police_areas()
            .filter(promises__isnull=False)
            .distinct()
            .values_list("pk", "name")
        )


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "municipality_code", "county", "police_region", "police_area"]
    list_filter = ["kind", "police_region", "county"]
    list_select_related = ["police_area"]
    search_fields = ["name", "municipality_code", "county"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["police_area"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "website"]}),
        (
            _("Municipality"),
            {"fields": ["municipality_code", "county_code", "county", "police_area"]},
        ),
        (_("Police"), {"fields": ["police_region"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "party", "role"]
    list_filter = ["role", "party__kind"]
    list_select_related = ["user", "party"]
    search_fields = ["user__username", "user__email", "party__name"]
    autocomplete_fields = ["user", "party"]


@admin.register(Agreement)
class AgreementAdmin(PartyScopedAdmin):
    list_display = ["title", "valid_from", "valid_until", "signed_on"]
    list_filter = [MunicipalityListFilter, PoliceAreaListFilter]
    search_fields = ["title", "summary", "parties__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parties"]
    date_hierarchy = "valid_from"


class PromiseAdminForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = [
            "title",
            "slug",
            "agreement",
            "parties",
            "valid_from",
            "valid_until",
            "summary",
            "goal",
            "background",
            "how_to_follow",
            "status",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if "parties" in cleaned_data:
            try:
                Promise.validate_parties(cleaned_data["parties"])
            except ValidationError as error:
                self.add_error("parties", error)
        return cleaned_data


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0
    fields = ["order", "title", "description"]


class CommitmentInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        parties = getattr(self.instance, "pending_parties", None)
        if parties is None:
            if not self.instance.pk:
                return  # the promise's own form is invalid; its errors come first
            parties = list(self.instance.parties.all())
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            owners = form.cleaned_data.get("owners")
            if owners is None:
                continue
            try:
                form.instance.validate_owners(owners, promise_parties=parties)
            except ValidationError as error:
                form.add_error(None, error)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    formset = CommitmentInlineFormSet
    extra = 0
    fields = ["order", "focus_area", "owners", "text"]
    autocomplete_fields = ["owners"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        focus_area = formset.form.base_fields["focus_area"]
        focus_area.queryset = (
            FocusArea.objects.filter(promise=obj) if obj else FocusArea.objects.none()
        )
        return formset


@admin.register(Promise)
class PromiseAdmin(PartyScopedAdmin):
    form = PromiseAdminForm
    list_display = ["title", "status", "valid_from", "valid_until", "commitment_count"]
    list_filter = ["status", MunicipalityListFilter, PoliceAreaListFilter, "valid_from"]
    search_fields = ["title", "summary", "goal", "parties__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "parties"]
    date_hierarchy = "valid_from"
    inlines = [FocusAreaInline, CommitmentInline]
    readonly_fields = ["published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "published_at", "updated_at"]}),
        (
            _("Parties and period"),
            {"fields": ["agreement", "parties", "valid_from", "valid_until"]},
        ),
        (_("Content"), {"fields": ["summary", "goal", "background", "how_to_follow"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("commitments", distinct=True))

    @admin.display(description=_("commitments"), ordering="commitments__count")
    def commitment_count(self, obj):
        return obj.commitments__count

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def save_form(self, request, form, change):
        promise = super().save_form(request, form, change)
        # The commitment inline validates owners against the parties chosen on this page,
        # which are saved only after the inlines have been validated.
        promise.pending_parties = list(form.cleaned_data.get("parties") or [])
        return promise


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "promise", "order"]
    list_select_related = ["promise"]
    search_fields = ["title", "description", "promise__title"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(promise__in=Promise.objects.for_user(request.user))
        )


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "promise", "focus_area", "order"]
    list_select_related = ["promise", "focus_area"]
    search_fields = ["text", "promise__title"]
    autocomplete_fields = ["owners"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(promise__in=Promise.objects.for_user(request.user))
        )
