from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class VerifyForm(CodeForm):
    """A code from the user's authenticator app, or one of their recovery codes (used up)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = super().clean_code()
        # Each device throttles its own failures (django-otp), so guessing gets slower.
        with transaction.atomic():
            for device in devices_for_user(self.user, for_verify=True):
                if device.verify_token(code):
                    self.device = device
                    return code
        raise forms.ValidationError(_("That code is not valid. Try again."), code="invalid")


class EnrolForm(CodeForm):
    """The first code from a new authenticator app, to show it was set up right."""

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = super().clean_code()
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("That code is not valid. Check the clock of your phone and try again."),
                code="invalid",
            )
        return code
