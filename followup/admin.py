from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises import permissions
from promises.admin_workflow import WorkflowAdminMixin
from promises.scoped_admin import PartyScopedAdmin, PartyScopedInline

from . import overview, services
from .models import CommitmentStatus, FollowUpReminder, FollowUpRound, ReviewOverview

State = FollowUpRound.State
CONTENT_FIELDS = ["meeting_date", "forum", "summary"]


def _per_request(request, check):
    """The answer of an access check about the request's user, asked once per request:
    the admin asks for permissions many times on each page."""
    answers = request.__dict__.setdefault("_followup_access", {})
    if check not in answers:
        answers[check] = check(request.user)
    return answers[check]


def _status_label(status, progress=None):
    if not status:
        return "—"
    status = CommitmentStatus.Status(status)
    text = f"{status.symbol} {str(status.label).capitalize()}"
    return text if progress is None else f"{text}, {progress} %"


class CommitmentStatusInlineFormSet(forms.BaseInlineFormSet):
    user = None  # set by the inline for the request

    def clean(self):
        super().clean()
        for form in self.forms:
            if form.has_changed() and not permissions.can_change(self.user, form.instance):
                form.add_error(None, _("You cannot change the status of this commitment."))


class CommitmentStatusInline(PartyScopedInline, admin.StackedInline):
    """A round's statuses as one block per commitment (the template groups them by focus area
    and names the commitment and its owners once), last quarter's status first."""

    model = CommitmentStatus
    formset = CommitmentStatusInlineFormSet
    template = "admin/followup/followupround/statuses_inline.html"
    extra = 0
    can_delete = False
    fields = [
        "previous",
        "status",
        "progress",
        "done_this_quarter",
        "next_steps",
        "evidence_links",
    ]
    readonly_fields = ["previous"]
    formfield_overrides = {
        **PartyScopedInline.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})},
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("round__promise", "commitment__focus_area")
            .prefetch_related("commitment__owners")
            .with_previous()
            .in_focus_area_order()
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return False  # round_create() makes one row per commitment

    @admin.display(description=_("last quarter"))
    def previous(self, obj):
        return _status_label(obj.previous_status, obj.previous_progress)


