from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language_code):
    """The current page in another language, query string kept.

    The language lives in the address (i18n_patterns), so switching is a plain link: no form,
    no cookie.
    """
    return translate_url(context["request"].get_full_path(), language_code)
