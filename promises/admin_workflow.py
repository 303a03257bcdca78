from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


class WorkflowAdminMixin:
    """A change page with a button for each step of `workflow` the user may take now
    (templates/admin/workflow_steps.html), posting to <object_id>/<workflow_url>/<step>/."""

    workflow = None  # a promises.workflow.Workflow
    workflow_url = "workflow"
    # A step the user may not take is refused with a 403, unless the admin tells them why in
    # a message like any other refusal.
    workflow_denied_as_message = False

    @property
    def workflow_url_name(self):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{self.workflow_url}"

    def get_urls(self):
        return [
            path(
                f"<path:object_id>/{self.workflow_url}/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name=self.workflow_url_name,
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_steps"] = self.workflow.available(request.user, obj)
            context["workflow_url_name"] = f"admin:{self.workflow_url_name}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    @method_decorator(require_POST)
    def workflow_view(self, request, object_id, action):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        try:
            step = self.workflow[action]
        except KeyError:
            raise Http404 from None
        kwargs = {"comment": request.POST.get("comment", "")} if step.comment_label else {}
        result = self.take_workflow_step(request, obj, step.name, **kwargs)
        if result:
            done = step.done % {self.workflow.object_name: obj}
            self.message_user(request, done, messages.SUCCESS)
            if isinstance(result, self.model):
                obj = result  # the step led to another object: a revision, or its original
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            opts = self.model._meta
            next_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(next_url)

    def take_workflow_step(self, request, obj, name, **kwargs):
        """Take the step and return what it returns (or True); if it is refused, tell the
        user why and return False."""
        try:
            result = self.workflow.run(name, obj, request.user, **kwargs)
        except PermissionDenied as error:
            if not self.workflow_denied_as_message:
                raise
            self.workflow_refused(request, obj, ValidationError(str(error)))
            return False
        except ValidationError as error:
            self.workflow_refused(request, obj, error)
            return False
        return result or True

    def workflow_refused(self, request, obj, error):
        self.message_user(request, " ".join(error.messages), messages.ERROR)
