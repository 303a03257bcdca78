from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """For administrators: what waits, what failed and why. Nothing is edited here."""

    list_display = ["key", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at", "attempts"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "key",
        "to",
        "subject",
        "body",
        "headers",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
