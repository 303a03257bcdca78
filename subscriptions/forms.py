from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Give the e-mail address the messages should go to."),
            "invalid": _("Give an e-mail address such as name@example.se."),
        },
    )
    # Hidden from people by CSS; a bot that fills in every field reveals itself.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self):
        # Addresses are one per person whatever their case.
        return self.cleaned_data["email"].strip().lower()

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
