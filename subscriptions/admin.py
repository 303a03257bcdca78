from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from promises.models import Membership, Party

from .models import Subscriber, Subscription, Update


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["municipality", "promise", "requested_at", "confirmed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj):
        return False


class AdministratorsOnly:
    """Addresses are for administrators (superusers) alone."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["email", "language", "created_at", "last_sent_on"]
    list_filter = ["language", "created_at"]
    search_fields = ["email"]
    inlines = [SubscriptionInline]


@admin.register(Update)
class UpdateAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["created_at", "kind", "promise", "round"]
    list_filter = ["kind"]
    list_select_related = ["promise", "round"]
    search_fields = ["promise__title"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Coordinators see how many residents follow their municipalities and promises, never
    who; administrators get the list with the addresses."""

    list_display = ["subscriber", "municipality", "promise", "requested_at", "confirmed_at"]
    list_filter = ["confirmed_at", "requested_at"]
    list_select_related = ["subscriber", "municipality", "promise"]
    search_fields = ["subscriber__email", "municipality__name", "promise__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Counts only: no coordinator opens a subscription (which names its address).
        return super().has_view_permission(request, obj) and (
            obj is None or request.user.is_superuser
        )

    def changelist_view(self, request, extra_context=None):
        if request.user.is_superuser:
            return super().changelist_view(request, extra_context)
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # the admin's own 403
        parties = Party.objects.for_user(request.user, Membership.Role.COORDINATOR)
        towns, promises = Subscription.objects.counts(parties)
        return TemplateResponse(
            request,
            "admin/subscriptions/counts.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Subscribers"),
                "towns": towns,
                "promises": promises,
            },
        )
