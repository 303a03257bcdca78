"""The admin site: Django's own, except where a user lands after logging in.

Police who are members of nothing else work in the follow-up overview, so that is where their
login takes them; everyone else, and anyone who logs in on the way to a particular page, goes
where Django's admin sends them. Only the login's redirect changes: the index stays reachable
for the police too (the overview's breadcrumbs lead to it).
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from followup.access import lands_on_overview


class AdminSite(admin.AdminSite):
    site_header = _("Löftesportalen: administration")
    site_title = _("Löftesportalen")
    index_title = _("Promises, situation picture and follow-up")

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        logged_in = request.method == "POST" and request.user.is_authenticated
        if (
            logged_in
            and isinstance(response, HttpResponseRedirect)
            and response.url == reverse("admin:index", current_app=self.name)
            and lands_on_overview(request.user)
        ):
            return HttpResponseRedirect(
                reverse("admin:followup_reviewoverview_changelist", current_app=self.name)
            )
        return response
