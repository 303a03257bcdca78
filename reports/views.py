import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from config.views import error_page, service_unavailable

from . import services
from .forms import ErrorReportForm, UnsafePlaceReportForm
from .models import FeelsBetter, Outcome, UnsafePlaceReport
from .ratelimit import RateLimitUnavailable, over_rate_limit

logger = logging.getLogger(__name__)


def body_limit(view):
    """A report is a few short fields: a larger body is refused before it is read."""

    @functools.wraps(view)
    def limited(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself refuses to read such a body
        if length > settings.REPORTS_MAX_BODY_BYTES:
            return error_page(
                request,
                413,
                _("The report is too long"),
                _("The report is too long. Shorten it and send it again."),
            )
        return view(request)

    return limited


@body_limit
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


@body_limit
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
        try:
            limited = over_rate_limit(request)
        except RateLimitUnavailable:
            logger.warning("Rate-limit cache unreachable; a report was turned away", exc_info=True)
            return service_unavailable(
                request, _("Reports cannot be received right now. Please try again later.")
            )
        if limited:
            form.add_error(
                None,
                _(
                    "You have sent several reports in a short time. "
                    "Please wait a few minutes and send it again."
                ),
            )
            return render(request, template_name, {"form": form}, status=429)
        # A bot that filled in the honeypot is thanked like anyone else, and nothing is stored.
        report = form.save(commit=False)
        report.language = get_language()
        if not form.is_spam:
            report.save()
            services.report_received(report=report)
        messages.success(request, thanks)
        return redirect(next_url(report))
    return render(request, template_name, {"form": form})


@never_cache
def feels_better(request, token):
    """The signed link in the "dealt with" e-mail: does the place feel better now? Answered
    once; the link of a report answered already, reopened or gone just thanks the reporter."""
    try:
        report = services.report_from_feels_better_token(token)
    except signing.BadSignature:
        return error_page(
            request,
            400,
            _("The link does not work"),
            _("This link is not valid, or it is too old. Thank you all the same."),
        )
    except UnsafePlaceReport.DoesNotExist:
        report = None
    waiting = (
        report is not None and report.outcome == Outcome.DEALT_WITH and not report.feels_better
    )
    answer = request.POST.get("answer", "")
    if waiting and not (request.method == "POST" and answer in FeelsBetter.values):
        return render(
            request,
            "reports/feels_better.html",
            {
                "report": report,
                "choices": FeelsBetter.choices,
                "missing": request.method == "POST",
                "personal_link": True,
            },
            status=400 if request.method == "POST" else 200,
        )
    if waiting:
        services.feels_better_record(report=report, answer=answer)
    messages.success(request, _("Thank you! Your answer has been recorded."))
    return redirect(report.municipality if report else "promises:home")
