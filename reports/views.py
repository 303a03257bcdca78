from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ErrorReportForm, UnsafePlaceReportForm
from .ratelimit import over_rate_limit


def error_report(request):
    form = ErrorReportForm(
        request.POST or None,
        host=request.get_host(),
        initial={"page_url": request.GET.get("page", "")},
    )
    return _handle(
        request,
        form,
        "reports/errorreport_form.html",
        _("Thank you! Your report has been sent to the editors of the page."),
        next_url=lambda report: report.page_url,
    )


def unsafe_place_report(request):
    form = UnsafePlaceReportForm(
        request.POST or None, initial={"municipality": request.GET.get("municipality", "")}
    )
    return _handle(
        request,
        form,
        "reports/unsafeplacereport_form.html",
        _("Thank you! Your report has been sent to the municipality."),
        next_url=lambda report: report.municipality.get_absolute_url(),
    )


def _handle(request, form, template_name, thanks, next_url):
    if request.method == "POST" and form.is_valid():
        if over_rate_limit(request):
            form.add_error(
                None,
                _(
                    "You have sent several reports in a short time. "
                    "Please wait a few minutes and send it again."
                ),
            )
            return render(request, template_name, {"form": form}, status=429)
        # A bot that filled in the honeypot is thanked like anyone else, and nothing is stored.
        report = form.save(commit=not form.is_spam)
        messages.success(request, thanks)
        return redirect(next_url(report))
    return render(request, template_name, {"form": form})
