from django import forms
from django.utils.translation import gettext_lazy as _

from .charts import FOLLOWUP_MAP, PROMISE_MAP


class OverviewForm(forms.Form):
    """The overview's choices, in the URL: a theme to narrow it to and what the map shows.

    The themes are the national list the page has read already, so validating costs no query.
    """

    theme = forms.ChoiceField(label=_("Theme"), required=False)
    map = forms.ChoiceField(
        label=_("The map shows"),
        required=False,
        choices=[
            (PROMISE_MAP, _("which municipalities have a current promise")),
            (FOLLOWUP_MAP, _("whether follow-up is published on time")),
        ],
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {theme.slug: theme for theme in themes}
        self.fields["theme"].choices = [
            ("", _("All themes")),
            *((theme.slug, theme.name) for theme in themes),
        ]

    def clean_theme(self):
        return self.themes.get(self.cleaned_data["theme"])
