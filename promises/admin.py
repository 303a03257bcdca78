from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import permissions, services
from .models import (
    Agreement,
    Commitment,
    FocusArea,
    Membership,
    Party,
    Promise,
    PromiseApproval,
)


class PartyScopedAdmin(SimpleHistoryAdmin):
    """An admin whose rows are limited to the parties the signed-in user belongs to.

    Lists, change pages and history come from the model QuerySet's for_user(), so other
    parties' objects are absent and 404 on direct URLs. On top of the role group's model
    permissions, changing and deleting an object is up to promises.permissions.can_change(),
    which asks the object itself (get_parties(), get_editors(), is_locked). Choices of
    related rows are limited to what for_user() gives, unless get_choices() says otherwise.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not "doesn't exist, perhaps deleted?": that would tell others' objects apart.
            raise Http404
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or permissions.can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # for forms that check it, like PartiesForm
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Choices offer the rows of every party the user belongs to, in any role, so what was
        # saved must still be the user's to edit: a viewer of B puts nothing under B. The
        # change page runs in a transaction, so refusing here writes nothing.
        if not permissions.can_change(request.user, form.instance):
            raise PermissionDenied

    def get_choices(self, db_field, request):
        """The rows a user may pick for a relation: by default those for_user() gives."""
        queryset = db_field.remote_field.model._default_manager.all()
        if hasattr(queryset, "for_user"):
            return queryset.for_user(request.user)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self.get_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self.get_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        # A version is for reading. Reverting would save its status and dates as they were,
        # past the joint sign-off (a published version back online with new content), so
        # old content comes back only through the normal edit and sign-off.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PartyScopedInline:
    """An inline whose rows are edited with its parent, by those who may change the parent."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_change(request.user, obj)
        )


class PartiesForm(forms.ModelForm):
    """A form for an object with parties; the admin sets `user`, who must stay one of them."""

    user = None

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if self.user and not permissions.has_role(self.user, parties, Membership.Role.COORDINATOR):
            raise ValidationError(
                _("Include a party you are a coordinator of, or you could not edit it afterwards.")
            )
        return parties


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
        if self.value():
            return queryset.filter(parties=self.value())
        return queryset


class PoliceAreaListFilter(MunicipalityListFilter):
    title = _("local police area")
    parameter_name = "police_area"
    kind = Party.Kind.POLICE_AREA


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
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
        ]

    def clean(self):
        cleaned_data = super().clean()
        if "parties" in cleaned_data:
            try:
                Promise.validate_parties(cleaned_data["parties"])
            except ValidationError as error:
                self.add_error("parties", error)
        return cleaned_data


class FocusAreaInline(PartyScopedInline, admin.StackedInline):
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


class CommitmentInline(PartyScopedInline, admin.TabularInline):
    model = Commitment
    formset = CommitmentInlineFormSet
    extra = 0
    fields = ["order", "focus_area", "owners", "text"]
    autocomplete_fields = ["owners"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        focus_area = formset.form.base_fields.get("focus_area")
        if focus_area is not None:
            focus_area.queryset = (
                FocusArea.objects.filter(promise=obj) if obj else FocusArea.objects.none()
            )
        return formset


# The publishing steps offered on a promise's page: (action, label, who may, service).
WORKFLOW = [
    ("submit", _("Submit for review"), permissions.can_submit, services.submit_for_review),
    ("approve", _("Approve this version"), permissions.can_approve, services.approve),
    ("publish", _("Publish"), permissions.can_publish, services.publish),
    ("archive", _("Archive (unpublish)"), permissions.can_archive, services.archive),
    (
        "return_to_draft",
        _("Return to draft"),
        permissions.can_return_to_draft,
        services.return_to_draft,
    ),
]
WORKFLOW_DONE = {
    "submit": _("The promise was submitted for review."),
    "approve": _("Your approval was recorded."),
    "publish": _("The promise was published."),
    "archive": _("The promise was archived and is no longer public."),
    "return_to_draft": _("The promise is a draft again."),
}


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
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(Count("commitments", distinct=True))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="promises_promise_workflow",
            ),
            *super().get_urls(),
        ]

    def get_choices(self, db_field, request):
        # A multi-municipality promise names municipalities the user is no member of.
        if db_field.name == "parties":
            return Party.objects.all()
        return super().get_choices(db_field, request)

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        promise = self.get_object(request, unquote(object_id))
        approvals = promise.valid_approvals()
        extra_context = {
            **(extra_context or {}),
            "approvals": [
                (approval, approval in approvals)
                for approval in promise.approvals.select_related("party", "user")
            ],
            "missing_approval_kinds": [
                Party.Kind(kind).label for kind in promise.missing_approval_kinds(approvals)
            ],
            "workflow_actions": [
                (action, label)
                for action, label, allowed, _service in WORKFLOW
                if allowed(request.user, promise)
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _workflow_step(action):
        for name, _label, _allowed, service in WORKFLOW:
            if name == action:
                return service
        raise Http404

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, action):
        promise = self.get_object(request, unquote(object_id))
        service = self._workflow_step(action)
        try:
            service(promise=promise, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, WORKFLOW_DONE[action], messages.SUCCESS)
        return redirect(reverse("admin:promises_promise_change", args=[promise.pk]))


@admin.register(FocusArea)
class FocusAreaAdmin(PartyScopedAdmin):
    list_display = ["title", "promise", "order"]
    list_select_related = ["promise"]
    search_fields = ["title", "description", "promise__title"]
    autocomplete_fields = ["promise"]

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
class PromiseApprovalAdmin(admin.ModelAdmin):
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