class FollowUpRoundForm(forms.ModelForm):
    user = None  # set by the admin for the request

    class Meta:
        model = FollowUpRound
        fields = ["promise", "year", "quarter", *CONTENT_FIELDS]

    def clean_promise(self):
        promise = self.cleaned_data["promise"]
        if not permissions.can_write_rounds(self.user, promise):
            raise ValidationError(_("Only the promise's coordinators can start a follow-up round."))
        return promise


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(WorkflowAdminMixin, PartyScopedAdmin):
    form = FollowUpRoundForm
    workflow = services.ROUND_WORKFLOW
    workflow_url = "transition"
    # Refusals are messages naming the round, as for the bulk actions on several rounds.
    workflow_denied_as_message = True
    change_form_template = "admin/followup/followupround/change_form.html"
    list_display = [
        "promise",
        "quarter_label",
        "state",
        "meeting_date",
        "submitted_at",
        "approved_at",
        "published_at",
        "overdue",
    ]
    list_filter = ["state", "year", "quarter"]
    list_select_related = ["promise"]
    search_fields = ["promise__title", "summary", "forum"]
    date_hierarchy = "meeting_date"
    inlines = [CommitmentStatusInline]
    plain_language_fields = ["summary"]
    actions = ["submit_for_review", "approve", "publish"]
    review_fields = [
        "state",
        "reviewer_comment",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "published_at",
    ]

    def get_object(self, request, object_id, from_field=None):
        round_ = super().get_object(request, object_id, from_field)
        # Every permission check on the page asks for its promise's parties.
        prefetch_related_objects([round_], "promise__parties")
        return round_

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["promise", "year", "quarter", *CONTENT_FIELDS]})]
        return [
            (None, {"fields": ["promise", "year", "quarter", *CONTENT_FIELDS]}),
            (_("Review"), {"fields": self.review_fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["promise", "year", "quarter", *self.review_fields]
        if not (obj.is_editable and permissions.can_write_rounds(request.user, obj.promise)):
            readonly += CONTENT_FIELDS
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def takes_in_new_commitments(self, user, round_):
        """A round takes in the commitments added since it began (shown on its page, given
        their status rows when it is saved) while its coordinators write it."""
        return round_.is_editable and permissions.can_write_rounds(user, round_.promise)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            if self.takes_in_new_commitments(request.user, obj):
                services.round_add_missing_statuses(round_=obj)
            return
        created = services.round_create(
            promise=obj.promise,
            year=obj.year,
            quarter=obj.quarter,
            user=request.user,
            **{name: getattr(obj, name) for name in CONTENT_FIELDS},
        )
        obj.pk, obj._state.adding = created.pk, False

    def response_add(self, request, obj, post_url_continue=None):
        # The status rows exist only now: continue on the change page to fill them in.
        request.POST = request.POST.copy()
        request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.state == State.PUBLISHED else None

    @admin.display(description=_("quarter"), ordering="year")
    def quarter_label(self, obj):
        return obj.quarter_label

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            statuses = reverse("admin:followup_commitmentstatus_changelist")
            context["statuses_url"] = f"{statuses}?round__id__exact={obj.pk}"
            if self.takes_in_new_commitments(request.user, obj):
                context["commitments_without_status"] = obj.commitments_without_status()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_refused(self, request, obj, error):
        self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)

    def _bulk_transition(self, request, queryset, action):
        done = sum(
            bool(self.take_workflow_step(request, round_, action))
            for round_ in queryset.select_related("promise")
        )
        if done:
            messages.success(
                request,
                ngettext("%(count)d round changed.", "%(count)d rounds changed.", done)
                % {"count": done},
            )

    @admin.action(description=_("Submit selected rounds for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk_transition(request, queryset, "submit")

    @admin.action(description=_("Approve selected rounds"), permissions=["change"])
    def approve(self, request, queryset):
        self._bulk_transition(request, queryset, "approve")

    @admin.action(description=_("Publish selected rounds"), permissions=["change"])
    def publish(self, request, queryset):
        self._bulk_transition(request, queryset, "publish")


class BulkStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CommitmentStatus.Status.choices)


@admin.register(CommitmentStatus)
class CommitmentStatusAdmin(PartyScopedAdmin):
    list_display = ["commitment", "round", "status_display", "progress"]
    list_filter = ["status", "round__state", "round__year", "round__quarter"]
    list_select_related = ["commitment", "round__promise"]
    search_fields = ["commitment__text", "round__promise__title"]
    fields = [
        "round",
        "commitment",
        "status",
        "progress",
        "done_this_quarter",
        "next_steps",
        "evidence_links",
    ]
    readonly_fields = ["round", "commitment"]
    actions = ["change_status"]
    # Newest first by the primary key's index: the model's order (by promise, round and
    # commitment) sorts every status in the country to show a page of them.
    ordering = ["-pk"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # round_create() makes one row per commitment

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return _status_label(obj.status)

    @admin.action(description=_("Change status of selected commitments"), permissions=["change"])
    def change_status(self, request, queryset):
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            statuses = list(queryset.select_related("round__promise", "commitment"))
            changed = 0
            for status in statuses:
                if permissions.can_change(request.user, status):
                    status.status = form.cleaned_data["status"]
                    status.save(update_fields=["status"])
                    changed += 1
            refused = len(statuses) - changed
            messages.success(
                request,
                ngettext("%(count)d status changed.", "%(count)d statuses changed.", changed)
                % {"count": changed},
            )
            if refused:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d status could not be changed by you.",
                        "%(count)d statuses could not be changed by you.",
                        refused,
                    )
                    % {"count": refused},
                )
            return None
        return TemplateResponse(
            request,
            "admin/followup/commitmentstatus/change_status.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Change status of selected commitments"),
                "opts": self.model._meta,
                "form": form,
                "statuses": queryset.select_related("commitment", "round__promise"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(PartyScopedAdmin):
    list_display = ["promise", "year", "quarter", "kind", "sent_on"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["promise"]
    search_fields = ["promise__title", "recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Reminders have no recorded history (no HistoricalRecords): their history page is
    # Django's own, the admin's log of them.
    object_history_template = None

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)


@admin.register(ReviewOverview)
class ReviewOverviewAdmin(admin.ModelAdmin):
    """The police's follow-up overview, listed on the admin index as a model of its own."""

    def _reviews(self, request):
        return _per_request(request, permissions.reviews_any)

    def has_module_permission(self, request):
        return self._reviews(request)

    def has_view_permission(self, request, obj=None):
        return self._reviews(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/followup/overview.html",
            {
                **self.admin_site.each_context(request),
                **overview.build(request.user, request.GET),
                "title": _("Follow-up overview"),
                "opts": self.model._meta,
            },
        )
