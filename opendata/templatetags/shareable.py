"""Canonical and alternate-language links and Open Graph locales for <head>."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

register = template.Library()

# Open Graph wants a territory with the language.
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string (filters and sorting are not new pages)."""
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """<link rel="alternate" hreflang> to this page in every language, Swedish as the default."""
    request = context["request"]
    urls = [
        (code, request.build_absolute_uri(translate_url(request.path, code)))
        for code, _name in settings.LANGUAGES
    ]
    urls.append(("x-default", dict(urls)[settings.LANGUAGE_CODE]))
    return format_html_join("\n    ", '<link rel="alternate" hreflang="{}" href="{}">', urls)


@register.simple_tag
def og_locales():
    current = get_language()
    tags = [format_html('<meta property="og:locale" content="{}">', OG_LOCALES[current])]
    tags += [
        format_html('<meta property="og:locale:alternate" content="{}">', locale)
        for code, locale in OG_LOCALES.items()
        if code != current
    ]
    return format_html_join("\n    ", "{}", ((tag,) for tag in tags))


@register.simple_tag(takes_context=True)
def absolute_uri(context, path):
    return context["request"].build_absolute_uri(path)
