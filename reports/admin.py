from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.scoped_admin import PartyScopedAdmin

from . import services
from .models import ErrorReport, UnsafePlaceReport


class ReportAdmin(PartyScopedAdmin):
    """Triage of residents' reports: what the resident wrote is read-only; the status and
    the internal note are the coordinators' own. Reports only come from the public forms."""

    list_filter = ["status", "outcome", "created_at"]
    list_editable = ["status"]
    date_hierarchy = "created_at"
    triage_fields = ["status", "note", "outcome", "public_answer"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = set(self.triage_fields)
        if request.user.is_superuser:
            editable |= set(self.autocomplete_fields)
        return [name for name in self.get_fields(request, obj) if name not in editable]

    def save_model(self, request, obj, form, change):
        # The reporter is told what changed (in the background) before the report is saved,
        # since saving a handled report deletes its address.
        if change:
            previous = type(obj).objects.get(pk=obj.pk)
            services.report_triaged(report=obj, previous=previous)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("report loop"))
    def loop(self, obj):
        reply = _("reply by e-mail") if obj.email else _("no reply address")
        return f"{obj.loop_state} ({reply})"


@admin.register(ErrorReport)
class ErrorReportAdmin(ReportAdmin):
    list_display = [
        "created_at",
        "page_url",
        "short_message",
        "municipality",
        "promise",
        "status",
        "loop",
    ]
    list_select_related = ["municipality", "promise"]
    search_fields = ["page_url", "message"]
    autocomplete_fields = ["municipality", "promise"]
    fields = [
        "page_url",
        "message",
        "municipality",
        "promise",
        "email",
        "consent",
        "created_at",
        "status",
        "note",
        "loop",
        "outcome",
        "public_answer",
    ]

    @admin.display(description=_("what is wrong"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else f"{obj.message[:79]}…"


@admin.register(UnsafePlaceReport)
class UnsafePlaceReportAdmin(ReportAdmin):
    list_display = ["created_at", "municipality", "place", "when", "status", "problem", "loop"]
    list_filter = [
        "status",
        "outcome",
        "feels_better",
        ("municipality", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    list_select_related = ["municipality", "problem"]
    search_fields = ["place", "description", "municipality__name"]
    autocomplete_fields = ["municipality", "commitment"]
    triage_fields = [*ReportAdmin.triage_fields, "commitment"]
    fields = [
        "municipality",
        "place",
        "description",
        "when",
        "email",
        "consent",
        "created_at",
        "status",
        "note",
        "problem",
        "loop",
        "outcome",
        "commitment",
        "public_answer",
        "feels_better",
        "feels_better_at",
    ]
    actions = ["make_problem"]

    @admin.action(
        description=_("Turn into a problem of the situation picture"), permissions=["change"]
    )
    def make_problem(self, request, queryset):
        made = 0
        for report in queryset.select_related("municipality", "problem"):
            try:
                services.problem_from_report(report=report, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{report}: {reason}", messages.ERROR)
            else:
                made += 1
        if made:
            self.message_user(
                request,
                ngettext(
                    "%(count)d report became an internal problem of the situation picture and "
                    "is now in progress.",
                    "%(count)d reports became internal problems of the situation picture and "
                    "are now in progress.",
                    made,
                )
                % {"count": made},
                messages.SUCCESS,
            )
