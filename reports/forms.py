from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from promises.forms import MunicipalityField, municipality_rows
from promises.models import Party, Promise

from .models import ErrorReport, UnsafePlaceReport


class ReportForm(forms.ModelForm):
    """What both report forms share: a honeypot, and e-mail only with consent."""

    # Hidden from people by CSS; a bot that fills in every field reveals itself.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "I agree that my e-mail address is stored so that I can get a reply."
        )
        self.fields["consent"].help_text = _(
            "The address is only used for a reply, and is deleted when the report has been handled."
        )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("email") and not cleaned_data.get("consent"):
            self.add_error(
                "consent",
                _("To get a reply, tick this box; or leave the e-mail address empty."),
            )
        return cleaned_data


class ErrorReportForm(ReportForm):
    class Meta:
        model = ErrorReport
        fields = ["page_url", "message", "email", "consent"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6}), "page_url": forms.TextInput()}
        labels = {"page_url": _("Address of the page")}
        help_texts = {
            "page_url": _("The page with the error, for example /kommun/olofstrom/."),
            "message": _("Describe what is wrong and, if you know it, what is right."),
        }
        error_messages = {
            "page_url": {"required": _("Give the address of the page with the error.")},
            "message": {"required": _("Describe what is wrong.")},
        }

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host

    def clean_page_url(self):
        """Only a page of this site: a path, or a full address on this host; stored as a path."""
        url = self.cleaned_data["page_url"].strip()
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # The stored path is where the resident is sent back to, so it must stay a path of this
        # site: "//evil.example/" on our host would be another site's address.
        if (
            url_has_allowed_host_and_scheme(url, allowed_hosts={self.host})
            and parts.path.startswith("/")
            and url_has_allowed_host_and_scheme(path, allowed_hosts={self.host})
        ):
            return path
        raise forms.ValidationError(
            _("Give the address of a page on this site, for example /kommun/olofstrom/.")
        )

    def save(self, commit=True):
        report = super().save(commit=False)
        report.municipality, report.promise = page_subject(report.page_url)
        if commit:
            report.save()
        return report


def page_subject(path):
    """(municipality, promise) that a public page is about, as far as its address tells."""
    for code, _name in settings.LANGUAGES:
        with override(code):
            try:
                match = resolve(path.split("?", 1)[0])
            except Resolver404:
                continue
        slug = match.kwargs.get("slug")
        if match.view_name == "promises:municipality_detail":
            return Party.objects.municipalities().filter(slug=slug).first(), None
        if match.view_name == "promises:promise_detail":
            return None, Promise.objects.published().filter(slug=slug).first()
        break
    return None, None


class UnsafePlaceReportForm(ReportForm):
    class Meta:
        model = UnsafePlaceReport
        fields = ["municipality", "place", "description", "when", "email", "consent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "place": {"required": _("Say where the place is.")},
            "description": {"required": _("Describe what makes the place feel unsafe.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        self.fields["municipality"] = MunicipalityField(
            rows=municipality_rows(),
            blank_label=_("Choose a municipality"),
            label=field.label,
            error_messages={"required": _("Choose the municipality where the place is.")},
        )
