from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import permissions, services
from .admin_widgets import AccessibleAdminMixin, AutocompleteSelectMultiple, Checkboxes
from .admin_workflow import WorkflowAdminMixin
from .models import (
    Agreement,
    Commitment,
    FocusArea,
    Membership,
    Party,
    Promise,
    PromiseApproval,
    Theme,
)
from .scoped_admin import (
    KeepOnRecordFormSet,
    PartiesForm,
    PartyScopedAdmin,
    PartyScopedInline,
    share_choices,
)

# The latest changes of a promise's focus areas and commitments on its history page.
PART_HISTORY_ROWS = 200


class MunicipalityListFilter(admin.SimpleListFilter):
    title = _("municipality")
    parameter_name = "municipality"
    kind = Party.Kind.MUNICIPALITY

    def lookups(self, request, model_admin):
        return (
            Party.objects.filter(
                kind=self.kind, promises__in=Promise.objects.for_user(request.user)
            )
            .distinct()
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            party = Party._meta.pk.to_python(self.value())
        except ValidationError as error:  # the admin redirects to the unfiltered list
            raise IncorrectLookupParameters(error) from None
        return queryset.filter(parties=party)


class PoliceAreaListFilter(MunicipalityListFilter):
    title = _("local police area")
    parameter_name = "police_area"
    kind = Party.Kind.POLICE_AREA


class NonEmptyValuesListFilter(admin.AllValuesFieldListFilter):
    """The field's values without the empty one (a police area has no county), which would be
    a link without text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_choices = [value for value in self.lookup_choices if value != ""]


@admin.register(Party)
class PartyAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "municipality_code", "county", "police_region", "police_area"]
    list_filter = ["kind", "police_region", ("county", NonEmptyValuesListFilter)]
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
class MembershipAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["user", "party", "role"]
    list_filter = ["role", "party__kind"]
    list_select_related = ["user", "party"]
    search_fields = ["user__username", "user__email", "party__name"]
    autocomplete_fields = ["user", "party"]

    def delete_queryset(self, request, queryset):
        # A bulk delete skips Membership.delete(), which keeps the role groups in step.
        users = {membership.user for membership in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            Membership.sync_groups(user)


@admin.register(Agreement)
class AgreementAdmin(PartyScopedAdmin):
    form = PartiesForm
    list_display = ["title", "valid_from", "valid_until", "signed_on"]
    list_filter = [MunicipalityListFilter, PoliceAreaListFilter]
    search_fields = ["title", "summary", "parties__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parties"]
    date_hierarchy = "valid_from"

    def get_choices(self, db_field, request):
        # An agreement binds the user's municipality to a police area they are no member of.
        if db_field.name == "parties":
            return Party.objects.all()
        return super().get_choices(db_field, request)


class PromiseAdminForm(PartiesForm):
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
            "outcome",
            "change_note",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if "parties" in cleaned_data:
            try:
                Promise.validate_parties(cleaned_data["parties"])
            except ValidationError as error:
                self.add_error("parties", error)
        return cleaned_data


class FocusAreaForm(forms.ModelForm):
    """A focus area's themes as checkboxes, with those its saved title suggests named as a hint.

    A hint rather than ticked boxes: a suggestion the editor has not looked at must not be saved
    as a tag, and a form whose boxes were ticked for it would count as unchanged.
    `themes`, the national list read once, saves a query per form of a formset.
    """

    class Meta:
        model = FocusArea
        fields = ["order", "title", "description", "themes"]
        widgets = {"themes": Checkboxes}

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("themes")
        if field is None:
            return
        themes = list(field.queryset) if themes is None else themes
        field.choices = [(theme.pk, theme.name) for theme in themes]
        suggested = [theme for theme in themes if theme.matches(self.instance.title)]
        if suggested:
            field.help_text = _("Suggested from the title: %(themes)s.") % {
                "themes": ", ".join(theme.name for theme in suggested)
            }


class FocusAreaInlineFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        if not hasattr(self, "_themes"):
            self._themes = list(Theme.objects.all())
        return {**super().get_form_kwargs(index), "themes": self._themes}


class FocusAreaInline(PartyScopedInline, admin.StackedInline):
    model = FocusArea
    form = FocusAreaForm
    formset = FocusAreaInlineFormSet
    extra = 0
    fields = ["order", "title", "description", "themes"]
    plain_language_fields = ["description"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")


class CommitmentInlineFormSet(KeepOnRecordFormSet):
    """Checks the commitments' owners against the promise's parties: those chosen on the same
    page (`promise_parties`, from PromiseAdmin.get_formset_kwargs()), else those saved."""

    def __init__(self, *args, promise_parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.promise_parties = promise_parties

    def clean(self):
        super().clean()
        parties = self.promise_parties
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


class OwnersWidget(AutocompleteSelectMultiple):
    """The owners' autocomplete, which names a row's chosen owners from `parties` (the promise's
    parties, read once for all the rows) instead of querying them for every row; owners from
    elsewhere, as on a refused form, are queried as usual."""

    parties = ()  # shared by every row's copy of the widget

    def optgroups(self, name, value, attr=None):
        chosen = {str(pk) for pk in value if str(pk) not in self.choices.field.empty_values}
        known = [party for party in self.parties if str(party.pk) in chosen]
        if len(known) < len(chosen):
            return super().optgroups(name, value, attr)
        label = self.choices.field.label_from_instance
        options = [
            self.create_option(name, party.pk, label(party), chosen, index)
            for index, party in enumerate(known)
        ]
        return [(None, options, 0)]


class CommitmentInline(PartyScopedInline, admin.StackedInline):
    """Stacked, one block per commitment: as a table row its text and owners were too wide for
    the screen."""

    model = Commitment
    formset = CommitmentInlineFormSet
    extra = 0
    fields = ["text", ("order", "focus_area"), "owners"]
    plain_language_fields = ["text"]
    autocomplete_fields = ["owners"]

    def get_fields(self, request, obj=None):
        # A new promise's focus areas exist only once it is saved: the focus area is chosen
        # then, on the page the editor lands on (PromiseAdmin.response_add()), rather than in
        # a list that would stay empty.
        if obj is None:
            return ["text", "order", "owners"]
        # The closing assessment's columns, once the promise's period has ended.
        if obj.valid_until < timezone.localdate():
            return [*self.fields, "completion", "completion_note"]
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("focus_area").prefetch_related("owners")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "owners":
            kwargs["widget"] = OwnersWidget(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if "focus_area" in fields:
            fields["focus_area"].queryset = FocusArea.objects.filter(promise=obj)
            share_choices(fields["focus_area"])
        if "owners" in fields and obj is not None:
            widget = fields["owners"].widget
            getattr(widget, "widget", widget).parties = obj.parties.all()  # inside the wrapper
        return formset


@admin.register(Promise)
class PromiseAdmin(WorkflowAdminMixin, PartyScopedAdmin):
    form = PromiseAdminForm
    workflow = services.PROMISE_WORKFLOW
    list_display = [
        "title",
        "status",
        "is_revision",
        "valid_from",
        "valid_until",
        "commitment_count",
    ]
    list_filter = ["status", MunicipalityListFilter, PoliceAreaListFilter, "valid_from"]
    search_fields = ["title", "summary", "goal", "parties__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "parties"]
    date_hierarchy = "valid_from"
    inlines = [FocusAreaInline, CommitmentInline]
    plain_language_fields = ["summary", "goal", "background", "how_to_follow"]
    # The status changes only through the publishing steps (promises.services).
    readonly_fields = ["status", "submitted_at", "published_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "status", "submitted_at", "published_at", "updated_at"]},
        ),
        (
            _("Parties and period"),
            {"fields": ["agreement", "parties", "valid_from", "valid_until"]},
        ),
        (_("Content"), {"fields": ["summary", "goal", "background", "how_to_follow"]}),
        (_("Closing assessment, after the period"), {"fields": ["outcome"]}),
        (_("For the change log"), {"fields": ["change_note"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A revision is published at its original's address.
        if obj is not None and obj.is_revision:
            return [*self.readonly_fields, "slug"]
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.is_revision else self.prepopulated_fields

    # Pages of 50 rows, counted once: the full count beside the filtered one would be a second
    # count of the country's promises on every page.
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        # A subquery per row shown, not a join of every commitment grouped by promise, which
        # the date hierarchy's and the paginator's queries would carry too.
        commitments = (
            Commitment.objects.filter(promise=OuterRef("pk"))
            .order_by()
            .values("promise")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(commitment_total=Coalesce(Subquery(commitments), 0))
        )

    def get_object(self, request, object_id, from_field=None):
        promise = super().get_object(request, object_id, from_field)
        # Every permission check on the page asks for the promise's parties.
        prefetch_related_objects([promise], "parties")
        return promise

    def get_choices(self, db_field, request):
        # A multi-municipality promise names municipalities the user is no member of.
        if db_field.name == "parties":
            return Party.objects.all()
        return super().get_choices(db_field, request)

    @admin.display(description=_("revision"), boolean=True)
    def is_revision(self, obj):
        return obj.is_revision

    @admin.display(description=_("commitments"), ordering="commitment_total")
    def commitment_count(self, obj):
        return obj.commitment_total

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CommitmentInline):
            kwargs["promise_parties"] = self._posted_parties(request, obj)
        return kwargs

    def _posted_parties(self, request, obj):
        """The parties chosen on this page, which are saved only after the inlines have been
        validated; None if there are none to go by (the promise's form reports why)."""
        if request.method != "POST":
            return None
        field = self.get_form(request, obj).base_fields.get("parties")
        if field is None:
            return None
        posted = field.widget.value_from_datadict(request.POST, request.FILES, "parties")
        try:
            return list(field.clean(posted))
        except ValidationError:
            return None

    object_history_template = "admin/promises/promise/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        """The promise's own history, and below it its focus areas' and commitments'."""
        promise = self.get_object(request, unquote(object_id))
        parts = [
            *FocusArea.history.filter(promise_id=promise.pk).select_related("history_user"),
            *Commitment.history.filter(promise_id=promise.pk).select_related("history_user"),
        ]
        parts.sort(key=lambda row: row.history_date, reverse=True)
        extra_context = {**(extra_context or {}), "part_history": parts[:PART_HISTORY_ROWS]}
        return super().history_view(request, object_id, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        """A new promise opens again after its first save, where its commitments' focus areas
        can be chosen among those just saved (step 2 of the add page's note)."""
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        request.POST = request.POST.copy()
        request.POST["_continue"] = "1"
        response = super().response_add(request, obj, post_url_continue)
        if obj.focus_areas.exists():
            self.message_user(
                request, _("Now choose each commitment's focus area, or add commitments, below.")
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        promise = self.get_object(request, unquote(object_id))
        approvals = promise.valid_approvals()
        extra_context = {
            **(extra_context or {}),
            "sign_off": promise.sign_off(approvals),
            "open_revision": promise.revisions.first(),
            "missing_signatures": promise.missing_signatures(approvals),
            "approvals": [
                (approval, approval in approvals)
                for approval in promise.approvals.select_related("party", "user")
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The national list: reference data that superusers keep (no role group may change it)."""

    list_display = ["name_sv", "name_en", "slug", "order"]
    search_fields = ["name_sv", "name_en", "keywords"]
    prepopulated_fields = {"slug": ["name_sv"]}


@admin.register(FocusArea)
class FocusAreaAdmin(PartyScopedAdmin):
    form = FocusAreaForm
    fields = ["promise", "order", "title", "description", "themes"]
    list_display = ["title", "promise", "order"]
    list_filter = ["themes"]
    list_select_related = ["promise"]
    search_fields = ["title", "description", "promise__title"]
    autocomplete_fields = ["promise"]
    plain_language_fields = ["description"]

    def get_choices(self, db_field, request):
        if db_field.name == "promise":
            return Promise.objects.editable_by(request.user)
        return super().get_choices(db_field, request)


class CommitmentAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        promise, owners = cleaned_data.get("promise"), cleaned_data.get("owners")
        if promise and owners is not None:
            try:
                self.instance.validate_owners(owners, promise_parties=promise.parties.all())
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(Commitment)
class CommitmentAdmin(PartyScopedAdmin):
    form = CommitmentAdminForm
    list_display = ["__str__", "promise", "focus_area", "order"]
    list_select_related = ["promise", "focus_area"]
    search_fields = ["text", "promise__title"]
    autocomplete_fields = ["promise", "owners"]
    plain_language_fields = ["text"]

    def get_readonly_fields(self, request, obj=None):
        # Police edit the commitments their area owns, but not who owns them or where.
        if obj and not permissions.has_role(
            request.user, obj.promise.parties.all(), Membership.Role.COORDINATOR
        ):
            return ["promise", "owners"]
        return []

    def get_choices(self, db_field, request):
        if db_field.name == "promise":
            return Promise.objects.editable_by(request.user)
        if db_field.name == "owners":
            return Party.objects.all()
        return super().get_choices(db_field, request)


@admin.register(PromiseApproval)
class PromiseApprovalAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    """Approvals are given with the "approve" step on a promise's page, never edited here."""

    list_display = ["promise", "party", "user", "approved_at"]
    list_filter = ["party__kind"]
    list_select_related = ["promise", "party", "user"]
    search_fields = ["promise__title", "party__name", "user__username"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # They go only with a draft promise that its editor may delete; never on their own,
        # and never while the promise is in review, where they decide its publication.
        return (
            obj is not None
            and obj.promise.status == Promise.Status.DRAFT
            and super().has_delete_permission(request, obj)
            and permissions.can_change(request.user, obj.promise)
        )
