"""The admin site: Django's own, except where a user lands after logging in, and which
objects its "view on site" redirect will name.

With settings.MFA_REQUIRED, staff also need a second factor (security.views): after the
password, the login sends them on to confirm a code, or to enrol an authenticator app first;
until then the admin treats them as not logged in.

Police who are members of nothing else work in the follow-up overview, so that is where their
login takes them; everyone else, and anyone who logs in on the way to a particular page, goes
where Django's admin sends them. Only the login's redirect changes: the index stays reachable
for the police too (the overview's breadcrumbs lead to it).
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from promises import permissions
from security import views as security_views


class AdminSite(admin.AdminSite):
    site_header = _("Löftesportalen: administration")
    site_title = _("Löftesportalen")
    index_title = _("Promises, situation picture and follow-up")

    def has_permission(self, request):
        return super().has_permission(request) and not self.needs_second_factor(request)

    def needs_second_factor(self, request):
        user = request.user
        # Right after the password, request.user is the user the login form found, which
        # django_otp's middleware has not equipped with is_verified(): not verified yet.
        verified = getattr(user, "is_verified", lambda: False)()
        return settings.MFA_REQUIRED and user.is_active and user.is_staff and not verified

    def login(self, request, extra_context=None):
        if request.method == "GET" and self.needs_second_factor(request):
            return self.second_factor(request.GET.get("next", ""))
        response = super().login(request, extra_context)
        logged_in = request.method == "POST" and request.user.is_authenticated
        if not (logged_in and isinstance(response, HttpResponseRedirect)):
            return response
        if response.url == reverse(
            "admin:index", current_app=self.name
        ) and permissions.lands_on_overview(request.user):
            response = HttpResponseRedirect(
                reverse("admin:followup_reviewoverview_changelist", current_app=self.name)
            )
        if self.needs_second_factor(request):
            return self.second_factor(response.url)
        return response

    def second_factor(self, next_url):
        url = reverse("admin:mfa_verify", current_app=self.name)
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)

    def admin_view(self, view, cacheable=False):
        view = super().admin_view(view, cacheable)

        @wraps(view)
        def remembering_roles(request, *args, **kwargs):
            # The page asks who may do what many times: the user's roles are read once.
            permissions.remember_roles(request.user)
            return view(request, *args, **kwargs)

        return remembering_roles

    def get_urls(self):
        # The second factor's pages are for staff the admin does not let in yet.
        second_factor = [
            path("mfa/", security_views.mfa_verify, name="mfa_verify"),
            path("mfa/enrol/", security_views.mfa_enrol, name="mfa_enrol"),
            path("mfa/cancel/", LogoutView.as_view(next_page="admin:login"), name="mfa_cancel"),
        ]
        # Django's "view on site" redirect (admin/r/<type>/<id>/) would tell any staff user
        # the public address (the slug) of any object, others' drafts included.
        return second_factor + [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        if model is None:
            raise Http404
        objects = model._default_manager.all()
        if hasattr(objects, "for_user"):
            try:
                visible = objects.for_user(request.user).filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                visible = False
            if not visible:
                raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
