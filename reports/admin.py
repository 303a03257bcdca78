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

    list_filter = ["status", "created_at"]
    list_editable = ["status"]
    date_hierarchy = "created_at"
    triage_fields = ["status", "note"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = set(self.triage_fields)
        if request.user.is_superuser:
            editable |= set(self.autocomplete_fields)
        return [name for name in self.get_fields(request, obj) if name not in editable]


@admin.register(ErrorReport)
class ErrorReportAdmin(ReportAdmin):
    list_display = ["created_at", "page_url", "short_message", "municipality", "promise", "status"]
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
    ]

    @admin.display(description=_("what is wrong"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else f"{obj.message[:79]}…"


@admin.register(UnsafePlaceReport)
class UnsafePlaceReportAdmin(ReportAdmin):
    list_display = ["created_at", "municipality", "place", "when", "status", "problem"]
    list_filter = ["status", ("municipality", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["municipality", "problem"]
    search_fields = ["place", "description", "municipality__name"]
    autocomplete_fields = ["municipality"]
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
